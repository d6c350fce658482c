package hygiene_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/linkage/linkagetest"
	"github.com/rapporthq/rapport/store"
)

var start = time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)

// markStale is a Staleness that marks the contact points it is given.
type markStale struct {
	db  *store.DB
	ids []string
}

func (m *markStale) MarkStale(ctx context.Context, _ time.Time) (int, error) {
	err := m.db.InTx(ctx, func(tx *store.Tx) error {
		for _, id := range m.ids {
			if err := tx.SetContactStatus(ctx, id, rapport.StatusStale, "no answer for 6 months"); err != nil {
				return err
			}
		}
		return nil
	})
	n := len(m.ids)
	m.ids = nil
	return n, err
}

// patientOf turns a generated linkage record into a patient.
func patientOf(r linkage.Record) *rapport.Patient {
	p := &rapport.Patient{Given: r.Given, Family: r.Family, BirthDate: r.BirthDate, Sex: rapport.Sex(r.Sex), Language: "en",
		Address: rapport.Address{Lines: []string{r.Street}, City: r.City, State: r.State, PostalCode: r.PostalCode}}
	for _, id := range r.Identifiers {
		sys, val, _ := strings.Cut(id, "|")
		p.Identifiers = append(p.Identifiers, rapport.Identifier{System: sys, Value: val})
	}
	if r.Phone != "" {
		p.Contacts = append(p.Contacts, rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: r.Phone, Value: r.Phone, Use: rapport.UseMobile,
			Rank: 1, Status: rapport.StatusUnverified, Source: rapport.SourceImport})
	}
	if r.Email != "" {
		p.Contacts = append(p.Contacts, rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: r.Email, Value: r.Email,
			Rank: 1, Status: rapport.StatusUnverified, Source: rapport.SourceImport})
	}
	return p
}

type fixture struct {
	ctx   context.Context
	db    *store.DB
	clock *rapport.ManualClock
	stale *markStale
	ps    []*rapport.Patient
}

func setup(t *testing.T, db *store.DB, clock *rapport.ManualClock) *fixture {
	f := &fixture{ctx: context.Background(), db: db, clock: clock, stale: &markStale{db: db}}
	pop := linkagetest.Generate(linkagetest.Params{People: 400, DupRate: 0.05, HouseholdRate: 0.1, Seed: 3})
	for _, r := range pop.Records {
		f.ps = append(f.ps, patientOf(r))
	}
	f.create(t, f.ps...)
	return f
}

func (f *fixture) create(t *testing.T, ps ...*rapport.Patient) {
	t.Helper()
	if err := f.db.InTx(f.ctx, func(tx *store.Tx) error { return tx.CreatePatients(f.ctx, ps) }); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) run(t *testing.T) *hygiene.Report {
	t.Helper()
	r, err := hygiene.Run(f.ctx, hygiene.Deps{DB: f.db, Staleness: f.stale, BatchSize: 64}, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) contact(t *testing.T, pid rapport.PatientID, kind rapport.ContactKind) rapport.ContactPoint {
	t.Helper()
	p, err := f.db.FindPatientByID(f.ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Contacts {
		if c.Kind == kind {
			return c
		}
	}
	t.Fatalf("patient %s has no %s", pid, kind)
	return rapport.ContactPoint{}
}

// TestRunMonth: three monthly runs. The first fits the model over everyone
// and finds the generated duplicates; between runs a number goes stale, an
// email that an older check let through turns out invalid and a new record
// of an existing person arrives; the second run finds that duplicate
// incrementally and reports what changed; the third, with nothing new,
// reports no new pair.
func TestRunMonth(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		clock := db.Clock().(*rapport.ManualClock)
		f := setup(t, db, clock)

		first := f.run(t)
		if !first.Duplicates.Full || first.Duplicates.Found == 0 || first.Duplicates.Pending != first.Duplicates.Found {
			t.Fatalf("first run duplicates: %+v", first.Duplicates)
		}
		if n := contacts(f.ps); first.Validation.Checked != n {
			t.Errorf("first run checked %d contact points, want %d", first.Validation.Checked, n)
		}
		// Generated numbers outside the numbering plan and their emails
		// aside, most are reachable; every patient is urban.
		if r := first.Reach; r.Patients != len(f.ps) || r.Reachable == 0 || r.Reachable == r.Patients ||
			len(r.Segments) == 0 || r.Segments[len(r.Segments)-1] != (hygiene.SegmentReach{Segment: "urban", Patients: r.Patients, Reachable: r.Reachable}) {
			t.Errorf("reach %+v", r)
		}

		clock.Advance(30 * 24 * time.Hour)
		// A month later: Ana's phone goes stale; Ben's email, stored as
		// unverified by an older check, is not an address; a second
		// record of Cora arrives, one letter transposed in her surname.
		ok := f.clean(t)
		ana, ben, cora := ok[0], ok[1], ok[2]
		anaPhone := f.contact(t, ana.ID, rapport.ContactPhone)
		f.stale.ids = []string{anaPhone.ID}
		benEmail := f.contact(t, ben.ID, rapport.ContactEmail)
		setRaw(t, f, benEmail.ID, "ben at example")
		twin := *cora
		twin.ID, twin.Identifiers = "", nil
		twin.Family = cora.Family[:1] + cora.Family[2:3] + cora.Family[1:2] + cora.Family[3:]
		twin.Contacts = []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: cora.Contacts[0].Raw, Use: rapport.UseMobile,
			Status: rapport.StatusUnverified, Source: rapport.SourceImport}}
		f.create(t, &twin)

		second := f.run(t)
		d := second.Duplicates
		if d.Full || d.Changed != 1 || d.Found < 1 || d.Pending != first.Duplicates.Pending+d.Found {
			t.Errorf("second run duplicates: %+v, want incremental over 1 changed patient finding the twin", d)
		}
		if !hasPair(t, f, twin.ID, cora.ID) {
			t.Errorf("the twin %s of %s was not recorded as a possible duplicate", twin.ID, cora.ID)
		}
		if got := f.contact(t, ben.ID, rapport.ContactEmail); got.Status != rapport.StatusInvalid || got.StatusReason == "" {
			t.Errorf("Ben's email: %s (%q), want invalid with a reason", got.Status, got.StatusReason)
		}
		if got := f.contact(t, ana.ID, rapport.ContactPhone); got.Status != rapport.StatusStale {
			t.Errorf("Ana's phone: %s, want stale", got.Status)
		}
		c := second.Changes
		if second.PreviousRunID != first.RunID || c.ContactsChanged != 2 ||
			c.Transitions["unverified->stale"] != 1 || c.Transitions["unverified->invalid"] != 1 {
			t.Errorf("changes since the first run: %+v (previous %q)", c, second.PreviousRunID)
		}
		// The twin's phone is new (+1) and valid; Ana's and Ben's left
		// unverified (-2) for stale (+1) and invalid (+1).
		if c.StatusDelta["stale"] != 1 || c.StatusDelta["invalid"] != 1 || c.StatusDelta["unverified"] != -1 {
			t.Errorf("status delta %v", c.StatusDelta)
		}
		if second.MarkedStale != 1 || second.Validation.Invalidated != 1 {
			t.Errorf("marked stale %d, invalidated %d; want 1 and 1", second.MarkedStale, second.Validation.Invalidated)
		}

		clock.Advance(30 * 24 * time.Hour)
		third := f.run(t)
		if d := third.Duplicates; d.Full || d.Changed != 0 || d.Pairs != 0 || d.Found != 0 || d.Pending != second.Duplicates.Pending {
			t.Errorf("third run duplicates: %+v, want nothing new", d)
		}
		if third.Changes.ContactsChanged != 0 || third.Validation.Rewritten != 0 || third.Validation.Invalidated != 0 {
			t.Errorf("third run changed things: %+v %+v", third.Changes, third.Validation)
		}

		latest, err := db.LatestHygieneRun(f.ctx)
		if err != nil || latest.ID != third.RunID || len(latest.Model) < 10 {
			t.Fatalf("latest stored run: %v, %v", latest, err)
		}
	})
}

// clean returns the patients whose contact points the first run left
// unverified (some generated numbers are not in the numbering plan).
func (f *fixture) clean(t *testing.T) []*rapport.Patient {
	t.Helper()
	var out []*rapport.Patient
	for _, p := range f.ps {
		if len(p.Contacts) == 2 && f.contact(t, p.ID, rapport.ContactPhone).Status == rapport.StatusUnverified &&
			f.contact(t, p.ID, rapport.ContactEmail).Status == rapport.StatusUnverified && len(p.Family) > 3 {
			out = append(out, p)
		}
		if len(out) == 3 {
			return out
		}
	}
	t.Fatal("fewer than 3 patients with valid contact points")
	return nil
}

func setRaw(t *testing.T, f *fixture, id, raw string) {
	t.Helper()
	q := "UPDATE contact_points SET raw = ?, value = ? WHERE id = ?"
	if f.db.Dialect() == store.Postgres {
		q = "UPDATE contact_points SET raw = $1, value = $2 WHERE id = $3"
	}
	var err error
	if f.db.Dialect() == store.Postgres {
		_, err = f.db.PgxPool().Exec(f.ctx, q, raw, raw, id)
	} else {
		_, err = f.db.SQLDB().ExecContext(f.ctx, q, raw, raw, id)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func hasPair(t *testing.T, f *fixture, a, b rapport.PatientID) bool {
	t.Helper()
	ds, err := f.db.FindPossibleDuplicates(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if (d.A == a && d.B == b) || (d.A == b && d.B == a) {
			return true
		}
	}
	return false
}

func contacts(ps []*rapport.Patient) int {
	n := 0
	for _, p := range ps {
		n += len(p.Contacts)
	}
	return n
}
