package readings_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// TestChainLeavesRemindersTheirAnswers: behind the reminders' handler, a
// check-in's "1" stays self-reported adherence and "8PM" to a reminder
// moves it — neither is a reading — while a reading sent in answer to a
// reminder is recorded.
func TestChainLeavesRemindersTheirAnswers(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("+15125550180", "en")
		sched := dosing.Regimen{PatientID: p.ID, Medication: rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "314076", Display: "lisinopril"},
			Zone: h.chicago, Start: dosing.DateOf(h.w.Clock.Now().In(h.chicago)), Times: []dosing.DoseTime{{At: dosing.Clock(8, 0)}}}
		h.tx(func(tx *store.Tx) error {
			_, err := reminders.Create(h.w.Ctx, tx, sched, true, time.Hour, "test")
			return err
		})
		planner := &reminders.Planner{DB: h.w.DB, Pipeline: h.w.Pipeline, Limits: reminders.DefaultLimits()}
		h.at(0, 7, 59)
		if _, err := planner.Plan(h.w.Ctx); err != nil {
			t.Fatal(err)
		}
		h.at(0, 8, 5)
		h.reply(p, "8PM") // to the reminder
		if n := len(h.sent(p, "dose-reminder-moved")); n != 1 {
			t.Errorf("after '8PM': %d move confirmations, want 1", n)
		}
		h.at(0, 9, 5)
		h.reply(p, "1") // to the check-in, asked at 9
		evs, err := h.w.DB.FindEvents(h.w.Ctx, rapport.EventFilter{PatientID: p.ID, Kind: rapport.EventAdherenceReported})
		if err != nil || len(evs) != 1 || !strings.Contains(string(evs[0].Payload), `"taken"`) {
			t.Errorf("after '1' to the check-in: %d adherence reports (%v), want one 'taken'", len(evs), err)
		}
		if os := h.observations(p); len(os) != 0 {
			t.Fatalf("'1' and '8PM' stored %d observations, want none", len(os))
		}
		h.reply(p, "bp 182/121")
		if os := h.observations(p); len(os) != 2 || os[0].Level != "urgent" {
			t.Errorf("after 'bp 182/121': %d observations, want 2 urgent", len(os))
		}
	})
}

// journeysStub is the handler behind: it records the fallbacks it hears of.
type journeysStub struct{ fallbacks *int }

func (journeysStub) HandleReply(context.Context, *store.Tx, *rapport.Inbound, *rapport.Message) (bool, error) {
	return false, nil
}

func (j journeysStub) HandleFallback(context.Context, *store.Tx, *rapport.Message, *rapport.Message) error {
	*j.fallbacks++
	return nil
}

// TestRepliesPassFallbacksOn: in the chain before the journeys, the
// readings' handler must tell them when a failed text goes on as a call,
// or a landline's keypad answer to the call is lost.
func TestRepliesPassFallbacksOn(t *testing.T) {
	t.Parallel()
	n := 0
	h := reminders.Replies{Next: readings.Replies{Next: journeysStub{&n}}}
	if err := h.HandleFallback(context.Background(), nil, &rapport.Message{}, &rapport.Message{}); err != nil || n != 1 {
		t.Errorf("fallbacks passed on through reminders and readings: %d, %v; want 1", n, err)
	}
	if err := (readings.Replies{}).HandleFallback(context.Background(), nil, &rapport.Message{}, &rapport.Message{}); err != nil {
		t.Errorf("with nothing behind: %v", err)
	}
}
