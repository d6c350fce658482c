package metrics_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

const ourNumber = testworld.OurNumber

// harness is the journey engine on a real database with the messaging
// pipeline over the simulator, a manual clock and a job queue.
type harness struct {
	t     testing.TB
	ctx   context.Context
	db    *store.DB
	clock *rapport.ManualClock
	q     *jobs.Queue
	p     *messaging.Pipeline
	e     *journey.Engine
	sim   *simulator.Simulator
}

// newHarness builds the harness on a fresh database of dialect d; poll is
// the queue's poll interval (0: 20 ms), maxWorkers its concurrency (0: default).
func newHarness(t testing.TB, d store.Dialect, clock *rapport.ManualClock, poll time.Duration, maxWorkers int) *harness {
	t.Helper()
	w := testworld.New(t, d, testworld.Options{Clock: clock, Poll: poll, MaxWorkers: maxWorkers, Journeys: true})
	return &harness{t: t, ctx: w.Ctx, db: w.DB, clock: w.Clock, q: w.Queue, p: w.Pipeline, e: w.Engine, sim: w.Sim}
}

func (h *harness) tx(fn func(tx *store.Tx) error) {
	h.t.Helper()
	if err := h.db.InTx(h.ctx, fn); err != nil {
		h.t.Fatal(err)
	}
}

// idle waits until no job is due or running.
func (h *harness) idle() {
	h.t.Helper()
	jobstest.WaitIdle(h.t, h.ctx, h.q, 5*time.Minute)
}

// advance moves the clock once the queue is idle, and waits for it to be idle again.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	jobstest.Advance(h.t, h.ctx, h.q, h.clock, d, 0, 5*time.Minute)
}

// hypertensives creates n patients with hypertension (outreach's segment),
// each with a valid mobile number, in Chicago. It returns their numbers by id.
func (h *harness) hypertensives(n int) map[rapport.PatientID]string {
	h.t.Helper()
	phones := map[rapport.PatientID]string{}
	const batch = 1000
	for start := 0; start < n; start += batch {
		var ps []*rapport.Patient
		for i := start; i < min(start+batch, n); i++ {
			phone := fmt.Sprintf("+1512%07d", 2000000+i)
			ps = append(ps, &rapport.Patient{Given: "Pat", Family: fmt.Sprint(i), BirthDate: "1960-01-01", Language: []string{"en", "es"}[i%2],
				Rural: i%3 == 0, TimeZone: "America/Chicago", Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: phone, Raw: phone,
					Use: rapport.UseMobile, LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}})
		}
		h.tx(func(tx *store.Tx) error {
			if err := tx.CreatePatients(h.ctx, ps); err != nil {
				return err
			}
			for _, p := range ps {
				if err := tx.SaveCondition(h.ctx, &rapport.Condition{PatientID: p.ID, Code: rapport.Code{System: "http://hl7.org/fhir/sid/icd-10-cm", Code: "I10"},
					ClinicalStatus: "active"}); err != nil {
					return err
				}
				phones[p.ID] = p.Contacts[0].Value
			}
			return nil
		})
	}
	return phones
}

// launch creates a campaign of the outreach journey and waits for its
// launch and first messages.
// launch launches outreach as campaign id ("": a new id).
func (h *harness) launch(id string, holdout float64) *rapport.Campaign {
	h.t.Helper()
	c := &rapport.Campaign{ID: id, Journey: "outreach", HoldoutPercent: holdout}
	h.tx(func(tx *store.Tx) error { return h.e.CreateCampaign(h.ctx, tx, c) })
	h.advance(time.Minute) // wake jobs are scheduled on the minute
	return c
}
