package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"

	"github.com/rapporthq/rapport/channel/twiliotest"
)

// TestCaregiverAlertProcess is a missed-dose alert on the user's path:
// staff add two caregivers through the API of `rapport serve` (a process,
// on the real clock) — a daughter with the patient's consent, a son whose
// consent is not recorded — and a regimen with check-ins and
// alert_caregivers; the check-in reaches the patient at the Twilio fake,
// the patient answers "3" (skipped) through the signed SMS webhook, and
// the alert reaches the daughter's number, in her language, naming the
// drug and never the answer; the son gets nothing; the sister, whose home
// number takes no texts, is called. The daughter's STOP
// and START are hers: confirmed to her, never the patient's consent.
func TestCaregiverAlertProcess(t *testing.T) {
	skipShort(t)
	t.Parallel()
	const patient = "+15127011000"
	// The sister's home number takes no texts: Twilio answers 21614.
	const daughter, son, sister = "+15127019001", "+15127019002", "+15127019003"
	w := startAdherenceWorld(t, twiliotest.Options{NumberErrors: map[string]int{sister: 21614}}, []rxPatient{{phone: patient, lang: "en"}})
	pid := w.patientID(patient)

	for _, cg := range []map[string]any{
		{"given": "Lucía", "family": "Lopez", "relationship": map[string]string{"code": "DAU"}, "language": "es", "scope": "reminders",
			"consent": "granted", "contacts": []map[string]string{{"kind": "phone", "value": daughter, "use": "mobile"}}},
		{"given": "Tomás", "family": "Lopez", "relationship": map[string]string{"code": "SON"}, "language": "en", "scope": "conversation",
			"contacts": []map[string]string{{"kind": "phone", "value": son, "use": "mobile"}}},
		{"given": "Ana", "family": "Lopez", "relationship": map[string]string{"code": "SIS"}, "language": "en", "scope": "reminders",
			"consent": "granted", "contacts": []map[string]string{{"kind": "phone", "value": sister, "use": "home"}}},
	} {
		if status, body := postJSON(t, w.base+"/api/v1/patients/"+pid+"/caregivers", w.token, cg); status != 201 {
			t.Fatalf("POST caregivers: %d %s", status, body)
		}
	}

	// The check-in goes a minute after the dose.
	dose := nextMinute(t, 40*time.Second)
	reg := w.addRegimen(patient, map[string]any{"medication": lisinopril, "times": []string{dose.Format("15:04")}, "zone": "America/Chicago",
		"reminders_requested": true, "checkin_after_minutes": 1, "alert_caregivers": true})
	if !reg.AlertCaregivers {
		t.Fatalf("regimen %+v: alert_caregivers not set", reg)
	}

	w.waitRequest(twiliotest.KindMessage, patient, "Did you take your lisinopril", 0, 4*time.Minute)
	if n := w.requests(twiliotest.KindMessage, daughter, ""); n != 0 {
		t.Fatal("the daughter was texted before the patient answered")
	}
	answered := time.Now()
	w.text(patient, "3")
	alert := w.waitRequest(twiliotest.KindMessage, daughter, "lisinopril", 0, 3*time.Minute)
	// The whole text: the drug and the dose's time, nothing of the answer.
	want := "Hillside Clinic: Eva0 no ha tomado la dosis de lisinopril de las " + dose.Format("15:04") +
		" de hoy. Unas palabras suyas pueden ayudar. Responda ALTO para terminar estos mensajes."
	if alert.Body != want {
		t.Errorf("alert %q, want %q", alert.Body, want)
	}
	// The patient is asked why; by the time that question is at Twilio,
	// the son's alert, had there been one, was planned in the same transaction.
	w.waitRequest(twiliotest.KindMessage, patient, "Why?", 0, 3*time.Minute)
	if n := w.requests(twiliotest.KindMessage, son, ""); n != 0 {
		t.Errorf("the son, without the patient's consent, got %d texts", n)
	}
	t.Logf("alert at the daughter's number %v after the answer: %q", time.Since(answered).Round(time.Millisecond), alert.Body)

	// The sister's text fails as a landline: she is called instead, told
	// the same without the STOP sentence.
	call := w.waitRequest(twiliotest.KindCall, sister, "has not taken the lisinopril dose", 0, 2*time.Minute)
	if said := requestText(call); strings.Contains(said, "STOP") || strings.Contains(said, "skipped") {
		t.Errorf("the call to the sister says %q", said)
	}

	// She says ALTO, then INICIO: each confirmed once in Spanish, and the
	// ledger has her opt-in, not the patient's.
	w.text(daughter, "ALTO")
	w.waitRequest(twiliotest.KindMessage, daughter, "Responda INICIO para recibirlos de nuevo", 0, time.Minute)
	w.text(daughter, "INICIO")
	w.waitRequest(twiliotest.KindMessage, daughter, "se ha suscrito de nuevo", 0, time.Minute)
	if evs := w.events(patient, rapport.EventCaregiverOptedIn); len(evs) != 1 {
		t.Errorf("caregiver.opted_in events: %d, want 1", len(evs))
	}
	if evs := w.events(patient, rapport.EventConsentRecorded); len(evs) != 0 {
		t.Errorf("the daughter's keywords recorded %d consents of the patient", len(evs))
	}
}
