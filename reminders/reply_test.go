package reminders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/reminders"
)

// TestReplyMovesReminder: "8PM" to this morning's reminder moves the dose
// time from now on (tonight's dose included) and says so; "LATER" to the
// next one snoozes it an hour; a remark goes to staff and moves nothing.
func TestReplyMovesReminder(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("+15125550140")
		h.regimen(p, true, false, "08:00")
		h.at(0, 7, 59)
		h.plan()
		h.at(0, 8, 5)
		h.reply(p, "change it to 8pm please")
		confirm := h.reminders(p, "dose-reminder-moved")
		if len(confirm) != 1 || !strings.Contains(confirm[0].Body, "8:00 PM") {
			t.Fatalf("confirmation: %v, want one saying 8:00 PM", bodies(confirm))
		}
		h.at(0, 19, 59)
		h.plan()
		h.at(1, 7, 59)
		h.plan()
		h.at(1, 19, 59)
		h.plan()
		h.at(1, 20, 5)
		var due []time.Time
		for _, m := range h.reminders(p, reminders.Step) {
			due = append(due, m.NotBefore.In(h.chicago))
		}
		want := []time.Time{time.Date(2026, 3, 10, 8, 0, 0, 0, h.chicago), time.Date(2026, 3, 10, 20, 0, 0, 0, h.chicago), time.Date(2026, 3, 11, 20, 0, 0, 0, h.chicago)}
		if len(due) != len(want) {
			t.Fatalf("reminders due %v, want %v", due, want)
		}
		for i := range want {
			if !due[i].Equal(want[i]) {
				t.Errorf("reminder %d due %v, want %v", i, due[i], want[i])
			}
		}
		if n := len(h.events(p, reminders.EventRegimenChanged)); n != 1 {
			t.Errorf("%d regimen.changed events, want 1", n)
		}

		h.reply(p, "LATER")
		h.at(1, 21, 4)
		h.plan()
		h.at(1, 21, 30)
		ms := h.reminders(p, reminders.Step)
		if last := ms[len(ms)-1]; len(ms) != 4 || !last.NotBefore.Equal(time.Date(2026, 3, 11, 21, 5, 0, 0, h.chicago)) || !last.PatientTimed {
			t.Errorf("after LATER at 20:05: %d reminders, the last due %v (patient-timed %v); want a fourth at 21:05, patient-timed",
				len(ms), last.NotBefore.In(h.chicago), last.PatientTimed)
		}

		h.reply(p, "thanks, will do")
		items, err := h.w.DB.FindInboxItems(h.w.Ctx, rapport.InboxFilter{Kind: rapport.InboxReply})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].PatientID != p.ID {
			t.Errorf("%d reply items in the inbox after a remark, want 1 of the patient's", len(items))
		}
		if n := len(h.reminders(p, "dose-reminder-moved")); n != 2 {
			t.Errorf("%d confirmations, want 2 (the move and the snooze)", n)
		}
	})
}

func (h *harness) reply(p *rapport.Patient, body string) {
	h.t.Helper()
	if _, err := simulator.Reply(h.w.Ctx, h.w.Pipeline, rapport.ChannelSMS, p.Contacts[0].Value, testworld.OurNumber, body); err != nil {
		h.t.Fatal(err)
	}
	h.idle()
}

func bodies(ms []*rapport.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Body)
	}
	return out
}
