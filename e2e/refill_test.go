package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/reminders"
)

// TestRefillProcess is issue 15's refill reminders on the user's path,
// with serve looking for refills every 2 s (--refill-every) instead of
// hourly. Two patients' lisinopril fills are imported with
// `rapport import fhir`: one runs out in three days, the other ran out two
// days ago. Once staff enter their regimens through the API, the first
// gets "may run out around …" and answers 2 (not yet); the second, in
// Spanish, gets the follow-up "¿Recogió su lisinopril…?" and answers 1
// (picked up). Both answers are refill.reported events, and later runs of
// the job send neither patient anything more — until a new fill of the
// second's lisinopril is imported, whose reminder then comes.
func TestRefillProcess(t *testing.T) {
	skipShort(t)
	t.Parallel()
	const soon, lapsed = "+15127024000", "+15127024010"
	now := time.Now()
	pats := []rxPatient{
		{phone: soon, lang: "en", fills: []rxFill{{code: "314076", display: "lisinopril", handedOver: now.Add(-27 * 24 * time.Hour), days: 30}}},
		{phone: lapsed, lang: "es", fills: []rxFill{{code: "314076", display: "lisinopril", handedOver: now.Add(-32 * 24 * time.Hour), days: 30}}},
	}
	w := startAdherenceWorld(t, twiliotest.Options{}, pats, "--refill-every", "2s")
	// A dose time half a day away: no dose reminder gets in the way.
	at := now.Add(12 * time.Hour).In(nextMinute(t, 0).Location()).Format("15:04")
	for _, phone := range []string{soon, lapsed} {
		w.addRegimen(phone, map[string]any{"medication": lisinopril, "times": []string{at}, "zone": "America/Chicago", "reminders_requested": true})
	}
	added := time.Now()
	reminder := w.waitRequest(twiliotest.KindMessage, soon, "may run out around", 0, 3*time.Minute)
	runOut := now.Add(3 * 24 * time.Hour).In(nextMinute(t, 0).Location()).Format("Jan 2")
	if !strings.Contains(reminder.Body, "lisinopril") || !strings.Contains(reminder.Body, runOut) {
		t.Errorf("refill reminder %q: want lisinopril running out around %s", reminder.Body, runOut)
	}
	t.Logf("the refill reminder came %v after the regimen was entered: %q", reminder.At.Sub(added).Round(time.Millisecond), reminder.Body)
	follow := w.waitRequest(twiliotest.KindMessage, lapsed, "Recogió su lisinopril", 0, 3*time.Minute)
	if w.requests(twiliotest.KindMessage, lapsed, "acabarse") != 0 {
		t.Errorf("the patient whose supply ran out two days ago got the before-reminder too")
	}
	t.Logf("the follow-up: %q", follow.Body)
	w.text(soon, "2")
	w.text(lapsed, "1")
	for phone, want := range map[string]string{soon: "not_yet", lapsed: "picked_up"} {
		w.waitFor(3*time.Minute, "the refill answer of "+phone, func() bool { return len(w.events(phone, reminders.EventRefillReported)) > 0 })
		evs := w.events(phone, reminders.EventRefillReported)
		var p struct{ Answer, Drug string }
		if err := json.Unmarshal(evs[0].Payload, &p); err != nil || len(evs) != 1 || p.Answer != want || p.Drug != "314076" {
			t.Errorf("%s: refill answers %d, the first %s; want one, %s, for 314076", phone, len(evs), evs[0].Payload, want)
		}
	}
	// Three more runs of the refill job: each fill's stage is kept, so
	// nobody is asked again.
	runs := func() int {
		return count(t, w.db, "SELECT count(*) FROM river_job WHERE kind = 'refill_reminders' AND state = 'completed'")
	}
	after := runs()
	w.waitFor(3*time.Minute, "three more runs of the refill job", func() bool { return runs() >= after+3 })
	for _, phone := range []string{soon, lapsed} {
		if n := w.requests(twiliotest.KindMessage, phone, ""); n != 1 {
			t.Errorf("%d texts to %s, want the one refill message", n, phone)
		}
	}

	// The lapsed patient's new fill, imported as the pharmacy's sync would
	// bring it, wakes the regimen the planner had set aside after the
	// follow-up: four days of supply left, its own reminder comes.
	pats[1].fills = append(pats[1].fills, rxFill{code: "314076", display: "lisinopril", handedOver: time.Now().Add(-26 * 24 * time.Hour), days: 30})
	rapportCmd(t, w.env, "import", "fhir", writeRxBundle(t, pats))
	w.waitRequest(twiliotest.KindMessage, lapsed, "acabarse", 0, 3*time.Minute)
	if n := w.requests(twiliotest.KindMessage, soon, ""); n != 1 {
		t.Errorf("%d texts to %s after the other patient's fill, want still the one", n, soon)
	}
}
