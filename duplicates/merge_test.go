package duplicates_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/duplicates"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

type fixture struct {
	t     testing.TB
	ctx   context.Context
	db    *store.DB
	clock *rapport.ManualClock
}

func open(t testing.TB, d store.Dialect) *fixture {
	clock := rapport.NewManualClock(start)
	return &fixture{t: t, ctx: context.Background(), db: dbtest.Open(t, d, clock), clock: clock}
}

func (f *fixture) tx(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.db.InTx(f.ctx, fn); err != nil {
		f.t.Fatal(err)
	}
}

// patient makes a record with an identifier, a phone, an opt-out of email,
// a live enrollment in "offer" and one in a journey of its own, and a
// ledger event: everything a merge must keep and an unmerge give back.
func (f *fixture) patient(i int) rapport.PatientID {
	f.t.Helper()
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", BirthDate: "1960-01-02", Language: "en",
		Identifiers: []rapport.Identifier{{System: "urn:mrn", Value: fmt.Sprintf("MRN-%d", i)}},
		Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "x", Value: fmt.Sprintf("+1512234%04d", i), Use: rapport.UseMobile,
			Status: rapport.StatusValid, Source: rapport.SourceImport}}}
	f.tx(func(tx *store.Tx) error {
		if err := tx.CreatePatients(f.ctx, []*rapport.Patient{p}); err != nil {
			return err
		}
		if err := tx.RecordConsent(f.ctx, &rapport.Consent{PatientID: p.ID, Channel: rapport.ChannelEmail, Purpose: rapport.PurposeOutreach,
			Decision: rapport.OptOut, Source: rapport.SourcePatient}); err != nil {
			return err
		}
		if err := tx.CreateEnrollments(f.ctx, []*rapport.Enrollment{
			{Journey: "offer", Version: 1, PatientID: p.ID, Step: "ask", Status: rapport.EnrollmentWaiting, WakeAt: start.Add(time.Hour), Vars: map[string]string{"n": fmt.Sprint(i)}},
			{Journey: fmt.Sprintf("own-%d", i), Version: 1, PatientID: p.ID, Step: "s", Status: rapport.EnrollmentActive, WakeAt: start},
		}); err != nil {
			return err
		}
		return tx.AppendEvents(f.ctx, rapport.Event{PatientID: p.ID, Kind: "test.event"})
	})
	f.clock.Advance(time.Minute)
	return p.ID
}

// state is a record's full state as a user of rapport can see it.
type state struct {
	Patient     *rapport.Patient
	Consents    []rapport.Consent
	Enrollments []rapport.Enrollment
	Ledger      []rapport.Event
}

// snapshot reads the record's state. The ledger is append-only, so the
// duplicate workflow's own events (queued, merged, unmerged) stay after an
// unmerge; every other row must be there, unchanged, and no other added.
func (f *fixture) snapshot(id rapport.PatientID) state {
	f.t.Helper()
	var s state
	var err error
	if s.Patient, err = f.db.FindPatientByID(f.ctx, id); err != nil {
		f.t.Fatal(err)
	}
	if s.Consents, err = f.db.FindConsents(f.ctx, id); err != nil {
		f.t.Fatal(err)
	}
	es, err := f.db.FindPatientEnrollments(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range es {
		s.Enrollments = append(s.Enrollments, *e)
	}
	evs, err := f.db.FindEvents(f.ctx, rapport.EventFilter{PatientID: id})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range evs {
		switch e.Kind {
		case rapport.EventPatientMerged, rapport.EventPatientUnmerged, rapport.EventPossibleDuplicate:
		default:
			s.Ledger = append(s.Ledger, e)
		}
	}
	return s
}

func TestMergeUnmergeRestoresExactly(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := open(t, d)
			a, b := f.patient(1), f.patient(2)
			before := map[rapport.PatientID]state{a: f.snapshot(a), b: f.snapshot(b)}

			f.tx(func(tx *store.Tx) error { _, err := duplicates.Merge(f.ctx, tx, a, b, "nurse"); return err })
			// Merged: one live "offer" enrollment for the person, on the
			// survivor; the merged record's other journey moved to it.
			live := 0
			for _, pid := range []rapport.PatientID{a, b} {
				for _, e := range f.snapshot(pid).Enrollments {
					if e.Journey == "offer" && e.Status == rapport.EnrollmentWaiting {
						live++
					}
					if e.Journey == "own-2" && e.PatientID != a {
						t.Errorf("merged record's own journey is on %s, want the survivor", e.PatientID)
					}
				}
			}
			if live != 1 {
				t.Errorf("live offer enrollments after merge = %d, want 1", live)
			}
			if evs, _ := f.db.FindEvents(f.ctx, rapport.EventFilter{Kind: rapport.EventPatientMerged}); len(evs) != 2 {
				t.Errorf("merge events = %d, want one per record", len(evs))
			}
			f.clock.Advance(time.Hour)
			f.tx(func(tx *store.Tx) error { _, err := duplicates.Unmerge(f.ctx, tx, b, "nurse"); return err })

			for _, pid := range []rapport.PatientID{a, b} {
				if got := f.snapshot(pid); !reflect.DeepEqual(got, before[pid]) {
					t.Errorf("patient %s after merge and unmerge:\n got %+v\nwant %+v", pid, got, before[pid])
				}
			}
			if evs, _ := f.db.FindEvents(f.ctx, rapport.EventFilter{Kind: rapport.EventPatientUnmerged}); len(evs) != 2 {
				t.Errorf("unmerge events = %d, want one per record", len(evs))
			}
			qs, _ := f.db.FindDuplicateCandidates(f.ctx, rapport.DuplicateFilter{Status: rapport.DuplicatePending})
			if len(qs) != 1 {
				t.Errorf("pending pairs after unmerge = %d, want the pair back in review", len(qs))
			}
		})
	}
}

func TestMergeRefusesChains(t *testing.T) {
	t.Parallel()
	f := open(t, store.SQLite)
	a, b, c := f.patient(1), f.patient(2), f.patient(3)
	f.tx(func(tx *store.Tx) error { _, err := duplicates.Merge(f.ctx, tx, a, b, "nurse"); return err })
	for _, pair := range [][2]rapport.PatientID{{c, b}, {b, c}, {c, a}, {a, a}} {
		err := f.db.InTx(f.ctx, func(tx *store.Tx) error { _, err := duplicates.Merge(f.ctx, tx, pair[0], pair[1], "nurse"); return err })
		if code := rapport.ErrorCode(err); code != rapport.ECONFLICT && code != rapport.EINVALID {
			t.Errorf("merge %s into %s: %v, want a conflict", pair[1], pair[0], err)
		}
	}
}

func TestEnqueueAutoMergesOnlyWhenEnabled(t *testing.T) {
	t.Parallel()
	f := open(t, store.SQLite)
	a, b := f.patient(1), f.patient(2)
	c, d := f.patient(3), f.patient(4)
	sure := []rapport.DuplicateCandidate{{A: a, B: b, Probability: 0.9999, Weight: 30,
		Explanation: []rapport.FieldEvidence{{Field: "family", Comparison: "jaro_winkler 0.96", Weight: 6.1}}}}
	f.tx(func(tx *store.Tx) error {
		ms, err := duplicates.Enqueue(f.ctx, tx, sure)
		if len(ms) != 0 {
			t.Errorf("merged %d pairs with automatic merges off (the default)", len(ms))
		}
		return err
	})
	f.tx(func(tx *store.Tx) error { return tx.SetMergeSettings(f.ctx, rapport.MergeSettings{AutoMerge: true}) })
	f.tx(func(tx *store.Tx) error {
		ms, err := duplicates.Enqueue(f.ctx, tx, []rapport.DuplicateCandidate{
			{A: c, B: d, Probability: 0.95}, // uncertain: stays for review
			sure[0],
		})
		if len(ms) != 1 || ms[0].Survivor != min(a, b) || ms[0].By != duplicates.AutoMergeActor {
			t.Errorf("auto merges = %+v, want the sure pair only", ms)
		}
		return err
	})
	qs, _ := f.db.FindDuplicateCandidates(f.ctx, rapport.DuplicateFilter{})
	if len(qs) != 2 || qs[0].Status != rapport.DuplicateMerged || qs[1].Status != rapport.DuplicatePending {
		t.Errorf("queue = %+v", qs)
	}
	if len(qs) > 0 && (len(qs[0].Explanation) != 1 || qs[0].Explanation[0].Field != "family") {
		t.Errorf("explanation lost: %+v", qs[0].Explanation)
	}
}

// TestPropertyMergeUnmerge: whatever merges and unmerges happen, in any
// order, unmerging everything gives every record back as it was.
func TestPropertyMergeUnmerge(t *testing.T) {
	t.Parallel()
	f := open(t, store.SQLite)
	var ids []rapport.PatientID
	for i := range 5 {
		ids = append(ids, f.patient(i))
	}
	before := map[rapport.PatientID]state{}
	for _, id := range ids {
		before[id] = f.snapshot(id)
	}
	rapid.Check(t, func(rt *rapid.T) {
		var merged []rapport.PatientID
		ops := rapid.SliceOfN(rapid.IntRange(0, 3*len(ids)), 1, 12).Draw(rt, "ops")
		for n, op := range ops {
			f.clock.Advance(time.Minute)
			if op >= len(ids)*2 && len(merged) > 0 { // unmerge one
				k := op % len(merged)
				err := f.db.InTx(f.ctx, func(tx *store.Tx) error { _, err := duplicates.Unmerge(f.ctx, tx, merged[k], "p"); return err })
				if rapport.ErrorCode(err) == rapport.ECONFLICT {
					continue // a later merge into the same record comes first
				} else if err != nil {
					rt.Fatalf("op %d unmerge: %v", n, err)
				}
				merged = slices.Delete(merged, k, k+1)
				continue
			}
			s, m := ids[op%len(ids)], ids[(op/len(ids)+op+1)%len(ids)]
			err := f.db.InTx(f.ctx, func(tx *store.Tx) error { _, err := duplicates.Merge(f.ctx, tx, s, m, "p"); return err })
			switch code := rapport.ErrorCode(err); code {
			case "":
				merged = append(merged, m)
			case rapport.ECONFLICT, rapport.EINVALID: // a chain or a record with itself: refused, nothing changed
			default:
				rt.Fatalf("op %d merge %s into %s: %v", n, m, s, err)
			}
		}
		for len(merged) > 0 {
			k := rapid.IntRange(0, len(merged)-1).Draw(rt, "unmerge")
			f.clock.Advance(time.Minute)
			err := f.db.InTx(f.ctx, func(tx *store.Tx) error { _, err := duplicates.Unmerge(f.ctx, tx, merged[k], "p"); return err })
			if rapport.ErrorCode(err) == rapport.ECONFLICT {
				continue
			} else if err != nil {
				rt.Fatalf("final unmerge: %v", err)
			}
			merged = slices.Delete(merged, k, k+1)
		}
		for _, id := range ids {
			if got := f.snapshot(id); !reflect.DeepEqual(got, before[id]) {
				rt.Fatalf("patient %s not restored:\n got %+v\nwant %+v", id, got, before[id])
			}
		}
	})
}
