package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// TestImportedPrescriptionsProcess: `rapport generate` writes patients
// with prescriptions, `rapport import fhir` proposes their regimens (the
// summary says so), and through the API of `rapport serve` staff find a
// patient's proposed regimen, with no reminder due, and start it: its
// next dose is then set, in the patient's zone, in the future.
func TestImportedPrescriptionsProcess(t *testing.T) {
	t.Parallel()
	proctest.Binary(t)
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "r.db")
	env := append(proctest.Env(), "RAPPORT_DB="+dsn)
	rapportCmd(t, env, "generate", "--patients", "30", "--seed", "24", "--out", filepath.Join(dir, "gen"))
	out := rapportCmd(t, env, "import", "fhir", filepath.Join(dir, "gen", "fhir"))
	if !strings.Contains(out, "Regimen") {
		t.Fatalf("import summary without a Regimen line:\n%s", out)
	}
	// The patients' rapport ids, to ask the API about them.
	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := db.FindPatients(context.Background(), rapport.PatientFilter{Limit: 100})
	db.Close()
	if err != nil || len(ps) == 0 {
		t.Fatalf("patients: %d, %v", len(ps), err)
	}

	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "pharmacist"))
	addr := freeAddr(t)
	base := "http://" + addr
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
	defer srv.Stop()

	var reg api.Regimen
	for _, p := range ps {
		var list api.RegimenList
		getJSON(t, base+"/api/v1/patients/"+string(p.ID)+"/regimens", token, &list)
		for _, r := range list.Regimens {
			if r.Status != "proposed" || r.NextDueAt != nil || r.CreatedBy != "import" {
				t.Errorf("imported regimen %+v: want proposed, nothing due", r)
			}
		}
		if len(list.Regimens) > 0 && reg.ID == "" {
			reg = list.Regimens[0]
		}
	}
	if reg.ID == "" {
		t.Fatal("no patient has a regimen from the generated prescriptions")
	}
	before := time.Now()
	status, body := postJSON(t, base+"/api/v1/regimens/"+reg.ID+"/start", token, map[string]any{"reminders_requested": true, "checkin_after_minutes": 30})
	var started api.Regimen
	if err := json.Unmarshal(body, &started); status != 200 || err != nil {
		t.Fatalf("start: %d %s", status, body)
	}
	if started.Status != "active" || started.NextDueAt == nil || !started.NextDueAt.After(before) || started.NextDueAt.After(before.Add(48*time.Hour)) {
		t.Errorf("started %s: want active, the next dose within two days", body)
	}
	if status, body := postJSON(t, base+"/api/v1/regimens/"+reg.ID+"/start", token, map[string]any{}); status != 409 {
		t.Errorf("start again: %d %s, want 409", status, body)
	}
}
