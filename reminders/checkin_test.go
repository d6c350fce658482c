package reminders_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
)

// TestCheckins: two hours after each dose the patient is asked whether
// they took it; 1, 2 and "took it" (to the reminder itself) are recorded
// as self-reported adherence; 3 asks why, and "ran out" goes to the care
// team's inbox with the skip reason in the ledger.
func TestCheckins(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.checkinAfter = 2 * time.Hour
		p := h.patient("+15125550150")
		h.regimen(p, true, false, "08:00")
		day := func(d int, answer string) {
			t.Helper()
			h.at(d, 7, 59)
			h.plan()
			h.at(d, 10, 5)
			h.reply(p, answer)
		}
		day(0, "1")
		day(1, "2")
		day(2, "3")
		h.reply(p, "4")
		h.at(3, 7, 59)
		h.plan()
		h.at(3, 8, 10)
		h.reply(p, "took it")

		asked := h.reminders(p, reminders.CheckinStep)
		// The fourth day's check-in is queued for 10:00 with its reminder.
		if len(asked) != 4 || !strings.Contains(asked[0].Body, "lisinopril") || !strings.Contains(asked[0].Body, "this morning") {
			t.Fatalf("check-ins: %v, want four about lisinopril this morning", bodies(asked))
		}
		if want := time.Date(2026, 3, 10, 10, 0, 0, 0, h.chicago); !asked[0].NotBefore.Equal(want) {
			t.Errorf("first check-in due %v, want %v", asked[0].NotBefore.In(h.chicago), want)
		}
		var got []string
		for _, ev := range h.events(p, rapport.EventAdherenceReported) {
			var a rapport.AdherenceReported
			if err := json.Unmarshal(ev.Payload, &a); err != nil {
				t.Fatal(err)
			}
			if a.DrugCode != "314076" {
				t.Errorf("answer about drug %q, want 314076", a.DrugCode)
			}
			got = append(got, a.Dose+" "+a.Answer+" "+a.SkipReason)
		}
		// "3" is a skipped dose at once (the patient may never say why); the
		// reason comes as a second answer about the same dose.
		want := []string{"2026-03-10@08:00 taken ", "2026-03-11@08:00 not_yet ", "2026-03-12@08:00 skipped ", "2026-03-12@08:00 skipped ran_out", "2026-03-13@08:00 taken "}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("self-reports %q, want %q", got, want)
		}
		items, err := h.w.DB.FindInboxItems(h.w.Ctx, rapport.InboxFilter{Kind: rapport.InboxReply})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].PatientID != p.ID || !strings.Contains(items[0].Summary, "ran out") {
			t.Errorf("inbox after 'ran out': %+v, want one item saying ran out", items)
		}
	})
}

// TestCheckinsNeedRequestedReminders: the limits on unsolicited reminders
// leave no room for a second message a day.
func TestCheckinsNeedRequestedReminders(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.checkinAfter = time.Hour
		p := h.patient("+15125550151")
		if err := h.tryRegimen(p, false, "08:00"); rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(err.Error(), "checkin_after_minutes") {
			t.Errorf("check-ins without requested reminders: %v, want EINVALID naming checkin_after_minutes", err)
		}
	})
}

// TestCrossedCheckin: a check-in and the next dose's reminder go out
// minutes apart; the patient's "3" reaches rapport after the reminder, the
// latest message, but answers the check-in they read.
func TestCrossedCheckin(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.checkinAfter = 55 * time.Minute
		p := h.patient("+15125550151")
		h.regimen(p, true, false, "08:00", "09:00")
		h.at(0, 7, 59)
		h.plan()
		h.at(0, 8, 59)
		h.plan()
		h.at(0, 9, 2) // the 08:55 check-in, then the 09:00 reminder
		if got := len(h.reminders(p, reminders.CheckinStep)); got == 0 {
			t.Fatal("no check-in sent before the second dose")
		}
		h.reply(p, "3")
		var got []string
		for _, ev := range h.events(p, rapport.EventAdherenceReported) {
			var a rapport.AdherenceReported
			if err := json.Unmarshal(ev.Payload, &a); err != nil {
				t.Fatal(err)
			}
			got = append(got, a.Dose+" "+a.Answer)
		}
		if strings.Join(got, "|") != "2026-03-10@08:00 skipped" {
			t.Errorf("answers %v, want the 08:00 dose skipped", got)
		}
		if why := h.reminders(p, "dose-skip-why"); len(why) != 1 {
			t.Errorf("%d questions why, want 1", len(why))
		}
	})
}
