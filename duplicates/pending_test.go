package duplicates_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// TestPendingDuplicatesEnrolledOnce: two records queued as probable
// duplicates, with different phones (one person who changed numbers), are
// enrolled in a campaign once and counted once; a record the pair does not
// include is not affected.
func TestPendingDuplicatesEnrolledOnce(t *testing.T) {
	t.Parallel()
	def, err := journey.LoadFile("testdata/trial-offer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start), Journeys: true, Extra: []*journey.Definition{def}})
			var ps []*rapport.Patient
			for i := range 3 {
				phone := fmt.Sprintf("+1512234%04d", 100+i)
				ps = append(ps, &rapport.Patient{Given: "Ana", Family: "Garcia", Language: "en", TimeZone: "America/Chicago",
					Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: phone, Value: phone, Use: rapport.UseMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}})
			}
			c := &rapport.Campaign{Journey: def.ID}
			err := w.DB.InTx(w.Ctx, func(tx *store.Tx) error {
				if err := tx.CreatePatients(w.Ctx, ps); err != nil {
					return err
				}
				if _, err := tx.AddDuplicateCandidates(w.Ctx, []rapport.DuplicateCandidate{{A: ps[0].ID, B: ps[1].ID, Probability: 0.9}}); err != nil {
					return err
				}
				return w.Engine.CreateCampaign(w.Ctx, tx, c)
			})
			if err != nil {
				t.Fatal(err)
			}
			jobstest.Advance(t, w.Ctx, w.Queue, w.Clock, time.Minute, 0, 2*time.Minute)
			if n := len(w.Sim.Sent()); n != 2 {
				t.Errorf("offers sent = %d, want 2 (the pair once, the third record)", n)
			}
			r, err := metrics.Compute(w.Ctx, w.DB, metrics.Filter{Campaign: c.ID, QuietHours: rules.DefaultWindow, OrgTimeZone: "America/Chicago"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Patients != 2 || r.Enrolled != 2 {
				t.Errorf("report: %d patients, %d enrolled; want 2 people", r.Patients, r.Enrolled)
			}
		})
	}
}
