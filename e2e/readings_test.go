package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/web/api"
)

// TestReadingByTextProcess is a reading on the user's path: the patient
// answers a message of ours with "bp 182/121" by SMS through the signed
// webhook of `rapport serve` (a process, on the real clock); staff find an
// urgent item in the inbox through the API, and the patient's
// confirmation, saying the care team will call, reaches the Twilio fake.
// Then staff enter the patient's lisinopril and set its reading_priority
// to urgent through the API: a merely high reading comes in urgent,
// naming the drug.
func TestReadingByTextProcess(t *testing.T) {
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

	if status, body := postJSON(t, base+"/api/v1/messages", token, map[string]any{"patient_id": ids[0],
		"body": "Please text us your blood pressure today.", "purpose": "care"}); status >= 300 {
		t.Fatalf("POST messages: %d %s", status, body)
	}
	phone := "+15127011000" // importPatients' first patient
	sms := func(substr string) (twiliotest.Request, bool) {
		for _, r := range fake.Requests() {
			if r.Kind == twiliotest.KindMessage && r.To == phone && strings.Contains(r.Body, substr) {
				return r, true
			}
		}
		return twiliotest.Request{}, false
	}
	var ask twiliotest.Request
	proctest.WaitFor(t, srv, time.Minute, "our message at Twilio", func() bool {
		var ok bool
		ask, ok = sms("blood pressure today")
		return ok
	})
	if _, err := fake.SendInbound(context.Background(), base+twilio.PathSMS, phone, ask.From, "bp 182/121"); err != nil {
		t.Fatalf("the patient's reading: %v", err)
	}
	proctest.WaitFor(t, srv, time.Minute, "the confirmation of the reading", func() bool {
		_, ok := sms("182/121")
		return ok
	})
	confirm, _ := sms("182/121")
	if !strings.Contains(confirm.Body, "care team will call") || !strings.Contains(confirm.Body, "911") {
		t.Errorf("confirmation %q: want it to say the care team will call, and 911 on symptoms", confirm.Body)
	}
	var inbox struct {
		Items []rapport.InboxItem `json:"items"`
	}
	getJSON(t, base+"/api/v1/inbox?priority=urgent", token, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].PatientID != rapport.PatientID(ids[0]) || inbox.Items[0].Kind != rapport.InboxCareTask ||
		!strings.Contains(inbox.Items[0].Summary, "blood pressure") || !strings.Contains(inbox.Items[0].Summary, "urgent") {
		t.Errorf("urgent inbox: %+v, want one care task naming the blood pressure and urgent", inbox.Items)
	}
	var obs struct {
		Observations []struct {
			Code  rapport.Code `json:"code"`
			Value float64      `json:"value"`
			Level string       `json:"level"`
		} `json:"observations"`
	}
	getJSON(t, base+"/api/v1/patients/"+ids[0]+"/observations", token, &obs)
	if len(obs.Observations) != 2 || obs.Observations[0].Level != "urgent" {
		t.Errorf("observations: %+v, want systolic and diastolic, urgent", obs.Observations)
	}

	// Staff enter the patient's lisinopril and want its high readings at
	// once: a merely high pressure now comes in urgent, naming the drug.
	status, body := postJSON(t, base+"/api/v1/patients/"+ids[0]+"/regimens", token, map[string]any{
		"medication": map[string]string{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril 10 MG Oral Tablet"},
		"times":      []string{"08:00"}, "zone": "America/Chicago"})
	var reg api.Regimen
	if err := json.Unmarshal(body, &reg); status != 201 || err != nil {
		t.Fatalf("POST regimens: %d %s", status, body)
	}
	if status, body := sendJSON(t, "PATCH", base+"/api/v1/regimens/"+reg.ID, token, map[string]any{"reading_priority": "urgent"}); status != 200 ||
		!strings.Contains(string(body), `"reading_priority":"urgent"`) {
		t.Fatalf("PATCH reading_priority: %d %s", status, body)
	}
	if _, err := fake.SendInbound(context.Background(), base+twilio.PathSMS, phone, ask.From, "bp 150/95"); err != nil {
		t.Fatalf("the patient's second reading: %v", err)
	}
	proctest.WaitFor(t, srv, time.Minute, "the confirmation of the second reading", func() bool {
		_, ok := sms("150/95")
		return ok
	})
	getJSON(t, base+"/api/v1/inbox?priority=urgent", token, &inbox)
	var high *rapport.InboxItem
	for i, it := range inbox.Items {
		if strings.Contains(it.Summary, "150/95") {
			high = &inbox.Items[i]
		}
	}
	if high == nil || !strings.Contains(high.Summary, "on lisinopril") || !strings.Contains(high.Summary, "high") {
		t.Errorf("urgent inbox: %+v, want the high reading 150/95 on lisinopril among them", inbox.Items)
	}
}
