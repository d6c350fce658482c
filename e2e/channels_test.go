package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
)

// TestServeSimulatorProcess is a newcomer's first try with no provider
// account: `rapport serve --channels simulator` as a process says on every
// surface that its patients are simulated, a message sent through the API
// is delivered and answered through the inbound path, and a campaign
// launched from the command line reaches everyone.
func TestServeSimulatorProcess(t *testing.T) {
	t.Parallel()
	proctest.Binary(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	env := append(proctest.Env(), "RAPPORT_DB="+dsn, proctest.AllHours)
	ids := importPatients(t, env, dsn, 20)
	addr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--channels", "simulator", "--log-level", "warn")
	defer srv.Stop()
	if out := srv.Output(); !strings.Contains(out, "SIMULATED channels") || !strings.Contains(out, "channels: simulated") {
		t.Fatalf("serve does not say its patients are simulated:\n%s", out)
	}
	var ready map[string]string
	if getJSON(t, "http://"+addr+"/readyz", "", &ready); ready["channels"] != "simulated" {
		t.Fatalf("/readyz = %v, want channels simulated", ready)
	}
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "newcomer"))
	for _, id := range ids {
		status, body := postJSON(t, "http://"+addr+"/api/v1/messages", token, map[string]any{"patient_id": id, "body": "Your visit is on Tuesday. Reply 1 to confirm, 2 to change it.", "purpose": "care"})
		if status != http.StatusCreated {
			t.Fatalf("POST /api/v1/messages: %d %s; want 201", status, body)
		}
	}
	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Each simulated patient answers about two times in three: among 20,
	// some answer (all 20 staying silent has odds of 1 in 10^9).
	proctest.WaitFor(t, srv, time.Minute, "messages delivered and answers taken in", func() bool {
		return count(t, db, "SELECT count(*) FROM messages WHERE status = 'delivered' AND provider_id LIKE 'simulated-%'") == len(ids) &&
			count(t, db, "SELECT count(*) FROM inbound_messages WHERE status = 'processed'") > 0
	})

	launch := exec.Command(proctest.Binary(t), "campaign", "launch", "--journey", "outreach", "--segment", "true", "--holdout", "0")
	launch.Env = env
	if out, err := launch.CombinedOutput(); err != nil {
		t.Fatalf("campaign launch: %v\n%s", err, out)
	}
	proctest.WaitFor(t, srv, time.Minute, "the campaign's offer delivered to all 20", func() bool {
		return count(t, db, "SELECT count(*) FROM messages WHERE campaign <> '' AND status = 'delivered'") >= len(ids)
	})
	if report := rapportCmd(t, env, "report"); !strings.Contains(report, "SIMULATED: ") {
		t.Errorf("rapport report does not say its messages went to simulated patients:\n%s", report)
	}
}

// TestServeWithoutChannelProcess: a server with no channel says so at
// start and in /readyz, refuses to take a message it cannot send, and a
// campaign launch is refused unless forced, instead of marking every
// patient unsent.
func TestServeWithoutChannelProcess(t *testing.T) {
	t.Parallel()
	proctest.Binary(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	env := append(proctest.Env(), "RAPPORT_DB="+dsn, proctest.AllHours)
	ids := importPatients(t, env, dsn, 1)
	addr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "error")
	defer srv.Stop()
	if out := srv.Output(); !strings.Contains(out, "WARNING: NO CHANNEL is configured") || !strings.Contains(out, "--channels simulator") {
		t.Fatalf("serve does not warn that it cannot send:\n%s", out)
	}
	var ready map[string]string
	if getJSON(t, "http://"+addr+"/readyz", "", &ready); ready["channels"] != "none configured" {
		t.Fatalf("/readyz = %v, want channels none configured", ready)
	}
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "newcomer"))
	status, body := postJSON(t, "http://"+addr+"/api/v1/messages", token, map[string]any{"patient_id": ids[0], "body": "Hello", "purpose": "care"})
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "no channel is configured") {
		t.Fatalf("POST /api/v1/messages with no channel: %d %s; want 503 naming the missing channel", status, body)
	}
	launch := exec.Command(proctest.Binary(t), "campaign", "launch", "--journey", "outreach", "--segment", "true")
	launch.Env = env
	out, err := launch.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "no channel configured") || !strings.Contains(string(out), "--force") {
		t.Fatalf("campaign launch with no channel: %v\n%s\nwant a refusal that names --force", err, out)
	}
	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := count(t, db, "SELECT count(*) FROM campaigns"); n != 0 {
		t.Fatalf("%d campaigns after a refused launch, want 0", n)
	}
	forced := strings.TrimSpace(rapportCmd(t, env, "campaign", "launch", "--journey", "outreach", "--segment", "true", "--force"))
	// The forced campaign waits for a channel: its launch job is tried,
	// put off, and nobody is enrolled, so nobody is marked unsent.
	proctest.WaitFor(t, srv, time.Minute, "the launch tried and put off", func() bool {
		return count(t, db, "SELECT count(*) FROM river_job WHERE kind = 'campaign_launch' AND state = 'scheduled' AND attempted_at IS NOT NULL") == 1
	})
	if n := count(t, db, "SELECT count(*) FROM enrollments"); n != 0 {
		t.Fatalf("campaign %s enrolled %d patients with no channel; want it to wait", forced, n)
	}
}

// importPatients imports n patients with a US mobile each into dsn and
// returns their rapport ids.
func importPatients(t *testing.T, env []string, dsn string, n int) []string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"resourceType":"Patient","id":"p%d","name":[{"family":"Lopez","given":["Ana%d"]}],"birthDate":"1960-01-%02d",`+
			`"telecom":[{"system":"phone","use":"mobile","value":"+1512701%04d"}],"address":[{"state":"TX","postalCode":"78701","country":"US"}]}`+"\n", i, i, i%28+1, 1000+i)
	}
	path := filepath.Join(t.TempDir(), "Patient.ndjson")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	rapportCmd(t, env, "import", "fhir", path)
	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []string
	err = db.InTx(context.Background(), func(tx *store.Tx) error {
		ps, err := tx.PatientIDsAfter(context.Background(), "", n+1)
		for _, p := range ps {
			ids = append(ids, string(p))
		}
		return err
	})
	if err != nil || len(ids) != n {
		t.Fatalf("imported patients: %v, %v; want %d", ids, err, n)
	}
	return ids
}

func postJSON(t *testing.T, url, token string, body any) (int, []byte) {
	t.Helper()
	return sendJSON(t, "POST", url, token, body)
}

// sendJSON sends body as JSON by method to url with token, answering the
// status and the body.
func sendJSON(t *testing.T, method, url, token string, body any) (int, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(res.Body)
	return res.StatusCode, out.Bytes()
}
