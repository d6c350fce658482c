package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
)

// TestImportRuralityProcess is issue 13's rurality finding on the user's
// path: `rapport import csv` of an export whose rural column is mostly
// empty, then `rapport serve` answering GET /api/v1/patients/{id}. The
// binary alone (no data files) gives each US patient its RUCA code and
// rurality, and the API shows them with the validation flags.
func TestImportRuralityProcess(t *testing.T) {
	t.Parallel()
	proctest.Binary(t)
	env := proctest.Env()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	env = append(env, "RAPPORT_DB="+dsn)
	out := rapportCmd(t, env, "import", "csv", "../importer/testdata/rural.csv", "--mapping", "../importer/testdata/rural-mapping.yaml")
	if !strings.Contains(out, "7 created") {
		t.Fatalf("import: %s", out)
	}
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "e2e"))
	addr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
	defer srv.Stop()

	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var links map[string]store.SourceRecord
	if err := db.InTx(context.Background(), func(tx *store.Tx) (err error) {
		links, err = tx.FindSourceRecords(context.Background(), "rural-test", "Patient", []string{"r1", "r2", "r3", "r4", "r5"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		ruca  int
		rural bool
	}{"r1": {10, true}, "r2": {1, false}, "r3": {4, true}, "r4": {1, true}, "r5": {10, false}}
	rural := 0
	for id, w := range want {
		var p rapport.Patient
		getJSON(t, "http://"+addr+"/api/v1/patients/"+links[id].EntityID, token, &p)
		if p.RUCA != w.ruca || p.Rural != w.rural {
			t.Errorf("%s: API says RUCA %d rural %v, want %d %v", id, p.RUCA, p.Rural, w.ruca, w.rural)
		}
		if p.Rural {
			rural++
		}
		if id == "r3" && (len(p.Contacts) != 1 || p.Contacts[0].Suggestion != "cy@gmail.com") {
			t.Errorf("r3 contacts %+v: want the gmial.com address with its suggestion", p.Contacts)
		}
	}
	if rural != 3 {
		t.Errorf("%d of 5 rural, want 3 (no longer every patient urban)", rural)
	}
}

func getJSON(t *testing.T, url, token string, v any) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %v", url, res.StatusCode, err)
	}
}
