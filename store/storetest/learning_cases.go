package storetest

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

func phonePatient(given, phone string) *rapport.Patient {
	return &rapport.Patient{Given: given, Family: "Diaz", Contacts: []rapport.ContactPoint{
		{Kind: rapport.ContactPhone, Raw: phone, Value: phone, Use: rapport.UseMobile, Status: rapport.StatusUnverified, Source: rapport.SourceImport}}}
}

func contactOf(t *testing.T, s suite, pid rapport.PatientID) rapport.ContactPoint {
	t.Helper()
	p, err := s.db.FindPatientByID(s.ctx, pid)
	if err != nil || len(p.Contacts) != 1 {
		t.Fatalf("patient %s: %v, %+v", pid, err, p)
	}
	return p.Contacts[0]
}

// testSharedNumbers: one landline on three patients is marked on each, a
// number of one patient is not, and a later import that adds the number
// to a fourth record recounts all of them.
func testSharedNumbers(t *testing.T, s suite) {
	a, b, c, alone := phonePatient("A", "+15125550100"), phonePatient("B", "+15125550100"), phonePatient("C", "+15125550100"), phonePatient("D", "+15125550199")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b, alone}) })
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{c}) })
	for _, p := range []*rapport.Patient{a, b, c} {
		if cp := contactOf(t, s, p.ID); cp.SharedBy != 3 || !cp.Shared() {
			t.Errorf("%s: shared_by %d, want 3", p.Given, cp.SharedBy)
		}
	}
	if cp := contactOf(t, s, alone.ID); cp.SharedBy != 0 || cp.Shared() {
		t.Errorf("a number of one patient: shared_by %d, want 0", cp.SharedBy)
	}
	alone.Contacts = append(alone.Contacts, rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "+15125550100", Value: "+15125550100",
		Status: rapport.StatusUnverified, Source: rapport.SourceImport})
	s.tx(t, func(tx *store.Tx) error { return tx.UpdatePatient(s.ctx, alone) })
	if cp := contactOf(t, s, a.ID); cp.SharedBy != 4 {
		t.Errorf("after an update adds the number to a fourth record: shared_by %d, want 4", cp.SharedBy)
	}
}

// testSharedRecountWritesOnlyChanges: recounting values whose holders did
// not change writes no row. On PostgreSQL every row an UPDATE sets gets a
// new version and new index entries, changed or not, and imports recount
// the values of every batch.
func testSharedRecountWritesOnlyChanges(t *testing.T, s suite) {
	a, b, alone := phonePatient("A", "+15125550110"), phonePatient("B", "+15125550110"), phonePatient("C", "+15125550119")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b, alone}) })
	// The rows' versions: their places on PostgreSQL (an update moves a
	// row), the connection's count of rows written on SQLite.
	version := func() string {
		t.Helper()
		q := "SELECT concat((SELECT string_agg(ctid::text, ',' ORDER BY id) FROM contact_points), '/', " +
			"(SELECT string_agg(ctid::text, ',' ORDER BY value) FROM shared_values))"
		if s.db.Dialect() == store.SQLite {
			q = "SELECT total_changes()"
		}
		var v string
		if err := s.db.SQLDB().QueryRowContext(s.ctx, q).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()
	s.tx(t, func(tx *store.Tx) error {
		return tx.RefreshShared(s.ctx, rapport.ContactPhone, []string{"+15125550110", "+15125550119"})
	})
	if after := version(); after != before {
		t.Errorf("recounting unchanged holders wrote rows: %s before, %s after", before, after)
	}
	if cp := contactOf(t, s, a.ID); cp.SharedBy != 2 {
		t.Errorf("shared_by %d, want 2", cp.SharedBy)
	}
	// A holder gone (as a merge moves or removes records), the recount
	// forgets the count: the number is A's alone.
	if _, err := s.db.SQLDB().ExecContext(s.ctx, "DELETE FROM contact_points WHERE patient_id = '"+string(b.ID)+"'"); err != nil {
		t.Fatal(err)
	}
	s.tx(t, func(tx *store.Tx) error {
		return tx.RefreshShared(s.ctx, rapport.ContactPhone, []string{"+15125550110"})
	})
	if cp := contactOf(t, s, a.ID); cp.SharedBy != 0 {
		t.Errorf("after the other holder left: shared_by %d, want 0", cp.SharedBy)
	}
	// Numbers that did not parse have no value: asked to count it, the
	// recount leaves their holders unshared.
	blank := []*rapport.Patient{phonePatient("D", ""), phonePatient("E", "")}
	for _, p := range blank {
		p.Contacts[0].Raw, p.Contacts[0].Status = "not a number", rapport.StatusInvalid
	}
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, blank) })
	s.tx(t, func(tx *store.Tx) error { return tx.RefreshShared(s.ctx, rapport.ContactPhone, []string{""}) })
	for _, p := range blank {
		if cp := contactOf(t, s, p.ID); cp.Value != "" || cp.SharedBy != 0 {
			t.Errorf("%s: value %q shared by %d, want an empty value shared by none", p.Given, cp.Value, cp.SharedBy)
		}
	}
}

// testBulkLoadCountsSharedAtTheEnd: a file loaded into a database without
// patients is a bulk load on either database, and a number its batches
// share is counted on every holder once the load ends; a database that
// holds patients gets no bulk load.
func testBulkLoadCountsSharedAtTheEnd(t *testing.T, s suite) {
	a, b, c := phonePatient("A", "+15125550120"), phonePatient("B", "+15125550120"), phonePatient("C", "+15125550129")
	s.tx(t, func(tx *store.Tx) error {
		if bulk, err := tx.BeginBulkLoad(s.ctx); err != nil || !bulk {
			t.Errorf("an empty database: bulk load %v, %v; want one", bulk, err)
		}
		if err := tx.CreatePatients(s.ctx, []*rapport.Patient{a}); err != nil {
			return err
		}
		return tx.CreatePatients(s.ctx, []*rapport.Patient{b, c})
	})
	for _, p := range []*rapport.Patient{a, b} {
		if cp := contactOf(t, s, p.ID); cp.SharedBy != 2 {
			t.Errorf("%s: shared_by %d after the bulk load, want 2", p.Given, cp.SharedBy)
		}
	}
	if cp := contactOf(t, s, c.ID); cp.SharedBy != 0 {
		t.Errorf("C: shared_by %d, want 0", cp.SharedBy)
	}
	s.tx(t, func(tx *store.Tx) error {
		if bulk, err := tx.BeginBulkLoad(s.ctx); err != nil || bulk {
			t.Errorf("a database with patients: bulk load %v, %v; want none", bulk, err)
		}
		return nil
	})
}

// testImportCountsSharedAtCommit: an import into a database that holds
// patients counts the holders of the values its batches touched once, when
// it commits, whichever batch brought them; a rolled-back import leaves
// the counts as they were.
func testImportCountsSharedAtCommit(t *testing.T, s suite) {
	first := phonePatient("A", "+15125550130")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{first}) })
	batches := [][]*rapport.Patient{{phonePatient("B", "+15125550130")}, {phonePatient("C", "+15125550130"), phonePatient("D", "+15125550139")}}
	imp := func(commit bool, batches [][]*rapport.Patient) {
		t.Helper()
		tx, err := s.db.BeginImport(s.ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(s.ctx)
		for _, b := range batches {
			if err := tx.CreatePatients(s.ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		if commit {
			if err := tx.Commit(s.ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	imp(false, [][]*rapport.Patient{{phonePatient("E", "+15125550130")}})
	if cp := contactOf(t, s, first.ID); cp.SharedBy != 0 {
		t.Errorf("after a rolled-back import: shared_by %d, want 0", cp.SharedBy)
	}
	imp(true, batches)
	for _, p := range []*rapport.Patient{first, batches[0][0], batches[1][0]} {
		if cp := contactOf(t, s, p.ID); cp.SharedBy != 3 {
			t.Errorf("%s: shared_by %d after the import, want 3", p.Given, cp.SharedBy)
		}
	}
	if cp := contactOf(t, s, batches[1][1].ID); cp.SharedBy != 0 {
		t.Errorf("D: shared_by %d, want 0", cp.SharedBy)
	}
}

// testConfirmAndStaleness: an answer makes a contact valid and restarts its
// staleness clock; soft failures count until then, and the third makes the
// contact point stale at once; the sweep marks stale what a year without an
// answer made stale, with a ledger event, and leaves opted-out and fresh
// contact points alone.
func testConfirmAndStaleness(t *testing.T, s suite) {
	old, answered, flaky, optedOut := phonePatient("Old", "+15125550101"), phonePatient("Answered", "+15125550102"),
		phonePatient("Flaky", "+15125550103"), phonePatient("Out", "+15125550104")
	optedOut.Contacts[0].Status = rapport.StatusOptedOut
	s.tx(t, func(tx *store.Tx) error {
		return tx.CreatePatients(s.ctx, []*rapport.Patient{old, answered, flaky, optedOut})
	})

	s.clock.Advance(300 * 24 * time.Hour)
	// Read before the transaction: SQLite has one connection.
	answeredID, optedOutID, flakyID := contactOf(t, s, answered.ID).ID, contactOf(t, s, optedOut.ID).ID, contactOf(t, s, flaky.ID).ID
	s.tx(t, func(tx *store.Tx) error {
		if err := tx.ConfirmContactPoint(s.ctx, answeredID, "sms reply to message m1"); err != nil {
			return err
		}
		if err := tx.ConfirmContactPoint(s.ctx, optedOutID, "sms reply to message m2"); err != nil {
			return err
		}
		for i := range 3 {
			stale, err := tx.RecordSoftFailure(s.ctx, flakyID, tx.Now(), rapport.Staleness{})
			if err != nil {
				return err
			}
			if stale != (i == 2) {
				t.Errorf("soft failure %d: stale %v; want stale at the third, not before", i+1, stale)
			}
		}
		return nil
	})
	if cp := contactOf(t, s, answered.ID); cp.Status != rapport.StatusValid || !cp.ConfirmedAt.Equal(s.clock.Now()) || cp.StatusReason != "sms reply to message m1" {
		t.Errorf("answered: %+v, want valid, confirmed now, with the evidence", cp)
	}
	if cp := contactOf(t, s, optedOut.ID); cp.Status != rapport.StatusOptedOut {
		t.Errorf("an answer turned an opted-out contact point %s", cp.Status)
	}
	if cp := contactOf(t, s, flaky.ID); cp.SoftFailures != 3 || !cp.SoftFailedAt.Equal(s.clock.Now()) || cp.Status != rapport.StatusStale || !cp.StatusAt.Equal(s.clock.Now()) {
		t.Errorf("flaky: %d soft failures at %v, %s since %v; want 3 now, stale at once", cp.SoftFailures, cp.SoftFailedAt, cp.Status, cp.StatusAt)
	}
	if evs, err := s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: flaky.ID}); err != nil || len(evs) == 0 || evs[len(evs)-1].Kind != rapport.EventContactStatus {
		t.Errorf("no contact-status event when the third soft failure made the contact stale: %+v, %v", evs, err)
	}

	s.clock.Advance(100 * 24 * time.Hour) // 400 days after import, 100 after the answer
	n, err := s.db.MarkStaleContacts(s.ctx, rapport.Staleness{})
	if err != nil || n != 1 {
		t.Fatalf("MarkStaleContacts = %d, %v; want 1 (old; flaky was marked at its third failure)", n, err)
	}
	want := map[rapport.PatientID]rapport.ContactStatus{old.ID: rapport.StatusStale, flaky.ID: rapport.StatusStale,
		answered.ID: rapport.StatusValid, optedOut.ID: rapport.StatusOptedOut}
	for pid, st := range want {
		if cp := contactOf(t, s, pid); cp.Status != st {
			t.Errorf("%s: %s (%s), want %s", pid, cp.Status, cp.StatusReason, st)
		}
	}
	evs, err := s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: old.ID})
	if err != nil || len(evs) == 0 || evs[len(evs)-1].Kind != rapport.EventContactStatus {
		t.Errorf("no contact-status event for the stale contact: %+v, %v", evs, err)
	}
	if n, err := s.db.MarkStaleContacts(s.ctx, rapport.Staleness{}); err != nil || n != 0 {
		t.Errorf("second sweep = %d, %v; want 0", n, err)
	}
}

// testLineLookups: numbers never looked up are due; an answer is cached with
// its date and sets the line type of every contact point with the number;
// it is due again only after the maximum age; a failure waits for its retry.
func testLineLookups(t *testing.T, s suite) {
	a, b, other := phonePatient("A", "+15125550110"), phonePatient("B", "+15125550110"), phonePatient("C", "+15125550111")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b, other}) })
	maxAge := 90 * 24 * time.Hour
	due, err := s.db.DuePhoneLookups(s.ctx, s.clock.Now(), maxAge, 10)
	if err != nil || len(due) != 2 || due[0] != "+15125550110" || due[1] != "+15125550111" {
		t.Fatalf("due = %v, %v; want both numbers once", due, err)
	}
	now := s.clock.Now()
	s.tx(t, func(tx *store.Tx) error {
		if err := tx.PutLineLookups(s.ctx, []rapport.LineLookup{
			{Number: "+15125550110", Provider: "twilio", LineType: rapport.LineLandline, ProviderType: "landline", LookedUpAt: now, RetryAt: now},
			{Number: "+15125550111", Provider: "twilio", Attempts: 1, RetryAt: now.Add(time.Hour), LastError: "HTTP 503"},
		}); err != nil {
			return err
		}
		n, err := tx.SetLineTypeOfNumber(s.ctx, "+15125550110", rapport.LineLandline, "twilio lookup: landline")
		if n != 2 {
			t.Errorf("SetLineTypeOfNumber changed %d contact points, want 2", n)
		}
		return err
	})
	for _, p := range []*rapport.Patient{a, b} {
		if cp := contactOf(t, s, p.ID); cp.LineType != rapport.LineLandline {
			t.Errorf("%s: line type %q, want landline", p.Given, cp.LineType)
		}
	}
	if due, _ := s.db.DuePhoneLookups(s.ctx, now, maxAge, 10); len(due) != 0 {
		t.Errorf("right after: due %v, want none", due)
	}
	if due, _ := s.db.DuePhoneLookups(s.ctx, now.Add(2*time.Hour), maxAge, 10); len(due) != 1 || due[0] != "+15125550111" {
		t.Errorf("after the retry time: due %v, want the failed number", due)
	}
	if due, _ := s.db.DuePhoneLookups(s.ctx, now.Add(maxAge+time.Hour), maxAge, 10); len(due) != 2 {
		t.Errorf("after the maximum age: due %v, want both", due)
	}
	if un, err := s.db.UnappliedLineLookups(s.ctx, 10); err != nil || len(un) != 0 {
		t.Errorf("unapplied after SetLineTypeOfNumber: %+v, %v; want none", un, err)
	}
	// A patient imported later with the looked-up number: the cached
	// answer is not on it yet; one whose line type delivery taught is left.
	late, taught := phonePatient("E", "+15125550110"), phonePatient("F", "+15125550110")
	late.Contacts[0].LineType = rapport.LineFixedMobile
	taught.Contacts[0].LineType = rapport.LineVoIP
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{late, taught}) })
	if un, err := s.db.UnappliedLineLookups(s.ctx, 10); err != nil || len(un) != 1 || un[0].Number != "+15125550110" ||
		un[0].LineType != rapport.LineLandline || !un[0].LookedUpAt.Equal(now) {
		t.Errorf("unapplied after a later import: %+v, %v; want the landline's answer once", un, err)
	}
	s.tx(t, func(tx *store.Tx) error {
		got, err := tx.FindLineLookups(s.ctx, []string{"+15125550110", "+15125550111"})
		if l := got["+15125550110"]; l.LineType != rapport.LineLandline || !l.LookedUpAt.Equal(now) || got["+15125550111"].LastError != "HTTP 503" {
			t.Errorf("cached lookups = %+v", got)
		}
		return err
	})
}
