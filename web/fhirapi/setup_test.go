package fhirapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
	"github.com/rapporthq/rapport/web/fhirapi"
)

var start = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func newClock() rapport.Clock { return rapport.NewManualClock(start) }

// env is a running FHIR API on a real database.
type env struct {
	t     *testing.T
	db    *store.DB
	queue *jobs.Queue
	srv   *httptest.Server
	base  string
	// Tokens by role, and a second integration token.
	staff, integration, admin, otherIntegration string
	// Names of the tokens, as the audit trail records them.
	names map[string]string
}

type options struct {
	maxUpload int64
	// work starts the queue with the upload worker (not started yet: call env.startQueue).
	work bool
}

func setup(t *testing.T, db *store.DB, o options) *env {
	t.Helper()
	ctx := context.Background()
	im := &importer.Importer{DB: db, Source: "shared-importer"}
	cfg := jobs.Config{PollInterval: 20 * time.Millisecond, TestOnly: true}
	if o.work {
		cfg.Workers = river.NewWorkers()
		river.AddWorker(cfg.Workers, importer.NewUploadWorker(db, im))
	}
	q, err := jobs.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, queue: q, names: map[string]string{}}
	for _, tok := range []struct {
		dst  *string
		name string
		role rapport.Role
	}{{&e.staff, "nurse-desk", rapport.RoleStaff}, {&e.integration, "ehr-push", rapport.RoleIntegration},
		{&e.admin, "ops", rapport.RoleAdmin}, {&e.otherIntegration, "crm-push", rapport.RoleIntegration}} {
		secret, hash := web.NewToken()
		if err := db.CreateToken(ctx, &rapport.Token{Name: tok.name, Role: tok.role}, hash); err != nil {
			t.Fatal(err)
		}
		*tok.dst, e.names[secret] = secret, tok.name
	}
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.base = e.srv.URL + fhirapi.Prefix
	fhirapi.Register(mux, fhirapi.Deps{DB: db, Queue: q, Importer: im, Tokens: db, Base: e.base + "/", Version: "0.9.0-test",
		Clock: db.Clock(), MaxUpload: o.maxUpload})
	return e
}

// startQueue starts working queued jobs until the test ends.
func (e *env) startQueue() {
	e.t.Helper()
	if err := e.queue.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { e.queue.Stop(context.Background()) })
}

// answer is an HTTP answer with its body read.
type answer struct {
	status int
	header http.Header
	body   []byte
	// typ is the FHIR resourceType of the body.
	typ string
}

// do sends a request to path (under the FHIR base, or a full URL) and checks
// that the answer is FHIR JSON, valid against the R4 schema.
func (e *env) do(method, path, token string, body []byte, header ...string) answer {
	e.t.Helper()
	url := path
	if !strings.HasPrefix(path, "http") {
		url = e.base + path
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/fhir+json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != fhirapi.ContentType {
		e.t.Fatalf("%s %s: Content-Type %q, want %s; body:\n%s", method, path, ct, fhirapi.ContentType, b)
	}
	return answer{status: res.StatusCode, header: res.Header, body: b, typ: assertFHIR(e.t, b)}
}

// want fails the test unless the answer has status and resource type typ.
func (a answer) want(t *testing.T, status int, typ string) answer {
	t.Helper()
	if a.status != status || a.typ != typ {
		t.Fatalf("answer %d %s, want %d %s:\n%s", a.status, a.typ, status, typ, a.body)
	}
	return a
}

// diagnostics joins the issues' diagnostics of an OperationOutcome.
func (a answer) diagnostics(t *testing.T) string {
	t.Helper()
	var oo struct {
		Issue []struct {
			Severity, Code, Diagnostics string
		}
	}
	if err := json.Unmarshal(a.body, &oo); err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, i := range oo.Issue {
		s = append(s, i.Severity+"/"+i.Code+": "+i.Diagnostics)
	}
	return strings.Join(s, "\n")
}

// syntheaBundle is the test bundle of package fhir: one patient's
// transaction bundle with 125 other resources.
func syntheaBundle(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../fhir/testdata/synthea-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Facts of the Synthea test bundle's patient.
const (
	syntheaSSN     = "999-58-8593"
	syntheaMRN     = "75b8811d-a358-47f0-8a3d-950b70573f8e"
	syntheaPhone   = "555-684-5534"
	syntheaPatient = "f26c357d-6c69-401f-a505-0413901cb401"
)

// patientID finds the rapport id of the patient with identifier system|value.
func (e *env) patientID(system, value string) rapport.PatientID {
	e.t.Helper()
	ps, _, err := e.db.FindPatients(context.Background(), rapport.PatientFilter{Identifier: &rapport.Identifier{System: system, Value: value}})
	if err != nil || len(ps) != 1 {
		e.t.Fatalf("patient %s|%s: %d found, err %v", system, value, len(ps), err)
	}
	return ps[0].ID
}

func counts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	c, err := db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitFor polls cond until it holds, failing after a generous bound.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not in time", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func each(t *testing.T, fn func(t *testing.T, db *store.DB)) { dbtest.Each(t, newClock, fn) }

func openSQLite(t *testing.T) *store.DB { return dbtest.Open(t, store.SQLite, newClock()) }
