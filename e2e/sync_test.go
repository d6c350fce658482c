package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
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
			checkSynced(t, db, rec, oldPhone(baseRecs, rec["id"].(string)))
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
	rows, err := db.SQLDB().QueryContext(ctx, placeholders(db, "SELECT payload FROM ledger WHERE patient_id = ? AND kind = ?"), pid, string(rapport.EventRecordUpdated))
	if err != nil {
		t.Fatal(err)
	}
	var changes [][]string
	for rows.Next() {
		var payload string
		var p struct {
			Changed []string `json:"changed"`
		}
		if err := rows.Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(payload), &p); err != nil {
			t.Fatal(err)
		}
		changes = append(changes, p.Changed)
	}
	rows.Close()
	if len(changes) != 1 || !slices.Equal(changes[0], []string{"contacts"}) {
		t.Errorf("Patient/%s: record.updated events naming %v, want one naming [contacts]", id, changes)
	}
	newRaw := rec["telecom"].([]any)[0].(map[string]any)["value"].(string)
	status := map[string]string{}
	rows, err = db.SQLDB().QueryContext(ctx, placeholders(db, "SELECT raw, status FROM contact_points WHERE patient_id = ?"), pid)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var raw, st string
		if err := rows.Scan(&raw, &st); err != nil {
			t.Fatal(err)
		}
		status[raw] = st
	}
	rows.Close()
	if status[oldRaw] != string(rapport.StatusStale) || status[newRaw] == "" || status[newRaw] == string(rapport.StatusStale) {
		t.Errorf("Patient/%s: contact points %v, want the old %s stale and the new %s not", id, status, oldRaw, newRaw)
	}
}

// patientOf is the rapport patient a source Patient resource id was
// imported into.
func patientOf(t *testing.T, db *store.DB, resourceID string) rapport.PatientID {
	t.Helper()
	var pid string
	q := placeholders(db, "SELECT entity_id FROM source_records WHERE resource_type = 'Patient' AND resource_id = ?")
	if err := db.SQLDB().QueryRowContext(context.Background(), q, resourceID).Scan(&pid); err != nil {
		t.Fatalf("Patient/%s: %v", resourceID, err)
	}
	return rapport.PatientID(pid)
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQLDB().QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// oldPhone is the first phone of the base record with id.
func oldPhone(recs []map[string]any, id string) string {
	for _, r := range recs {
		if r["id"] == id {
			return r["telecom"].([]any)[0].(map[string]any)["value"].(string)
		}
	}
	return ""
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

// placeholders numbers a query's ? placeholders for PostgreSQL.
func placeholders(db *store.DB, q string) string {
	if db.Dialect() != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
