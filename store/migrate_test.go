package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
)

// TestMigrateMessageContents checks that migration 00007 moves the content
// of messages written before it into message_contents, and that its down
// migration moves it back.
func TestMigrateMessageContents(t *testing.T) {
	t.Parallel()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, p := openAt(t, d, 6)
			ts := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			if _, err := db.q.exec(ctx, `INSERT INTO messages (id, patient_id, channel, purpose, language, body, subject, html, status, not_before, deadline, created_at, updated_at)
				VALUES ('m1', 'p1', 'email', 'care', 'en', 'text body', 'subject', '<p>html</p>', 'sent', ?, ?, ?, ?)`, ts, ts, ts, ts); err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 7); err != nil {
				t.Fatal(err)
			}
			// Read as the schema stands at 00007 (the store's queries read
			// the columns of later migrations too).
			var body7, subject7, html7, status7 string
			if err := db.q.queryRow(ctx, "SELECT c.body, c.subject, c.html, m.status FROM messages m JOIN message_contents c ON c.id = m.content_id WHERE m.id = 'm1'").
				Scan(&body7, &subject7, &html7, &status7); err != nil {
				t.Fatal(err)
			}
			if body7 != "text body" || subject7 != "subject" || html7 != "<p>html</p>" || status7 != string(rapport.MessageSent) {
				t.Errorf("after 00007: %q %q %q %s", body7, subject7, html7, status7)
			}
			if _, err := p.DownTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			var body, subject, html string
			if err := db.q.queryRow(ctx, "SELECT body, subject, html FROM messages WHERE id = 'm1'").Scan(&body, &subject, &html); err != nil {
				t.Fatal(err)
			}
			if body != "text body" || subject != "subject" || html != "<p>html</p>" {
				t.Errorf("after down: %q %q %q", body, subject, html)
			}
		})
	}
}

// migrator steps db's schema one migration at a time.
// openAt opens an empty database of dialect d migrated up to version, on a
// manual clock, and returns it with its migrator.
func openAt(t *testing.T, d Dialect, version int64) (*DB, *goose.Provider) {
	t.Helper()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "rapport.db")
	if d == Postgres {
		dsn = pgtest.NewDatabase(t)
	}
	db, err := Open(context.Background(), dsn, rapport.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := migrator(t, db)
	if _, err := p.UpTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
	return db, p
}

func migrator(t *testing.T, db *DB) *goose.Provider {
	t.Helper()
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		t.Fatal(err)
	}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.sqlDB, sub, goose.WithTableName("rapport_schema_version"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMigrateAppendKeys checks that SQLite's migration 00010 keeps every
// source link and identifier while it re-keys their tables, that lookups
// by source resource and identifier and the uniqueness of a source
// resource hold after it, and that its down migration restores the old keys.
func TestMigrateAppendKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testSQLite(t, false)
	p := migrator(t, db)
	if _, err := p.UpTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	seedRows(t, db, ts,
		"INSERT INTO patients (id, created_at, updated_at) VALUES ('p1', ?, ?), ('p2', ?, ?)",
		"INSERT INTO patient_identifiers (patient_id, system, value, type) VALUES ('p1', 'urn:ssn', '123', 'SS'), ('p2', 'urn:ssn', '123', 'SS'), ('p1', 'urn:mrn', 'A7', 'MR')",
		"INSERT INTO source_records (source, resource_type, resource_id, entity_id, content_hash, imported_at) VALUES ('ehr', 'Patient', 'x', 'p1', 'h1', ?), ('ehr', 'Patient', 'y', 'p2', 'h2', ?), ('crm', 'Patient', 'x', 'p1', 'h3', ?)",
	)
	if _, err := p.UpTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	ssn := rapport.Identifier{System: "urn:ssn", Value: "123"}
	found, err := tx.FindPatientsByIdentifier(ctx, []rapport.Identifier{ssn})
	if err != nil {
		t.Fatal(err)
	}
	if got := found[ssn]; len(got) != 2 {
		t.Errorf("patients with %v after 00010: %v, want p1 and p2", ssn, got)
	}
	links, err := tx.FindSourceRecords(ctx, "ehr", "Patient", []string{"x", "y"})
	if err != nil {
		t.Fatal(err)
	}
	if links["x"].EntityID != "p1" || links["y"].ContentHash != "h2" {
		t.Errorf("ehr links after 00010: %+v", links)
	}
	for _, src := range []string{"ehr", "crm"} {
		linked, err := tx.LinkedToSource(ctx, src, []rapport.PatientID{"p1", "p2"})
		if err != nil {
			t.Fatal(err)
		}
		if !linked["p1"] || linked["p2"] != (src == "ehr") {
			t.Errorf("patients linked to %s after 00010: %v, want p1 (and p2 for ehr)", src, linked)
		}
	}
	if _, err := tx.q.exec(ctx, "INSERT INTO source_records (source, resource_type, resource_id, entity_id, content_hash, imported_at) VALUES ('ehr', 'Patient', 'x', 'p2', 'h9', ?)", ts); err == nil {
		t.Error("a second link of ehr/Patient/x was accepted after 00010")
	}
	tx.Rollback(ctx)
	if _, err := p.DownTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.q.queryRow(ctx, "SELECT (SELECT count(*) FROM source_records) * 10 + (SELECT count(*) FROM patient_identifiers)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 33 {
		t.Errorf("after down: %d links and %d identifiers, want 3 and 3", n/10, n%10)
	}
}

// TestMigrateAddressConsents checks that migration 00013 carries the
// patients' own decisions recorded before it to their addresses (email
// lower-cased), and leaves staff entries on the patient alone.
func TestMigrateAddressConsents(t *testing.T) {
	t.Parallel()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, p := openAt(t, d, 12)
			pt := &rapport.Patient{Given: "Rosa", Family: "Diaz", Contacts: []rapport.ContactPoint{
				{Kind: rapport.ContactPhone, Value: "+15125550123", Raw: "x", Status: rapport.StatusValid, Source: rapport.SourceImport},
				{Kind: rapport.ContactEmail, Value: "Rosa@Example.org", Raw: "x", Status: rapport.StatusValid, Source: rapport.SourceImport}}}
			err := db.InTx(ctx, func(tx *Tx) error {
				if err := insertPatientAt12(ctx, tx, pt); err != nil {
					return err
				}
				for _, c := range []rapport.Consent{
					{PatientID: pt.ID, Channel: rapport.ChannelSMS, Purpose: rapport.PurposeOutreach, Decision: rapport.OptOut, Source: rapport.SourcePatient},
					{PatientID: pt.ID, Channel: rapport.ChannelEmail, Purpose: rapport.PurposeCare, Decision: rapport.OptOut, Source: rapport.SourcePatient},
					{PatientID: pt.ID, Channel: rapport.ChannelVoice, Purpose: rapport.PurposeCare, Decision: rapport.OptOut, Source: rapport.SourceStaff},
				} {
					if err := tx.RecordConsent(ctx, &c); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 13); err != nil {
				t.Fatal(err)
			}
			var got map[string][]rapport.AddressConsent
			if err := db.InTx(ctx, func(tx *Tx) (err error) {
				got, err = tx.FindAddressConsents(ctx, []string{"+15125550123", "rosa@example.org"})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			phone, mail := got["+15125550123"], got["rosa@example.org"]
			if len(phone) != 1 || phone[0].Channel != rapport.ChannelSMS || phone[0].Decision != rapport.OptOut ||
				len(mail) != 1 || mail[0].Channel != rapport.ChannelEmail || mail[0].Purpose != rapport.PurposeCare {
				t.Errorf("after 00013: phone %+v, email %+v; want the patient's SMS and email opt-outs only", phone, mail)
			}
			if _, err := p.DownTo(ctx, 12); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// insertPatientAt12 writes p and its contact points with the columns the
// schema had at migration 00012 (CreatePatients writes today's).
func insertPatientAt12(ctx context.Context, tx *Tx, p *rapport.Patient) error {
	p.ID = rapport.PatientID(newID())
	if _, err := tx.q.exec(ctx, "INSERT INTO patients (id, given, family, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		string(p.ID), p.Given, p.Family, tx.now, tx.now); err != nil {
		return err
	}
	for i := range p.Contacts {
		c := &p.Contacts[i]
		c.ID, c.PatientID = newID(), p.ID
		if _, err := tx.q.exec(ctx, "INSERT INTO contact_points (id, patient_id, kind, raw, value, status, status_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			c.ID, string(p.ID), string(c.Kind), c.Raw, c.Value, string(c.Status), tx.now, string(c.Source)); err != nil {
			return err
		}
	}
	return nil
}

// TestMigratePossibleDuplicates: 00017 carries the import's pairs into the
// review queue as pending candidates, and its down migration brings them back.
func TestMigratePossibleDuplicates(t *testing.T) {
	t.Parallel()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, p := openAt(t, d, 14)
			a, b := &rapport.Patient{Given: "Ana"}, &rapport.Patient{Given: "Ana"}
			err := db.InTx(ctx, func(tx *Tx) error {
				for _, p := range []*rapport.Patient{a, b} {
					if err := insertPatientAt12(ctx, tx, p); err != nil {
						return err
					}
				}
				_, err := tx.q.exec(ctx, "INSERT INTO possible_duplicates (patient_a, patient_b, reason, detected_at) VALUES (?, ?, ?, ?)",
					string(min(a.ID, b.ID)), string(max(a.ID, b.ID)), "shares an identifier", tx.now)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 17); err != nil {
				t.Fatal(err)
			}
			q, err := db.FindDuplicateCandidates(ctx, rapport.DuplicateFilter{Status: rapport.DuplicatePending})
			if err != nil || len(q) != 1 || q[0].Reason != "shares an identifier" || q[0].ID == "" {
				t.Fatalf("queue after 00017 = %+v, %v; want the import's pair, pending", q, err)
			}
			if _, err := p.DownTo(ctx, 14); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.q.queryRow(ctx, "SELECT count(*) FROM possible_duplicates").Scan(&n); err != nil || n != 1 {
				t.Errorf("possible_duplicates after down: %d, %v", n, err)
			}
		})
	}
}

// TestMigrateCampaignLaunchStatus checks that migration 00022 renames the
// launch's stored statuses (running while enrolling, done once enrolled) to
// launching and launched, leaves the others, and that its down migration
// names them back.
func TestMigrateCampaignLaunchStatus(t *testing.T) {
	t.Parallel()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, p := openAt(t, d, 18)
			old := map[string]rapport.CampaignStatus{"running": rapport.CampaignLaunching, "done": rapport.CampaignLaunched, "paused": rapport.CampaignPaused}
			ids := map[string]string{}
			for before := range old {
				c := &rapport.Campaign{Journey: "outreach", Version: 1, Status: rapport.CampaignStatus(before)}
				if err := db.InTx(ctx, func(tx *Tx) error { return tx.CreateCampaign(ctx, c) }); err != nil {
					t.Fatal(err)
				}
				ids[before] = c.ID
			}
			if _, err := p.UpTo(ctx, 22); err != nil {
				t.Fatal(err)
			}
			for before, after := range old {
				if c, err := db.FindCampaign(ctx, ids[before]); err != nil || c.Status != after {
					t.Errorf("stored %s, after 00022: %+v, %v; want %s", before, c, err, after)
				}
			}
			if _, err := p.DownTo(ctx, 18); err != nil {
				t.Fatal(err)
			}
			for before := range old {
				if c, err := db.FindCampaign(ctx, ids[before]); err != nil || string(c.Status) != before {
					t.Errorf("after down: %+v, %v; want %s", c, err, before)
				}
			}
		})
	}
}

// TestMigrateSharedValues checks that migration 00040 carries each shared
// value's count from its holders' contact points into shared_values (and
// none for a value of one patient or an empty one), that contact points
// read after it say the same, and that its down migration puts the counts
// back on the holders.
func TestMigrateSharedValues(t *testing.T) {
	t.Parallel()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, p := openAt(t, d, 39)
			ts := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			if _, err := db.q.exec(ctx, "INSERT INTO patients (id, created_at, updated_at) VALUES ('p1', ?, ?), ('p2', ?, ?), ('p3', ?, ?)",
				ts, ts, ts, ts, ts, ts); err != nil {
				t.Fatal(err)
			}
			// As the recount left them: the family landline on p1 and p2
			// (twice on p2), p3's own number, two empty values.
			if _, err := db.q.exec(ctx, `INSERT INTO contact_points (id, patient_id, kind, raw, value, status, status_at, source, shared_by) VALUES
				('c1', 'p1', 'phone', 'x', '+15125550100', 'valid', ?, 'ehr', 2), ('c2', 'p2', 'phone', 'x', '+15125550100', 'valid', ?, 'ehr', 2),
				('c3', 'p2', 'phone', 'y', '+15125550100', 'valid', ?, 'ehr', 2), ('c4', 'p3', 'phone', 'z', '+15125550199', 'valid', ?, 'ehr', 0),
				('c5', 'p1', 'phone', '', '', 'invalid', ?, 'ehr', 0), ('c6', 'p3', 'phone', '', '', 'invalid', ?, 'ehr', 0)`, ts, ts, ts, ts, ts, ts); err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 40); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"c1": 2, "c2": 2, "c3": 2, "c4": 0, "c5": 0, "c6": 0}
			for id, n := range want {
				tx, err := db.Begin(ctx)
				if err != nil {
					t.Fatal(err)
				}
				c, err := tx.FindContactPoint(ctx, id)
				tx.Rollback(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if c.SharedBy != n {
					t.Errorf("after 00040: %s shared by %d, want %d", id, c.SharedBy, n)
				}
			}
			if _, err := p.DownTo(ctx, 39); err != nil {
				t.Fatal(err)
			}
			for id, n := range want {
				var got int
				if err := db.q.queryRow(ctx, "SELECT shared_by FROM contact_points WHERE id = ?", id).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != n {
					t.Errorf("after down: %s shared_by %d, want %d", id, got, n)
				}
			}
		})
	}
}

// TestMigrateSharedPeople: 00041 counts people for the values merged
// records hold (p2 merged into p1; p3 a relative), forgets a value one
// person holds, leaves other counts alone, and its down migration gives
// back the records' counts.
func TestMigrateSharedPeople(t *testing.T) {
	t.Parallel()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, p := openAt(t, d, 40)
			ts := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			seedRows(t, db, ts,
				"INSERT INTO patients (id, created_at, updated_at) VALUES ('p1', ?, ?), ('p2', ?, ?), ('p3', ?, ?), ('p4', ?, ?), ('p5', ?, ?)",
				`INSERT INTO contact_points (id, patient_id, kind, raw, value, status, status_at, source) VALUES
				('c1', 'p1', 'phone', 'x', '+15125550100', 'valid', ?, 'ehr'), ('c2', 'p2', 'phone', 'x', '+15125550100', 'valid', ?, 'ehr'),
				('c3', 'p3', 'phone', 'x', '+15125550100', 'valid', ?, 'ehr'), ('c4', 'p1', 'email', 'x', 'rosa@example.org', 'valid', ?, 'ehr'),
				('c5', 'p2', 'email', 'x', 'rosa@example.org', 'valid', ?, 'ehr'), ('c6', 'p4', 'phone', 'x', '+15125550199', 'valid', ?, 'ehr'),
				('c7', 'p5', 'phone', 'x', '+15125550199', 'valid', ?, 'ehr')`,
				"INSERT INTO shared_values (kind, value, holders) VALUES ('phone', '+15125550100', 3), ('email', 'rosa@example.org', 2), ('phone', '+15125550199', 2)",
				"INSERT INTO patient_merges (merged_id, id, survivor_id, merged_by, merged_at) VALUES ('p2', 'm1', 'p1', 'nurse', ?)",
			)
			counts := func() map[string]int {
				got := map[string]int{}
				rs, err := db.q.query(ctx, "SELECT value, holders FROM shared_values")
				if err != nil {
					t.Fatal(err)
				}
				defer rs.Close()
				for rs.Next() {
					var v string
					var n int
					if err := rs.Scan(&v, &n); err != nil {
						t.Fatal(err)
					}
					got[v] = n
				}
				return got
			}
			if _, err := p.UpTo(ctx, 41); err != nil {
				t.Fatal(err)
			}
			if got, want := counts(), map[string]int{"+15125550100": 2, "+15125550199": 2}; !reflect.DeepEqual(got, want) {
				t.Errorf("after 00041: %v, want %v", got, want)
			}
			if _, err := p.DownTo(ctx, 40); err != nil {
				t.Fatal(err)
			}
			if got, want := counts(), map[string]int{"+15125550100": 3, "rosa@example.org": 2, "+15125550199": 2}; !reflect.DeepEqual(got, want) {
				t.Errorf("after down: %v, want %v", got, want)
			}
		})
	}
}

// seedRows runs each statement with ts bound to every parameter: rows as
// an older schema held them.
func seedRows(t *testing.T, db *DB, ts time.Time, statements ...string) {
	t.Helper()
	for _, q := range statements {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = ts
		}
		if _, err := db.q.exec(context.Background(), q, args...); err != nil {
			t.Fatal(err)
		}
	}
}
