package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// TestNightlySync is the nightly sync as a clinic runs it (issue 16):
// `rapport import fhir` of the CRM's patients, then of a delta holding
// every 40th of them with a new phone number, new patients, and one new
// record that carries a stored patient's MRN under another name and
// birth date. Each changed patient gets one record.updated naming what
// changed, its old number kept as stale beside the new one; the clash is
// reported at GET /api/v1/duplicates; the delta imported again changes
// nothing.
func TestNightlySync(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport import and serve as processes")
	}
	t.Parallel()
	f := writeSyncFiles(t, 2000, 500)
	base, delta := f.base, f.delta
	baseRecs, deltaRecs := readPatients(t, base), readPatients(t, delta)
	freshN := lineCount(t, f.fresh)
	changed := deltaRecs[:len(deltaRecs)-freshN]
	basePhone := map[string]string{}
	for _, r := range baseRecs {
		basePhone[r["id"].(string)] = firstPhone(r)
	}
	clashWith := baseRecs[1]
	clash := map[string]any{}
	for k, v := range clashWith {
		clash[k] = v
	}
	clash["id"], clash["birthDate"] = "clash-1", "1931-02-03"
	clash["name"] = []any{map[string]any{"use": "official", "family": "Quintero", "given": []any{"Ofelia"}}}
	appendPatient(t, delta, clash)

	onEachDatabase(t, func(t *testing.T, dsn string) {
		env := append(proctest.Env(), "RAPPORT_DB="+dsn)
		wantCounts(t, rapportCmd(t, env, "import", "fhir", base), len(baseRecs), 0, 0)
		wantCounts(t, rapportCmd(t, env, "import", "fhir", delta), freshN+1, len(changed), 0)

		db := openDB(t, dsn)
		defer db.Close()
		for _, rec := range changed {
			checkSynced(t, db, rec, basePhone[rec["id"].(string)])
		}
		token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "sync-check"))
		addr := freeAddr(t)
		srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
		var queue api.DuplicateQueue
		getJSON(t, "http://"+addr+"/api/v1/duplicates", token, &queue)
		srv.Stop()
		t.Logf("%d patients, then %d changed and %d new; %d duplicate pairs pending", len(baseRecs), len(changed), freshN+1, len(queue.Candidates))
		a, b := patientOf(t, db, clashWith["id"].(string)), patientOf(t, db, "clash-1")
		if !slices.ContainsFunc(queue.Candidates, func(c rapport.DuplicateCandidate) bool {
			return (c.A == a && c.B == b) || (c.A == b && c.B == a)
		}) {
			t.Errorf("GET /api/v1/duplicates has no pair of %s and %s (the new record with its MRN): %+v", a, b, queue.Candidates)
		}

		ledger := countRows(t, db, "ledger")
		wantCounts(t, rapportCmd(t, env, "import", "fhir", delta), 0, 0, len(deltaRecs)+1)
		if got := countRows(t, db, "ledger"); got != ledger {
			t.Errorf("the delta imported again wrote %d ledger rows, want none", got-ledger)
		}
	})
}

// checkSynced checks a patient the delta changed (rec, whose first phone
// was oldRaw): one record.updated event naming its contacts, and its old
// number kept as stale beside the new one.
func checkSynced(t *testing.T, db *store.DB, rec map[string]any, oldRaw string) {
	t.Helper()
	ctx := context.Background()
	id := rec["id"].(string)
	pid := patientOf(t, db, id)
	events, err := db.FindEvents(ctx, rapport.EventFilter{PatientID: pid, Kind: rapport.EventRecordUpdated})
	if err != nil {
		t.Fatal(err)
	}
	var changes [][]string
	for _, ev := range events {
		var p struct {
			Changed []string `json:"changed"`
		}
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			t.Fatal(err)
		}
		changes = append(changes, p.Changed)
	}
	if len(changes) != 1 || !slices.Equal(changes[0], []string{"contacts"}) {
		t.Errorf("Patient/%s: record.updated events naming %v, want one naming [contacts]", id, changes)
	}
	p, err := db.FindPatientByID(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]rapport.ContactStatus{}
	for _, c := range p.Contacts {
		status[c.Raw] = c.Status
	}
	newRaw := firstPhone(rec)
	if status[oldRaw] != rapport.StatusStale || status[newRaw] == "" || status[newRaw] == rapport.StatusStale {
		t.Errorf("Patient/%s: contact points %v, want the old %s stale and the new %s not", id, status, oldRaw, newRaw)
	}
}

// patientOf is the rapport patient that `rapport import fhir` (source
// "fhir") imported a Patient resource id into.
func patientOf(t *testing.T, db *store.DB, resourceID string) rapport.PatientID {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	links, err := tx.FindSourceRecords(ctx, "fhir", "Patient", []string{resourceID})
	if err != nil || links[resourceID].EntityID == "" {
		t.Fatalf("Patient/%s: no rapport patient (%v)", resourceID, err)
	}
	return rapport.PatientID(links[resourceID].EntityID)
}

// firstPhone is a Patient resource's first telecom value.
func firstPhone(rec map[string]any) string {
	return rec["telecom"].([]any)[0].(map[string]any)["value"].(string)
}

// readPatients reads an NDJSON file of Patient resources.
func readPatients(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// appendPatient adds a Patient resource to an NDJSON file.
func appendPatient(t *testing.T, path string, p map[string]any) {
	t.Helper()
	line, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
