package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testRefillChecks: the refill planner reads a regimen only when its check
// is due; a regimen without a fill is parked until one comes, and a new
// fill of its drug (not of another drug) makes it due again at once.
func testRefillChecks(t *testing.T, s suite) {
	a, b := phonePatient("A", "+15125550130"), phonePatient("B", "+15125550131")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b}) })
	now := s.clock.Now()
	filled := &store.Regimen{PatientID: a.ID, Drug: rapport.Code{Code: "314076"}, Zone: "UTC", Schedule: []byte(`{}`), Status: store.RegimenActive}
	unfilled := &store.Regimen{PatientID: b.ID, Drug: rapport.Code{Code: "314076"}, Zone: "UTC", Schedule: []byte(`{}`), Status: store.RegimenActive}
	fill := func(p *rapport.Patient, id string, at time.Time, code string) {
		s.tx(t, func(tx *store.Tx) error {
			return tx.SaveMedicationDispense(s.ctx, &rapport.MedicationDispense{ID: id, PatientID: p.ID, Status: "completed",
				Medication: rapport.Code{Code: code}, DaysSupply: 30, HandedOver: at})
		})
	}
	due := func(at time.Time) []string {
		t.Helper()
		var ids []string
		s.tx(t, func(tx *store.Tx) error {
			fs, err := tx.Refills(s.ctx, at, store.RefillCheck{}, 10)
			for _, f := range fs {
				ids = append(ids, f.Regimen.ID+"/"+f.DispenseID)
			}
			return err
		})
		return ids
	}
	s.tx(t, func(tx *store.Tx) error { return tx.CreateRegimens(s.ctx, []*store.Regimen{filled, unfilled}) })
	fill(a, "fill-1", now.Add(-20*24*time.Hour), "314076")
	if got := due(now); len(got) != 1 || got[0] != filled.ID+"/fill-1" {
		t.Fatalf("due at first: %v, want the filled regimen with its fill", got)
	}
	s.tx(t, func(tx *store.Tx) error {
		if n, err := tx.ParkRefills(s.ctx, now); err != nil || n != 1 {
			t.Errorf("parked %d (%v), want the regimen without a fill", n, err)
		}
		return tx.SetRefillChecks(s.ctx, []store.RefillCheck{{RegimenID: filled.ID, At: now.Add(5 * 24 * time.Hour)}})
	})
	if got := due(now.Add(4 * 24 * time.Hour)); len(got) != 0 {
		t.Errorf("due before the check time: %v, want none", got)
	}
	if got := due(now.Add(5 * 24 * time.Hour)); len(got) != 1 {
		t.Errorf("due at the check time: %v, want the filled regimen", got)
	}
	fill(b, "fill-other", now, "861007") // another drug: b's regimen stays parked
	if got := due(now.Add(400 * 24 * time.Hour)); len(got) != 1 || got[0] != filled.ID+"/fill-1" {
		t.Errorf("after a fill of another drug: %v, want only the filled regimen", got)
	}
	s.tx(t, func(tx *store.Tx) error {
		return tx.SetRefillChecks(s.ctx, []store.RefillCheck{{RegimenID: filled.ID}}) // nothing more to send
	})
	fill(b, "fill-2", now, "314076")
	fill(a, "fill-3", now, "314076")
	if got := due(now); len(got) != 2 || got[0] > got[1] {
		t.Errorf("after new fills of the drug: %v, want both regimens", got)
	}
}

// testRefillPages: paging through the due regimens by the key of the last
// one read returns each due regimen once, in the order they fell due (then
// by id), and none that is not due, whatever the page size.
func testRefillPages(t *testing.T, s suite) {
	now := s.clock.Now()
	var want []string
	checks := []store.RefillCheck{}
	for i := range 7 {
		p := phonePatient(fmt.Sprintf("P%d", i), fmt.Sprintf("+1512555014%d", i))
		r := &store.Regimen{Drug: rapport.Code{Code: "314076"}, Zone: "UTC", Schedule: []byte(`{}`), Status: store.RegimenActive}
		s.tx(t, func(tx *store.Tx) error {
			if err := tx.CreatePatients(s.ctx, []*rapport.Patient{p}); err != nil {
				return err
			}
			r.PatientID = p.ID
			if err := tx.CreateRegimens(s.ctx, []*store.Regimen{r}); err != nil {
				return err
			}
			return tx.SaveMedicationDispense(s.ctx, &rapport.MedicationDispense{ID: fmt.Sprintf("fill-%d", i), PatientID: p.ID,
				Status: "completed", Medication: rapport.Code{Code: "314076"}, DaysSupply: 30, HandedOver: now.Add(-time.Hour)})
		})
		// Due times out of id order, two regimens sharing one; the last
		// is not due yet.
		at := now.Add(-time.Duration([]int{3, 1, 2, 1, 5, 4, -1}[i]) * time.Hour)
		checks = append(checks, store.RefillCheck{RegimenID: r.ID, At: at})
	}
	s.tx(t, func(tx *store.Tx) error { return tx.SetRefillChecks(s.ctx, checks) })
	s.tx(t, func(tx *store.Tx) error {
		bs, err := tx.RegimenBriefs(s.ctx)
		if len(bs) != len(checks) || bs[0].DrugCode != "314076" || bs[0].Status != store.RegimenActive || bs[0].PatientID == "" {
			t.Errorf("regimen briefs: %+v, want the %d regimens with their drug, status and patient", bs, len(checks))
		}
		return err
	})
	for _, i := range []int{4, 5, 0, 2, 1, 3} { // by due time, then id (1 before 3)
		want = append(want, checks[i].RegimenID)
	}
	if checks[1].RegimenID > checks[3].RegimenID {
		want[4], want[5] = want[5], want[4]
	}
	for _, size := range []int{1, 2, 4, 10} {
		var got []string
		after := store.RefillCheck{}
		for range 20 {
			var fs []store.Refill
			s.tx(t, func(tx *store.Tx) (err error) {
				fs, err = tx.Refills(s.ctx, now, after, size)
				return err
			})
			if len(fs) == 0 {
				break
			}
			for _, f := range fs {
				got = append(got, f.Regimen.ID)
			}
			after = fs[len(fs)-1].Key()
		}
		if !slices.Equal(got, want) {
			t.Errorf("pages of %d: %v, want %v", size, got, want)
		}
	}
}
