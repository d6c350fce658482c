package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/proctest"
)

// A CRM's live feed through rapport serve: many connections post one
// changed patient each at once, as a feed catching up does, and one
// posts a Bundle with a bad birth date; every seventh posts what it
// posted before, and a visit of that patient. The Bundles that arrive together
// are imported together (importer.Together); each answer must still be
// its own: 200 and "1 updated" (or "1 unchanged") for every good one, 400 naming the bad
// one's entry and field, and the database must hold every change but the
// bad one's.
func TestLiveFeedPostsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport serve as a process")
	}
	t.Parallel()
	proctest.Binary(t)
	for _, postgres := range []bool{false, true} {
		name := "SQLite"
		if postgres {
			name = "Postgres"
		}
		t.Run(name, func(t *testing.T) {
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "rapport.db")
			if postgres {
				dsn = pgtest.NewDatabase(t)
			}
			liveFeedAtOnce(t, dsn)
		})
	}
}

func liveFeedAtOnce(t *testing.T, dsn string) {
	const base, clients, bad = 400, 40, 18
	env := append(proctest.Env(), "RAPPORT_DB="+dsn)
	rapportCmd(t, env, "import", "fhir", writeBenchPatients(t, base, true))
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "integration", "--name", "crm-feed"))
	addr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
	defer srv.Stop()
	url := "http://" + addr + "/fhir/R4"

	// After the patients, a visit of each patient posted alone first: a
	// visit feed's Bundle, imported with the others too.
	var visits []int
	for i := 3; i < base; i += 7 {
		visits = append(visits, i)
	}
	answers := make([]string, base+len(visits))
	statuses := make([]int, base+len(visits))
	next := make(chan int)
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	// Every seventh, first alone: posted again below, it changes nothing.
	for i := 3; i < base; i += 7 {
		if status, answer, err := postBundle(client, url, token, changedPatientBundle(t, i)); err != nil || status != http.StatusOK {
			t.Fatalf("Bundle %d alone: %d %s %v", i, status, answer, err)
		}
	}
	for range clients {
		wg.Go(func() {
			for i := range next {
				var body []byte
				switch {
				case i >= base:
					body = visitBundle(t, visits[i-base])
				case i == bad:
					body = bytes.Replace(changedPatientBundle(t, i), []byte(`"birthDate":"1960-05-17"`), []byte(`"birthDate":"1960-13-17"`), 1)
				default:
					body = changedPatientBundle(t, i)
				}
				var err error
				if statuses[i], answers[i], err = postBundle(client, url, token, body); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for i := range answers {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range answers {
		switch {
		case i >= base:
			if statuses[i] != http.StatusOK || !strings.Contains(answers[i], "Encounter: 1 created, 0 updated, 0 unchanged, 0 rejected") {
				t.Errorf("the visit of patient %d: %d %s, want 200 and its encounter created", visits[i-base], statuses[i], answers[i])
			}
		case i == bad:
			if statuses[i] != http.StatusBadRequest || !strings.Contains(answers[i], fmt.Sprintf("Bundle entry 0 (Patient/bench-%d): birthDate", bad)) {
				t.Errorf("the bad Bundle: %d %s, want 400 naming entry 0's birthDate", statuses[i], answers[i])
			}
		case i%7 == 3:
			if statuses[i] != http.StatusOK || !strings.Contains(answers[i], "Patient: 0 created, 0 updated, 1 unchanged, 0 rejected") {
				t.Errorf("Bundle %d: %d %s, want 200 and its patient unchanged", i, statuses[i], answers[i])
			}
		case statuses[i] != http.StatusOK || !strings.Contains(answers[i], "Patient: 0 created, 1 updated, 0 unchanged, 0 rejected"):
			t.Errorf("Bundle %d: %d %s, want 200 and its one update", i, statuses[i], answers[i])
		}
	}
	checkChanged(t, dsn, base-1)
}

// visitBundle is a finished visit of the i-th bench patient, in a
// transaction Bundle of one.
func visitBundle(t *testing.T, i int) []byte {
	body, err := json.Marshal(map[string]any{"resourceType": "Bundle", "type": "transaction", "entry": []any{map[string]any{
		"resource": map[string]any{"resourceType": "Encounter", "id": fmt.Sprintf("visit-%d", i), "status": "finished",
			"class": map[string]any{"code": "AMB"}, "subject": map[string]any{"reference": fmt.Sprintf("Patient/bench-%d", i)},
			"period": map[string]any{"start": "2026-12-01T09:00:00Z", "end": "2026-12-01T09:20:00Z"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// postBundle posts a Bundle with the bearer token and returns the
// answer's status and body.
func postBundle(client *http.Client, url, token string, body []byte) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/fhir+json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(text), err
}
