package reminders_test

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

type harness struct {
	t       *testing.T
	w       *testworld.World
	planner *reminders.Planner
	chicago *time.Location
	// checkinAfter is the check-in delay of the regimens it makes.
	checkinAfter time.Duration
}

// each runs fn on both databases with a world whose clock starts on
// Tuesday 2026-03-10 at 06:00 in Chicago.
func each(t *testing.T, fn func(t *testing.T, h *harness)) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			chicago, err := time.LoadLocation("America/Chicago")
			if err != nil {
				t.Fatal(err)
			}
			clock := rapport.NewManualClock(time.Date(2026, 3, 10, 6, 0, 0, 0, chicago))
			w := testworld.New(t, d, testworld.Options{Clock: clock})
			w.Pipeline.Replies = reminders.Replies{Pipeline: w.Pipeline}
			h := &harness{t: t, w: w, planner: &reminders.Planner{DB: w.DB, Pipeline: w.Pipeline, Limits: reminders.DefaultLimits()}, chicago: chicago}
			fn(t, h)
		})
	}
}

// patient makes a patient in Chicago with a mobile number.
func (h *harness) patient(phone string) *rapport.Patient {
	h.t.Helper()
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: "en", TimeZone: "America/Chicago",
		Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: phone, Use: rapport.UseMobile, LineType: rapport.LineMobile}}}
	h.tx(func(tx *store.Tx) error { return tx.CreatePatients(h.w.Ctx, []*rapport.Patient{p}) })
	return p
}

// regimen gives p a daily regimen of lisinopril at the local times.
func (h *harness) regimen(p *rapport.Patient, requested, chosen bool, times ...string) *store.Regimen {
	h.t.Helper()
	r, err := h.create(p, requested, chosen, times...)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// tryRegimen is regimen, returning the error.
func (h *harness) tryRegimen(p *rapport.Patient, requested bool, times ...string) error {
	_, err := h.create(p, requested, false, times...)
	return err
}

func (h *harness) create(p *rapport.Patient, requested, chosen bool, times ...string) (*store.Regimen, error) {
	sched := dosing.Regimen{PatientID: p.ID, Medication: rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "314076", Display: "lisinopril"},
		Zone: h.chicago, Start: dosing.DateOf(h.w.Clock.Now().In(h.chicago))}
	for _, s := range times {
		at, err := dosing.ParseTimeOfDay(s)
		if err != nil {
			return nil, err
		}
		sched.Times = append(sched.Times, dosing.DoseTime{At: at, PatientChosen: chosen})
	}
	var r *store.Regimen
	err := h.w.DB.InTx(h.w.Ctx, func(tx *store.Tx) (err error) {
		r, err = reminders.Create(h.w.Ctx, tx, sched, requested, h.checkinAfter, "test")
		return err
	})
	return r, err
}

func (h *harness) tx(fn func(tx *store.Tx) error) {
	h.t.Helper()
	if err := h.w.DB.InTx(h.w.Ctx, fn); err != nil {
		h.t.Fatal(err)
	}
}

// plan runs the planner now and returns how many reminders it queued.
func (h *harness) plan() int {
	h.t.Helper()
	n, err := h.planner.Plan(h.w.Ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// at moves the clock to the local time on the day of the start (plus
// days), half an hour at a time, letting the queue send what falls due.
func (h *harness) at(days int, hh, mm int) {
	h.t.Helper()
	d := time.Date(2026, 3, 10+days, hh, mm, 0, 0, h.chicago).Sub(h.w.Clock.Now())
	jobstest.Advance(h.t, h.w.Ctx, h.w.Queue, h.w.Clock, d, 30*time.Minute, 30*time.Second)
}

func (h *harness) idle() {
	h.t.Helper()
	jobstest.WaitIdle(h.t, h.w.Ctx, h.w.Queue, 30*time.Second)
}

// reminders lists p's reminder messages, oldest first.
func (h *harness) reminders(p *rapport.Patient, step string) []*rapport.Message {
	h.t.Helper()
	ms, err := h.w.DB.FindPatientMessages(h.w.Ctx, p.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []*rapport.Message
	for _, m := range ms {
		if m.Step == step {
			out = append(out, m)
		}
	}
	return out
}

func (h *harness) events(p *rapport.Patient, kind rapport.EventKind) []rapport.Event {
	h.t.Helper()
	evs, err := h.w.DB.FindEvents(h.w.Ctx, rapport.EventFilter{PatientID: p.ID, Kind: kind})
	if err != nil {
		h.t.Fatal(err)
	}
	return evs
}
