package reminders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// TestEscalation: the third dose missed in a week (skipped, or not yet
// without a later yes) puts one high-priority item in the care team's
// inbox; a fourth does not add another within the week.
func TestEscalation(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.checkinAfter = 2 * time.Hour
		p, off := h.patient("+15125550170"), h.patient("+15125550171")
		h.regimen(p, true, false, "08:00")
		r := h.regimen(off, true, false, "08:00")
		h.tx(func(tx *store.Tx) error { return reminders.SetEscalation(h.w.Ctx, tx, r, 0, 7*24*time.Hour) })
		for day, answer := range []string{"2", "1", "3", "2", "2"} {
			h.at(day, 7, 59)
			h.plan()
			h.at(day, 10, 5)
			h.reply(p, answer)
			h.reply(off, "3")
		}
		items, err := h.w.DB.FindInboxItems(h.w.Ctx, rapport.InboxFilter{Kind: rapport.InboxReply, Priority: rapport.PriorityHigh})
		if err != nil {
			t.Fatal(err)
		}
		var escalations []*rapport.InboxItem
		for _, it := range items {
			if strings.Contains(it.Summary, "missed") {
				escalations = append(escalations, it)
			}
		}
		if len(escalations) != 1 || escalations[0].PatientID != p.ID || !strings.Contains(escalations[0].Summary, "missed 3 doses of lisinopril") {
			t.Errorf("escalations: %+v, want one saying missed 3 doses of lisinopril", escalations)
		}
		if evs := h.events(p, reminders.EventAdherenceEscalated); len(evs) != 1 {
			t.Errorf("%d adherence.escalated events, want 1", len(evs))
		}
		if evs := h.events(off, reminders.EventAdherenceEscalated); len(evs) != 0 {
			t.Errorf("escalation off: %d adherence.escalated events, want none after five skipped doses", len(evs))
		}
	})
}

// TestUnansweredCheckinsAreNotMissed: a check-in nobody answered is an
// unknown dose, not a missed one. Four unanswered check-ins and one
// skipped dose do not reach escalate_after_missed 2; a second answered
// miss does, and the item counts the two answered misses only.
func TestUnansweredCheckinsAreNotMissed(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.checkinAfter = 2 * time.Hour
		p := h.patient("+15125550172")
		r := h.regimen(p, true, false, "08:00")
		h.tx(func(tx *store.Tx) error { return reminders.SetEscalation(h.w.Ctx, tx, r, 2, 7*24*time.Hour) })
		escalations := func() []*rapport.InboxItem {
			items, err := h.w.DB.FindInboxItems(h.w.Ctx, rapport.InboxFilter{Kind: rapport.InboxReply})
			if err != nil {
				t.Fatal(err)
			}
			var out []*rapport.InboxItem
			for _, it := range items {
				if it.PatientID == p.ID && strings.Contains(it.Summary, "missed") {
					out = append(out, it)
				}
			}
			return out
		}
		for day, answer := range []string{"", "", "", "", "3"} {
			h.at(day, 7, 59)
			h.plan()
			h.at(day, 10, 5)
			if answer != "" {
				h.reply(p, answer)
			}
		}
		if n := len(h.reminders(p, reminders.CheckinStep)); n != 5 {
			t.Fatalf("%d check-ins, want 5", n)
		}
		if es := escalations(); len(es) != 0 {
			t.Fatalf("escalated with one answered miss and four unanswered check-ins: %+v", es[0])
		}
		h.at(5, 7, 59)
		h.plan()
		h.at(5, 10, 5)
		h.reply(p, "2")
		if es := escalations(); len(es) != 1 || !strings.Contains(es[0].Summary, "missed 2 doses") {
			t.Errorf("escalations %+v, want one counting the 2 answered misses", es)
		}
	})
}
