package readings_test

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

type harness struct {
	t       *testing.T
	w       *testworld.World
	chicago *time.Location
}

// each runs fn on both databases with a world whose clock starts on
// Tuesday 2026-03-10 at 06:00 in Chicago, and the reply chain of
// cmd/rapport: reminders, then readings, then (here) nothing, so that
// what no handler takes goes to the inbox.
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
			w.Pipeline.Replies = reminders.Replies{Pipeline: w.Pipeline, Next: readings.Replies{Pipeline: w.Pipeline}}
			fn(t, &harness{t: t, w: w, chicago: chicago})
		})
	}
}

// patient makes a patient in Chicago with a mobile number, speaking lang.
func (h *harness) patient(phone, lang string) *rapport.Patient {
	h.t.Helper()
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: lang, TimeZone: "America/Chicago",
		Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: phone, Use: rapport.UseMobile, LineType: rapport.LineMobile}}}
	h.tx(func(tx *store.Tx) error { return tx.CreatePatients(h.w.Ctx, []*rapport.Patient{p}) })
	return p
}

// message sends p a message of ours, for them to answer.
func (h *harness) message(p *rapport.Patient) {
	h.t.Helper()
	h.tx(func(tx *store.Tx) error {
		_, err := h.w.Pipeline.SendMany(h.w.Ctx, tx, []messaging.Request{{PatientID: p.ID, Purpose: rapport.PurposeCare, PatientTimed: true,
			Channels: []rapport.Channel{rapport.ChannelSMS}, Content: messaging.Plain("en", "{org}: how are you today?"), Step: "hello"}})
		return err
	})
	h.idle()
}

func (h *harness) reply(p *rapport.Patient, body string) {
	h.t.Helper()
	if _, err := simulator.Reply(h.w.Ctx, h.w.Pipeline, rapport.ChannelSMS, p.Contacts[0].Value, testworld.OurNumber, body); err != nil {
		h.t.Fatal(err)
	}
	h.idle()
}

func (h *harness) tx(fn func(tx *store.Tx) error) {
	h.t.Helper()
	if err := h.w.DB.InTx(h.w.Ctx, fn); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) idle() {
	h.t.Helper()
	jobstest.WaitIdle(h.t, h.w.Ctx, h.w.Queue, 30*time.Second)
}

// at moves the clock to the local time on the day of the start (plus
// days), half an hour at a time, letting the queue send what falls due.
func (h *harness) at(days int, hh, mm int) {
	h.t.Helper()
	d := time.Date(2026, 3, 10+days, hh, mm, 0, 0, h.chicago).Sub(h.w.Clock.Now())
	jobstest.Advance(h.t, h.w.Ctx, h.w.Queue, h.w.Clock, d, 30*time.Minute, 30*time.Second)
}

func (h *harness) observations(p *rapport.Patient) []*store.Observation {
	h.t.Helper()
	var os []*store.Observation
	h.tx(func(tx *store.Tx) (err error) {
		os, err = tx.PatientObservations(h.w.Ctx, p.ID, 100)
		return err
	})
	return os
}

func (h *harness) inbox(p *rapport.Patient) []*rapport.InboxItem {
	h.t.Helper()
	items, err := h.w.DB.FindInboxItems(h.w.Ctx, rapport.InboxFilter{})
	if err != nil {
		h.t.Fatal(err)
	}
	var out []*rapport.InboxItem
	for _, it := range items {
		if it.PatientID == p.ID {
			out = append(out, it)
		}
	}
	return out
}

// sent lists p's messages of a step, oldest first.
func (h *harness) sent(p *rapport.Patient, step string) []*rapport.Message {
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
