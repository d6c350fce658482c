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

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
	"github.com/rapporthq/rapport/web/api"
)

// start is a Tuesday, 15:00 UTC: 10:00 in Chicago, inside quiet hours.
var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

const (
	ourNumber  = "+15125550199"
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
	e := &env{t: t, ctx: context.Background(), clock: rapport.NewManualClock(start)}
	e.db = dbtest.Open(t, d, e.clock)
	sim := simulator.New()
	e.p = &messaging.Pipeline{DB: e.db, Clock: e.clock, Policy: messaging.DefaultPolicy(), Keywords: rules.DefaultCatalogue(),
		Org: messaging.Org{Name: "Valley Clinic", Phone: "+15125550100"},
		Senders: map[rapport.Channel]*messaging.Sender{
			rapport.ChannelSMS:   {Sender: sim, From: ourNumber},
			rapport.ChannelVoice: {Sender: sim, From: ourNumber},
		}}
	workers := river.NewWorkers()
	river.AddWorker(workers, messaging.NewSendWorker(e.p))
	river.AddWorker(workers, messaging.NewProcessWorker(e.p))
	q, err := jobs.New(e.db, jobs.Config{Workers: workers, PollInterval: 20 * time.Millisecond, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	e.q, e.p.Queue = q, q
	if err := q.Start(e.ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Stop(context.Background()) })
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
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	api.Register(mux, api.Deps{DB: e.db, Pipeline: e.p, Tokens: e.db, Clock: e.clock})
	return e
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
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
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
	as, err := e.db.FindAudit(e.ctx, pid, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return as
}
