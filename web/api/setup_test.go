package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
	"github.com/rapporthq/rapport/web/api"
)

// start is a Tuesday, 15:00 UTC: 10:00 in Chicago, inside quiet hours.
var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

const (
	ourNumber  = testworld.OurNumber
	rosaMobile = "+15122345678"
)

// env is the API on a real database with a real pipeline over the simulator.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	clock *rapport.ManualClock
	q     *jobs.Queue
	p     *messaging.Pipeline
	srv   *httptest.Server
	// Tokens by role.
	staff, integration, admin string
}

func setup(t *testing.T, d store.Dialect) *env {
	t.Helper()
	e, _ := newEnv(t, d, false)
	e.serve(api.Deps{DB: e.db, Pipeline: e.p, Tokens: e.db, Clock: e.clock})
	return e
}

// newEnv builds the world (with the journey engine when journeys is set)
// and a token per role; the API is not mounted yet.
func newEnv(t *testing.T, d store.Dialect, journeys bool) (*env, *journey.Engine) {
	t.Helper()
	w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start), Journeys: journeys})
	e := &env{t: t, ctx: w.Ctx, db: w.DB, clock: w.Clock, q: w.Queue, p: w.Pipeline}
	for _, tok := range []struct {
		dst  *string
		name string
		role rapport.Role
	}{{&e.staff, "nurse-desk", rapport.RoleStaff}, {&e.integration, "ehr-push", rapport.RoleIntegration}, {&e.admin, "ops", rapport.RoleAdmin}} {
		secret, hash := web.NewToken()
		if err := e.db.CreateToken(e.ctx, &rapport.Token{Name: tok.name, Role: tok.role}, hash); err != nil {
			t.Fatal(err)
		}
		*tok.dst = secret
	}
	return e, w.Engine
}

// serve mounts the API with deps on a test server.
func (e *env) serve(deps api.Deps) {
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	e.t.Cleanup(e.srv.Close)
	api.Register(mux, deps)
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d))
		})
	}
}

// patient creates Rosa with a valid mobile and no email.
func (e *env) patient(lang string) *rapport.Patient {
	e.t.Helper()
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: lang, TimeZone: "America/Chicago", Contacts: []rapport.ContactPoint{
		{Kind: rapport.ContactPhone, Value: rosaMobile, Raw: rosaMobile, Use: rapport.UseMobile, LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport},
	}}
	if err := e.db.InTx(e.ctx, func(tx *store.Tx) error { return tx.CreatePatients(e.ctx, []*rapport.Patient{p}) }); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// idle waits until no job is due or running.
func (e *env) idle() {
	e.t.Helper()
	jobstest.WaitIdle(e.t, e.ctx, e.q, 30*time.Second)
}

type answer struct {
	status int
	body   []byte
}

// do sends a request; body is JSON-encoded unless it is []byte.
func (e *env) do(method, path, token string, body any) answer {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		raw = j
	}
	var rd io.Reader
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		e.t.Fatalf("%s %s: Content-Type %q: %s", method, path, ct, b)
	}
	conforms(e.t, req, raw, res.StatusCode, res.Header, b)
	return answer{res.StatusCode, b}
}

// into decodes the answer's JSON into v.
func (a answer) into(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d %s: %v", a.status, a.body, err)
	}
}

// errorMessage is the message of a JSON error answer.
func (a answer) errorMessage(t *testing.T) string {
	t.Helper()
	var e web.ErrorResponse
	a.into(t, &e)
	return e.Error.Message
}

func (e *env) audits(pid rapport.PatientID) []rapport.Audit {
	e.t.Helper()
	as, err := e.db.FindAudit(e.ctx, rapport.AuditFilter{PatientID: pid, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return as
}
