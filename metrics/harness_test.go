package metrics_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/journeys"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

const ourNumber = "+15125550199"

// nurtureStub stands in for decliner-nurture when the shipped journeys do
// not have it yet: outreach enrolls decliners in it.
const nurtureStub = `id: decliner-nurture
version: 1
name: Decliner nurture (test stand-in)
trigger:
  event: {kind: "outcome:declined"}
steps:
  - id: end
    end: true
`

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
	h := &harness{t: t, ctx: context.Background(), clock: clock, sim: simulator.New()}
	h.db = dbtest.Open(t, d, h.clock)
	if poll == 0 {
		poll = 20 * time.Millisecond
	}
	h.p = &messaging.Pipeline{DB: h.db, Clock: h.clock, Policy: messaging.DefaultPolicy(), Keywords: rules.DefaultCatalogue(),
		Org: messaging.Org{Name: "Valley Clinic", Phone: "+15125550100"},
		Senders: map[rapport.Channel]*messaging.Sender{
			rapport.ChannelSMS:   {Sender: h.sim, From: ourNumber},
			rapport.ChannelVoice: {Sender: h.sim, From: ourNumber},
			rapport.ChannelEmail: {Sender: h.sim, From: "care@valley.example"},
		}}
	workers := river.NewWorkers()
	q, err := jobs.New(h.db, jobs.Config{Workers: workers, PollInterval: poll, TestOnly: true, MaxWorkers: maxWorkers})
	if err != nil {
		t.Fatal(err)
	}
	h.q, h.p.Queue = q, q
	h.e = &journey.Engine{DB: h.db, Queue: q, Pipeline: h.p, Clock: h.clock}
	h.p.Replies = h.e
	river.AddWorker(workers, messaging.NewSendWorker(h.p))
	river.AddWorker(workers, messaging.NewProcessWorker(h.p))
	river.AddWorker(workers, journey.NewWakeWorker(h.e))
	river.AddWorker(workers, journey.NewLaunchWorker(h.e))
	defs, err := journeys.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.e.Register(h.ctx, defs...); err != nil {
		t.Fatal(err)
	}
	if _, err := h.e.Definition("decliner-nurture", 0); err != nil {
		stub, err := journey.Parse("nurture-stub.yaml", []byte(nurtureStub))
		if err != nil {
			t.Fatal(err)
		}
		if err := h.e.Register(h.ctx, stub); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Start(h.ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Stop(context.Background()) })
	return h
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
