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

// TestDoseReminderProcess is a dose reminder on the user's path: staff
// enter a regimen through the API of `rapport serve` (a process, on the
// real clock), the reminder reaches the Twilio fake at the dose's minute,
// the patient answers LATER by SMS through the signed webhook, and the
// confirmation comes back with the new time.
func TestDoseReminderProcess(t *testing.T) {
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
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "pharmacist"))

	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	// The next whole minute at least 40 s away: planned by a run of the
	// job (every 30 s) before it is due.
	dose := time.Now().Add(40 * time.Second).Truncate(time.Minute).Add(time.Minute).In(chicago)
	status, body := postJSON(t, base+"/api/v1/patients/"+ids[0]+"/regimens", token, map[string]any{
		"medication": map[string]string{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril"},
		"times":      []string{dose.Format("15:04")}, "zone": "America/Chicago", "reminders_requested": true})
	if status != 201 {
		t.Fatalf("POST regimens: %d %s", status, body)
	}
	var reg struct {
		ID        string    `json:"id"`
		NextDueAt time.Time `json:"next_due_at"`
	}
	if err := json.Unmarshal(body, &reg); err != nil || !reg.NextDueAt.Equal(dose) {
		t.Fatalf("regimen %s: next due %v, want %v (%v)", body, reg.NextDueAt, dose, err)
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
	var reminder twiliotest.Request
	proctest.WaitFor(t, srv, 3*time.Minute, "the dose reminder at Twilio", func() bool {
		var ok bool
		reminder, ok = sms("time for your lisinopril")
		return ok
	})
	arrived := time.Now()
	if early := dose.Sub(arrived); early > 2*time.Second {
		t.Errorf("the reminder arrived %v before its dose at %v", early, dose.Format("15:04"))
	}
	if late := arrived.Sub(dose); late > time.Minute {
		t.Errorf("the reminder arrived %v after its dose at %v: want within a minute", late, dose.Format("15:04"))
	}
	t.Logf("reminder for %s arrived %v after the dose time: %q", dose.Format("15:04"), arrived.Sub(dose).Round(time.Millisecond), reminder.Body)

	if _, err := fake.SendInbound(context.Background(), base+twilio.PathSMS, phone, reminder.From, "LATER"); err != nil {
		t.Fatalf("the patient's LATER: %v", err)
	}
	snoozed := time.Now().Add(time.Hour).In(chicago)
	proctest.WaitFor(t, srv, time.Minute, "the confirmation of the snooze", func() bool {
		_, ok := sms("again at")
		return ok
	})
	confirm, _ := sms("again at")
	// The new time is an hour after the answer, in the patient's zone.
	if !strings.Contains(confirm.Body, snoozed.Format("3:04 PM")) && !strings.Contains(confirm.Body, snoozed.Add(-time.Minute).Format("3:04 PM")) {
		t.Errorf("confirmation %q does not say %s", confirm.Body, snoozed.Format("3:04 PM"))
	}
}
