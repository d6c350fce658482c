package reminders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// TestRefills: a 30-day fill is reminded five days before it runs out and
// followed up a day after; "1" to the reminder (picked up) stops the
// follow-up; a newer fill starts its own reminders; a fill of another
// drug is not this regimen's.
func TestRefills(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		p, q := h.patient("+15125550160"), h.patient("+15125550161")
		h.regimen(p, true, false, "08:00")
		h.regimen(q, true, false, "08:00")
		fill := func(who *rapport.Patient, code string, at time.Time, days int) {
			h.tx(func(tx *store.Tx) error {
				return tx.SaveMedicationDispense(h.w.Ctx, &rapport.MedicationDispense{PatientID: who.ID, Status: "completed",
					Medication: rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: code, Display: "lisinopril"}, DaysSupply: days, HandedOver: at})
			})
		}
		start := h.w.Clock.Now()                           // day 0, 06:00
		fill(p, "314076", start.Add(-20*24*time.Hour), 30) // runs out on day 10
		fill(q, "314076", start.Add(-20*24*time.Hour), 30) // the same, but answers "1"
		fill(q, "861007", start.Add(-29*24*time.Hour), 30) // another drug: not q's regimen
		refills := &reminders.RefillPlanner{DB: h.w.DB, Pipeline: h.w.Pipeline, Limits: reminders.DefaultLimits()}
		plan := func(day, hour int) int {
			t.Helper()
			h.at(day, hour, 0)
			n, err := refills.Plan(h.w.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			h.idle()
			return n
		}
		if n := plan(0, 10); n != 0 {
			t.Errorf("day 0: %d refill messages, want none (ten days of supply left)", n)
		}
		if n := plan(5, 10); n != 2 {
			t.Fatalf("day 5: %d refill messages, want 2 (five days left)", n)
		}
		if n := plan(5, 11); n != 0 {
			t.Errorf("an hour later: %d, want none again", n)
		}
		h.reply(q, "1")
		if n := plan(11, 10); n != 1 {
			t.Errorf("day 11: %d follow-ups, want 1 (q picked it up)", n)
		}
		got := h.reminders(p, reminders.RefillStep)
		if len(got) != 1 || !strings.Contains(got[0].Body, "run out around Mar 20") || !strings.Contains(got[0].Body, "lisinopril") {
			t.Errorf("p's refill reminder: %v", bodies(got))
		}
		if n := len(h.events(q, reminders.EventRefillReported)); n != 1 {
			t.Errorf("q's answers in the ledger: %d, want 1", n)
		}
		fill(p, "314076", h.w.Clock.Now(), 30) // a new fill, running out on day 41
		if n := plan(12, 10); n != 0 {
			t.Errorf("day 12, just refilled: %d, want none", n)
		}
		if n := plan(36, 10); n != 1 {
			t.Errorf("day 36: %d, want the new fill's reminder", n)
		}
	})
}

// TestRefillHeldBack: a refill reminder over the patient's daily limit is
// not lost: held back today (and at the next hour's pass), it goes the
// next day.
func TestRefillHeldBack(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("+15125550162")
		h.regimen(p, false, false, "08:00")
		h.regimen(p, false, false, "20:00") // the same drug twice: two reminders due at once
		h.tx(func(tx *store.Tx) error {
			return tx.SaveMedicationDispense(h.w.Ctx, &rapport.MedicationDispense{PatientID: p.ID, Status: "completed",
				Medication: rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "314076", Display: "lisinopril"},
				DaysSupply: 30, HandedOver: h.w.Clock.Now().Add(-20 * 24 * time.Hour)})
		})
		refills := &reminders.RefillPlanner{DB: h.w.DB, Pipeline: h.w.Pipeline, Limits: reminders.DefaultLimits()}
		for _, c := range []struct{ day, hour, want int }{{5, 10, 1}, {5, 11, 0}, {6, 10, 1}, {6, 11, 0}, {7, 10, 0}} {
			h.at(c.day, c.hour, 0)
			n, err := refills.Plan(h.w.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			h.idle()
			if n != c.want {
				t.Errorf("day %d, %d:00: %d refill reminders, want %d (one a day)", c.day, c.hour, n, c.want)
			}
		}
	})
}
