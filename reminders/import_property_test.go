package reminders_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
	"pgregory.net/rapid"
)

// Any sequence of imported prescriptions, staff starts and stops, as the
// days pass: a patient has at most one regimen per drug that is not
// stopped; an import never starts one (a proposed regimen has nothing
// due) nor brings a stopped one back; and importing the same prescription
// again writes nothing.
func TestFromRequestsProperty(t *testing.T) {
	t.Parallel()
	clock := rapport.NewManualClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	db := dbtest.Open(t, store.SQLite, clock)
	ctx := context.Background()
	drugs := []rapport.Code{{System: "rxnorm", Code: "314076", Display: "lisinopril"}, {System: "rxnorm", Code: "861007", Display: "metformin"}, {Display: "Fish oil"}}
	times := [][]string{{"08:00"}, {"08:00", "20:00"}, {"21:00"}, {"07:00", "13:00", "19:00"}}
	rapid.Check(t, func(rt *rapid.T) {
		p := &rapport.Patient{Given: "Rosa", Family: "Diaz", TimeZone: "America/Chicago"}
		in := func(fn func(tx *store.Tx) error) {
			if err := db.InTx(ctx, fn); err != nil {
				rt.Fatal(err)
			}
		}
		in(func(tx *store.Tx) error { return tx.CreatePatients(ctx, []*rapport.Patient{p}) })
		stopped := map[string]bool{}
		for step := range rapid.IntRange(1, 12).Draw(rt, "steps") {
			clock.Advance(time.Duration(rapid.IntRange(0, 72).Draw(rt, "hours")) * time.Hour)
			var regs []*store.Regimen
			in(func(tx *store.Tx) (err error) { regs, err = tx.PatientRegimens(ctx, p.ID); return err })
			switch action := rapid.SampledFrom([]string{"import", "import", "import", "start", "stop"}).Draw(rt, "action"); {
			case action == "import":
				mr := &rapport.MedicationRequest{ID: fmt.Sprintf("%s-rx%d", p.ID, rapid.IntRange(0, 3).Draw(rt, "rx")), PatientID: p.ID,
					Status: rapid.SampledFrom([]string{"active", "active", "completed", "stopped", "on-hold"}).Draw(rt, "status"), Intent: "order",
					Medication: rapid.SampledFrom(drugs).Draw(rt, "drug"), AuthoredOn: clock.Now().Add(-time.Duration(rapid.IntRange(0, 400).Draw(rt, "age")) * time.Hour),
					Dosage: rapport.Dosage{TimesOfDay: rapid.SampledFrom(times).Draw(rt, "times"), AsNeeded: rapid.IntRange(0, 5).Draw(rt, "prn") == 0}}
				var again reminders.ImportCounts
				in(func(tx *store.Tx) error {
					if err := tx.SaveMedicationRequest(ctx, mr); err != nil {
						return err
					}
					if _, err := reminders.FromRequests(ctx, tx, []*rapport.MedicationRequest{mr}); err != nil {
						return err
					}
					var err error
					again, err = reminders.FromRequests(ctx, tx, []*rapport.MedicationRequest{mr})
					return err
				})
				if again.Created+again.Updated+again.Stopped != 0 {
					rt.Fatalf("step %d: the same prescription again wrote %+v", step, again)
				}
			case len(regs) > 0:
				r := rapid.SampledFrom(regs).Draw(rt, "regimen")
				in(func(tx *store.Tx) error {
					var err error
					if action == "start" {
						_, err = reminders.Start(ctx, tx, r.ID, true, 0, "token:nurse")
						if r.Status != store.RegimenProposed && rapport.ErrorCode(err) == rapport.ECONFLICT {
							err = nil
						}
					} else {
						_, err = reminders.Stop(ctx, tx, r.ID, "token:nurse")
					}
					return err
				})
			}
			in(func(tx *store.Tx) (err error) { regs, err = tx.PatientRegimens(ctx, p.ID); return err })
			live := map[string]string{}
			for _, r := range regs {
				switch {
				case stopped[r.ID] && r.Status != store.RegimenStopped:
					rt.Fatalf("step %d: stopped regimen %s is %s again", step, r.ID, r.Status)
				case r.Status == store.RegimenStopped:
					stopped[r.ID] = true
				case live[r.Drug.Code+"|"+r.Drug.Display] != "":
					rt.Fatalf("step %d: two live regimens of %+v", step, r.Drug)
				case r.Status == store.RegimenProposed && !r.NextDueAt.IsZero():
					rt.Fatalf("step %d: proposed regimen due at %v", step, r.NextDueAt)
				case r.Status == store.RegimenActive && r.CreatedBy == reminders.ByImport && r.NextDueAt.IsZero():
					rt.Fatalf("step %d: started regimen has nothing due", step)
				}
				if r.Status != store.RegimenStopped {
					live[r.Drug.Code+"|"+r.Drug.Display] = r.ID
				}
			}
		}
	})
}
