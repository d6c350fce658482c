package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/proctest"
)

// TestCaregiverAlertProcess is a missed-dose alert on the user's path:
// staff add two caregivers through the API of `rapport serve` (a process,
// on the real clock) — a daughter with the patient's consent, a son whose
// consent is not recorded — and a regimen with check-ins and
// alert_caregivers; the check-in reaches the patient at the Twilio fake,
// the patient answers "3" (skipped) through the signed SMS webhook, and
// the alert reaches the daughter's number, in her language, naming the
// drug and never the answer; the son gets nothing.
func TestCaregiverAlertProcess(t *testing.T) {
	skipShort(t)
	t.Parallel()
	proctest.Binary(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	fake := twiliotest.NewServer(t, twiliotest.Options{})
	env := append(proctest.TwilioEnv(fake), "RAPPORT_DB="+dsn, proctest.AllHours, "RAPPORT_ORG_NAME=Hillside Clinic", "RAPPORT_ORG_PHONE=+15128000000")
	ids := importPatients(t, env, dsn, 1)
	addr := freeAddr(t)
	base := "http://" + addr
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--public-url", base, "--log-level", "warn")
	defer srv.Stop()
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "nurse"))

	const daughter, son = "+15127019001", "+15127019002"
	for _, cg := range []map[string]any{
		{"given": "Lucía", "family": "Lopez", "relationship": map[string]string{"code": "DAU"}, "language": "es", "scope": "reminders",
			"consent": "granted", "contacts": []map[string]string{{"kind": "phone", "value": daughter, "use": "mobile"}}},
		{"given": "Tomás", "family": "Lopez", "relationship": map[string]string{"code": "SON"}, "language": "en", "scope": "conversation",
			"contacts": []map[string]string{{"kind": "phone", "value": son, "use": "mobile"}}},
	} {
		if status, body := postJSON(t, base+"/api/v1/patients/"+ids[0]+"/caregivers", token, cg); status != 201 {
			t.Fatalf("POST caregivers: %d %s", status, body)
		}
	}

	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	// The next whole minute at least 40 s away (the planner runs every
	// 30 s); the check-in goes a minute after it.
	dose := time.Now().Add(40 * time.Second).Truncate(time.Minute).Add(time.Minute).In(chicago)
	status, body := postJSON(t, base+"/api/v1/patients/"+ids[0]+"/regimens", token, map[string]any{
		"medication": map[string]string{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril"},
		"times":      []string{dose.Format("15:04")}, "zone": "America/Chicago", "reminders_requested": true,
		"checkin_after_minutes": 1, "alert_caregivers": true})
	if status != 201 {
		t.Fatalf("POST regimens: %d %s", status, body)
	}
	var reg struct {
		AlertCaregivers bool `json:"alert_caregivers"`
	}
	if err := json.Unmarshal(body, &reg); err != nil || !reg.AlertCaregivers {
		t.Fatalf("regimen %s: alert_caregivers not set (%v)", body, err)
	}

	const patient = "+15127011000" // importPatients' first patient
	sms := func(to, substr string) (twiliotest.Request, bool) {
		for _, r := range fake.Requests() {
			if r.Kind == twiliotest.KindMessage && r.To == to && strings.Contains(r.Body, substr) {
				return r, true
			}
		}
		return twiliotest.Request{}, false
	}
	var checkin twiliotest.Request
	proctest.WaitFor(t, srv, 4*time.Minute, "the check-in at Twilio", func() bool {
		var ok bool
		checkin, ok = sms(patient, "Did you take your lisinopril")
		return ok
	})
	if _, ok := sms(daughter, ""); ok {
		t.Fatal("the daughter was texted before the patient answered")
	}
	answered := time.Now()
	if _, err := fake.SendInbound(context.Background(), base+twilio.PathSMS, patient, checkin.From, "3"); err != nil {
		t.Fatalf("the patient's answer: %v", err)
	}
	var alert twiliotest.Request
	proctest.WaitFor(t, srv, 3*time.Minute, "the alert at the daughter's number", func() bool {
		var ok bool
		alert, ok = sms(daughter, "lisinopril")
		return ok
	})
	// The whole text: the drug and the dose's time, nothing of the answer.
	want := "Hillside Clinic: Ana0 no ha tomado la dosis de lisinopril de las " + dose.Format("15:04") +
		" de hoy. Unas palabras suyas pueden ayudar. Responda ALTO para terminar estos mensajes."
	if alert.Body != want {
		t.Errorf("alert %q, want %q", alert.Body, want)
	}
	// The patient is asked why; by the time that question is at Twilio,
	// the son's alert, had there been one, was planned in the same transaction.
	proctest.WaitFor(t, srv, 3*time.Minute, "the question why, to the patient", func() bool {
		for _, r := range fake.Requests() {
			if r.Kind == twiliotest.KindMessage && r.To == patient && r.SID != checkin.SID && !strings.Contains(r.Body, "Did you take") && !strings.Contains(r.Body, "time for your") {
				return true
			}
		}
		return false
	})
	if r, ok := sms(son, ""); ok {
		t.Errorf("the son, without the patient's consent, got %q", r.Body)
	}
	t.Logf("alert at the daughter's number %v after the answer: %q", time.Since(answered).Round(time.Millisecond), alert.Body)
}
