package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/metrics"
)

// TestCheckinBySMSProcess is issue 15's check-in on the user's path: staff
// enter a regimen with check-ins through the API of `rapport serve` (a
// process on the real clock); a minute after the dose "Did you take your
// lisinopril…?" reaches the Twilio fake; the patient texts 3 (skipped)
// through the signed webhook, is asked why, answers in words that it
// makes them dizzy; the care team's inbox shows a high-priority item
// through the API, and the self-reported rate of the adherence report,
// from the API and from `rapport report adherence`, counts the dose as
// answered and not taken.
func TestCheckinBySMSProcess(t *testing.T) {
	skipShort(t)
	t.Parallel()
	const phone = "+15127021000"
	w := startAdherenceWorld(t, twiliotest.Options{}, []rxPatient{{phone: phone, lang: "en"}})
	dose := nextMinute(t, 40*time.Second)
	w.addRegimen(phone, map[string]any{"medication": lisinopril, "times": []string{dose.Format("15:04")}, "zone": "America/Chicago",
		"reminders_requested": true, "checkin_after_minutes": 1})

	w.waitRequest(twiliotest.KindMessage, phone, "time for your lisinopril", 0, 3*time.Minute)
	checkin := w.waitRequest(twiliotest.KindMessage, phone, "Did you take your lisinopril", 0, 4*time.Minute)
	if due := dose.Add(time.Minute); checkin.At.Before(due.Add(-2*time.Second)) || checkin.At.After(due.Add(time.Minute)) {
		t.Errorf("the check-in arrived at %v; want within a minute of %v, a minute after the dose", checkin.At.Format(time.TimeOnly), due.Format(time.TimeOnly))
	}
	if !strings.Contains(checkin.Body, "3 skipped") {
		t.Errorf("check-in %q does not offer 3 skipped", checkin.Body)
	}
	w.text(phone, "3")
	why := w.waitRequest(twiliotest.KindMessage, phone, "Why?", 0, 3*time.Minute)
	if !strings.Contains(why.Body, "1 side effects") {
		t.Errorf("the skip question %q does not offer 1 side effects", why.Body)
	}
	w.text(phone, "it makes me dizzy")

	pid := rapport.PatientID(w.patientID(phone))
	var item *rapport.InboxItem
	w.waitFor(3*time.Minute, "the side effect in the care team's inbox", func() bool {
		for _, it := range w.inbox() {
			if it.PatientID == pid {
				item = it
				return true
			}
		}
		return false
	})
	if item.Priority != rapport.PriorityHigh || !strings.Contains(item.Summary, "side effects") || !strings.Contains(item.Summary, "lisinopril") {
		t.Errorf("inbox item %+v: want high priority, naming lisinopril and side effects", item)
	}
	reports := w.events(phone, rapport.EventAdherenceReported)
	if len(reports) != 2 {
		t.Fatalf("%d adherence.reported events, want 2 (skipped, then why)", len(reports))
	}
	var last rapport.AdherenceReported
	if err := json.Unmarshal(reports[1].Payload, &last); err != nil || last.Answer != "skipped" || last.SkipReason != "side_effects" || reports[1].Channel != rapport.ChannelSMS {
		t.Errorf("the last answer %s by %s: want skipped for side effects, by SMS", reports[1].Payload, reports[1].Channel)
	}

	var fromAPI metrics.AdherenceReport
	getJSON(t, w.base+"/api/v1/metrics/adherence", w.token, &fromAPI)
	var fromCLI metrics.AdherenceReport
	if err := json.Unmarshal([]byte(rapportCmd(t, w.env, "report", "adherence", "--format", "json")), &fromCLI); err != nil {
		t.Fatal(err)
	}
	for name, rep := range map[string]metrics.AdherenceReport{"API": fromAPI, "rapport report adherence": fromCLI} {
		got := selfReport(rep, adherence.ClassRASA)
		if got.Answered != 1 || got.Taken != 0 {
			t.Errorf("%s: RASA self-report %+v; want the one dose answered, not taken", name, got)
		}
	}
}

// selfReport is the overall self-reported rate of class in rep.
func selfReport(rep metrics.AdherenceReport, class string) adherence.SelfReportRate {
	for _, c := range rep.Classes {
		if c.Class == class {
			return c.Overall.SelfReport
		}
	}
	return adherence.SelfReportRate{}
}

// TestCheckinByCallProcess is the check-in of a patient whose only phone
// is a landline, in English and in Spanish: the texts to it come back
// undelivered (30006), so the reminder and the check-in go on as calls.
// What each call says must make sense read aloud — keys to press, no
// "reply" and no keyword a keypad cannot send. The patient presses 3
// (skipped): the answer is in the ledger, by voice; the "why?" call
// follows, the patient presses 1 (side effects), and the care team's inbox
// has the item.
func TestCheckinByCallProcess(t *testing.T) {
	skipShort(t)
	t.Parallel()
	const english, spanish = "+15127022000", "+15127022010"
	w := startAdherenceWorld(t, twiliotest.Options{Undeliverable: map[string]int{english: 30006, spanish: 30006}},
		[]rxPatient{{phone: english, lang: "en"}, {phone: spanish, lang: "es"}})
	dose := nextMinute(t, 40*time.Second)
	for _, phone := range []string{english, spanish} {
		w.addRegimen(phone, map[string]any{"medication": lisinopril, "times": []string{dose.Format("15:04")}, "zone": "America/Chicago",
			"reminders_requested": true, "checkin_after_minutes": 1})
	}
	type lang struct {
		phone, reminder, checkin, why, press3 string
		unspeakable                           []string
	}
	for _, l := range []lang{
		{english, "time for your lisinopril", "Did you take your lisinopril", "Why?", "ress 3", []string{"reply", "later", "text"}},
		{spanish, "es hora de su lisinopril", "Tom", "Por qu", "prima 3", []string{"responda", "mas tarde", "más tarde", "skipped", "not yet", "side effects"}},
	} {
		reminder := w.waitRequest(twiliotest.KindCall, l.phone, l.reminder, 0, 3*time.Minute)
		checkin := w.waitRequest(twiliotest.KindCall, l.phone, l.checkin, 0, 4*time.Minute)
		for _, call := range []twiliotest.Request{reminder, checkin} {
			said := requestText(call)
			t.Logf("%s hears: %q", l.phone, said)
			for _, word := range l.unspeakable {
				if strings.Contains(strings.ToLower(said), word) {
					t.Errorf("a call to %s says %q: it cannot be done on a keypad, or is not in the patient's language: %q", l.phone, word, said)
				}
			}
		}
		if said := requestText(checkin); !strings.Contains(said, l.press3) {
			t.Errorf("the check-in call to %s does not ask to press 3: %q", l.phone, said)
		}
		if _, err := w.fake.Press(context.Background(), checkin.SID, "3"); err != nil {
			t.Fatalf("pressing 3: %v", err)
		}
		why := w.waitRequest(twiliotest.KindCall, l.phone, l.why, 0, 3*time.Minute)
		t.Logf("%s hears: %q", l.phone, requestText(why))
		for _, word := range l.unspeakable {
			if strings.Contains(strings.ToLower(requestText(why)), word) {
				t.Errorf("the why call to %s says %q: %q", l.phone, word, requestText(why))
			}
		}
		if _, err := w.fake.Press(context.Background(), why.SID, "1"); err != nil {
			t.Fatalf("pressing 1: %v", err)
		}
	}
	for _, phone := range []string{english, spanish} {
		pid := rapport.PatientID(w.patientID(phone))
		w.waitFor(3*time.Minute, "the side effect of "+phone+" in the inbox", func() bool {
			for _, it := range w.inbox() {
				if it.PatientID == pid && strings.Contains(it.Summary, "side effects") {
					return true
				}
			}
			return false
		})
		reports := w.events(phone, rapport.EventAdherenceReported)
		if len(reports) != 2 {
			t.Fatalf("%s: %d adherence.reported events, want 2", phone, len(reports))
		}
		for _, ev := range reports {
			var a rapport.AdherenceReported
			if err := json.Unmarshal(ev.Payload, &a); err != nil || a.Answer != "skipped" || ev.Channel != rapport.ChannelVoice {
				t.Errorf("%s: answer %s by %s, want skipped by voice", phone, ev.Payload, ev.Channel)
			}
		}
	}
	for _, phone := range []string{english, spanish} {
		if n := w.requests(twiliotest.KindMessage, phone, ""); n > 2 {
			t.Errorf("%d texts to the landline %s; want only the reminder's and the check-in's, which failed", n, phone)
		}
	}
}

// TestCheckinEscalationProcess: a regimen of two doses a minute apart with
// escalate_after_missed 2; the patient answers the first check-in 2 (not
// yet) — nothing goes to the care team — and the second 3 (skipped): one
// high-priority item appears in the inbox through the API, and a later
// answer in the window adds none. The check-in comes two minutes after
// its dose, after the next dose's reminder, so that each answer follows
// the question it answers.
func TestCheckinEscalationProcess(t *testing.T) {
	skipShort(t)
	t.Parallel()
	const phone = "+15127023000"
	w := startAdherenceWorld(t, twiliotest.Options{}, []rxPatient{{phone: phone, lang: "en"}})
	first := nextMinute(t, 5*time.Second)
	reg := w.addRegimen(phone, map[string]any{"medication": lisinopril, "times": []string{first.Format("15:04"), first.Add(time.Minute).Format("15:04")},
		"zone": "America/Chicago", "reminders_requested": true, "checkin_after_minutes": 2, "escalate_after_missed": 2, "escalate_window_days": 7})
	if reg.EscalateAfterMissed != 2 || reg.EscalateWindowDays != 7 {
		t.Fatalf("regimen %+v: want escalation after 2 missed in 7 days", reg)
	}
	pid := rapport.PatientID(w.patientID(phone))
	escalations := func() []*rapport.InboxItem {
		var out []*rapport.InboxItem
		for _, it := range w.inbox() {
			if it.PatientID == pid && strings.Contains(it.Summary, "missed") {
				out = append(out, it)
			}
		}
		return out
	}
	answered := func(n int) func() bool {
		return func() bool { return len(w.events(phone, rapport.EventAdherenceReported)) >= n }
	}

	// Due about three minutes from now (the dose up to a minute away, its
	// check-in two after): the deadlines are generous for a loaded machine.
	w.waitRequest(twiliotest.KindMessage, phone, "Did you take your lisinopril", 0, 6*time.Minute)
	w.text(phone, "2")
	w.waitFor(3*time.Minute, "the first answer in the ledger", answered(1))
	if es := escalations(); len(es) != 0 {
		t.Fatalf("escalated after one missed dose: %+v", es[0])
	}
	w.waitRequest(twiliotest.KindMessage, phone, "Did you take your lisinopril", 1, 4*time.Minute)
	w.text(phone, "3")
	w.waitFor(3*time.Minute, "the escalation in the inbox", func() bool { return len(escalations()) > 0 })
	it := escalations()[0]
	if it.Priority != rapport.PriorityHigh || !strings.Contains(it.Summary, "missed 2 doses of lisinopril") {
		t.Errorf("escalation %+v: want high priority, 2 missed doses of lisinopril", it)
	}
	// The skip question follows; its answer (forgot) is a third report in
	// the window, and must not tell the care team again.
	w.waitRequest(twiliotest.KindMessage, phone, "Why?", 0, 3*time.Minute)
	w.text(phone, "3")
	w.waitFor(3*time.Minute, "the reason in the ledger", answered(3))
	if es := escalations(); len(es) != 1 {
		t.Errorf("%d escalations, want 1 per window", len(es))
	}
}
