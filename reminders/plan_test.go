package reminders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
)

// TestEachDoseRemindedOnce: planning every minute for a day queues each
// dose's reminder once, a minute or more ahead, due at the dose.
func TestEachDoseRemindedOnce(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("+15125550130")
		h.regimen(p, true, false, "08:00", "20:00")
		planned := map[time.Time]time.Time{} // due → when planned
		for range 24 * 60 {
			h.w.Clock.Advance(time.Minute)
			h.idle()
			before := len(h.reminders(p, reminders.Step))
			if h.plan() > 0 {
				for _, m := range h.reminders(p, reminders.Step)[before:] {
					planned[m.NotBefore] = h.w.Clock.Now()
				}
			}
		}
		h.idle()
		ms := h.reminders(p, reminders.Step)
		if len(ms) != 2 {
			t.Fatalf("%d reminders in a day, want 2", len(ms))
		}
		for i, want := range []time.Time{time.Date(2026, 3, 10, 8, 0, 0, 0, h.chicago), time.Date(2026, 3, 10, 20, 0, 0, 0, h.chicago)} {
			m := ms[i]
			if !m.NotBefore.Equal(want) {
				t.Errorf("reminder %d due %v, want %v", i, m.NotBefore.In(h.chicago), want)
			}
			if lead := want.Sub(planned[m.NotBefore]); lead < time.Minute || lead > reminders.Lead {
				t.Errorf("reminder %d planned %v ahead, want between a minute and %v", i, lead, reminders.Lead)
			}
			if !strings.Contains(m.Body, "lisinopril") || !strings.Contains(m.Body, "LATER") || m.Purpose != rapport.PurposeCare {
				t.Errorf("reminder %d: %q (%s)", i, m.Body, m.Purpose)
			}
			if m.Status == rapport.MessageSuppressed || m.Status == rapport.MessageFailed {
				t.Errorf("reminder %d %s: %s", i, m.Status, m.StatusReason)
			}
		}
	})
}

// TestRemindersAndQuietHours: a dose time the patient chose goes in the
// organisation's quiet hours; a prescriber's early one waits for 08:00; a
// late one that quiet hours would hold past its deadline is not sent.
func TestRemindersAndQuietHours(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		chosen, early, late := h.patient("+15125550131"), h.patient("+15125550132"), h.patient("+15125550133")
		h.regimen(chosen, true, true, "06:30")
		h.regimen(early, true, false, "06:30")
		h.regimen(late, true, false, "22:30")
		h.at(0, 6, 29)
		h.plan()
		h.at(0, 22, 29)
		h.plan()
		h.at(1, 9, 0)
		check := func(name string, ms []*rapport.Message, status rapport.MessageStatus, due time.Time, timed bool) {
			t.Helper()
			if len(ms) != 1 {
				t.Fatalf("%s: %d reminders, want 1", name, len(ms))
			}
			m := ms[0]
			if (m.Status == rapport.MessageSuppressed) != (status == rapport.MessageSuppressed) || m.PatientTimed != timed {
				t.Errorf("%s: %s (%s), patient-timed %v; want %s, %v", name, m.Status, m.StatusReason, m.PatientTimed, status, timed)
			}
			if status != rapport.MessageSuppressed && !m.NotBefore.Equal(due) {
				t.Errorf("%s: due %v, want %v", name, m.NotBefore.In(h.chicago), due.In(h.chicago))
			}
		}
		check("patient's 06:30", h.reminders(chosen, reminders.Step), rapport.MessageSent, time.Date(2026, 3, 10, 6, 30, 0, 0, h.chicago), true)
		check("prescriber's 06:30", h.reminders(early, reminders.Step), rapport.MessageSent, time.Date(2026, 3, 10, 8, 0, 0, 0, h.chicago), false)
		check("prescriber's 22:30", h.reminders(late, reminders.Step), rapport.MessageSuppressed, time.Time{}, false)
	})
}

// TestLimits: reminders the patient did not ask for keep one a day and
// three a week, each skipped dose said in the ledger; asked-for reminders
// are not limited.
func TestLimits(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		limited, asked := h.patient("+15125550134"), h.patient("+15125550135")
		h.regimen(limited, false, false, "08:00", "14:00", "20:00")
		h.regimen(asked, true, false, "08:00", "14:00", "20:00")
		for day := range 7 {
			for _, hour := range []int{8, 14, 20} {
				h.at(day, hour-1, 59)
				h.plan()
			}
		}
		h.at(7, 0, 0)
		got := h.reminders(limited, reminders.Step)
		if len(got) != 3 {
			t.Fatalf("limited patient: %d reminders in a week, want 3", len(got))
		}
		for i, m := range got { // the first dose of each of the first three days
			if want := time.Date(2026, 3, 10+i, 8, 0, 0, 0, h.chicago); !m.NotBefore.Equal(want) {
				t.Errorf("limited reminder %d due %v, want %v", i, m.NotBefore.In(h.chicago), want)
			}
		}
		if skipped := h.events(limited, reminders.EventReminderSkipped); len(skipped) != 18 {
			t.Errorf("%d skipped doses in the ledger, want 18", len(skipped))
		}
		if n := len(h.reminders(asked, reminders.Step)); n != 21 {
			t.Errorf("patient who asked: %d reminders, want 21", n)
		}
	})
}
