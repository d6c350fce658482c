package messaging_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// start is a Tuesday, 15:00 UTC: 10:00 in Chicago, inside quiet hours.
var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

type harness struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	clock *rapport.ManualClock
	q     *jobs.Queue
	p     *messaging.Pipeline
	sim   *simulator.Simulator
}

func setup(t *testing.T, d store.Dialect) *harness { return setupWith(t, d, false) }

// setupWith is setup with the queue left stopped when held: queued
// messages stay queued until the test works their jobs.
func setupWith(t *testing.T, d store.Dialect, held bool) *harness {
	t.Helper()
	w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start), Held: held})
	return &harness{t: t, ctx: w.Ctx, db: w.DB, clock: w.Clock, q: w.Queue, p: w.Pipeline, sim: w.Sim}
}

// patient creates a patient with the given contact points (values are
// judged valid E.164 numbers or addresses as given).
func (h *harness) patient(lang string, cps ...rapport.ContactPoint) *rapport.Patient {
	h.t.Helper()
	for i := range cps {
		if cps[i].Raw == "" {
			cps[i].Raw = cps[i].Value
		}
		if cps[i].Status == "" {
			cps[i].Status = rapport.StatusValid
		}
		cps[i].Source = rapport.SourceImport
	}
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: lang, TimeZone: "America/Chicago", Contacts: cps}
	h.tx(func(tx *store.Tx) error { return tx.CreatePatients(h.ctx, []*rapport.Patient{p}) })
	return p
}

func mobile(v string) rapport.ContactPoint {
	return rapport.ContactPoint{Kind: rapport.ContactPhone, Value: v, Use: rapport.UseMobile, LineType: rapport.LineMobile}
}

func landline(v string) rapport.ContactPoint {
	return rapport.ContactPoint{Kind: rapport.ContactPhone, Value: v, Use: rapport.UseHome, LineType: rapport.LineLandline}
}

func email(v string) rapport.ContactPoint {
	return rapport.ContactPoint{Kind: rapport.ContactEmail, Value: v}
}

func (h *harness) tx(fn func(tx *store.Tx) error) {
	h.t.Helper()
	if err := h.db.InTx(h.ctx, fn); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) send(req messaging.Request) *rapport.Message {
	h.t.Helper()
	var m *rapport.Message
	h.tx(func(tx *store.Tx) (err error) { m, err = h.p.Send(h.ctx, tx, req); return err })
	return m
}

// idle waits until no job is due or running: the queue has done all it can
// until the clock moves.
func (h *harness) idle() {
	h.t.Helper()
	jobstest.WaitIdle(h.t, h.ctx, h.q, 30*time.Second)
}

// advance moves the clock once the queue is idle, and waits for it to be idle again.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	jobstest.Advance(h.t, h.ctx, h.q, h.clock, d, 0, 30*time.Second)
}

func (h *harness) message(id rapport.MessageID) *rapport.Message {
	h.t.Helper()
	m, err := h.db.FindMessage(h.ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

func (h *harness) events(pid rapport.PatientID, kind rapport.EventKind) []rapport.Event {
	h.t.Helper()
	evs, err := h.db.FindEvents(h.ctx, rapport.EventFilter{PatientID: pid, Kind: kind})
	if err != nil {
		h.t.Fatal(err)
	}
	return evs
}

func en(body string) messaging.Content { return messaging.Plain("en", body) }

// each runs fn on both databases.
func each(t *testing.T, fn func(t *testing.T, h *harness)) { eachWith(t, false, fn) }

// eachHeld is each with the queue stopped (see setupWith).
func eachHeld(t *testing.T, fn func(t *testing.T, h *harness)) { eachWith(t, true, fn) }

func eachWith(t *testing.T, held bool, fn func(t *testing.T, h *harness)) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setupWith(t, d, held))
		})
	}
}
