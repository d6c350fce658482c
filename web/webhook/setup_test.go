package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/webhook"
)

// start is a Tuesday, 15:00 UTC: 10:00 in Chicago, inside quiet hours.
var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

const (
	authToken     = "test-twilio-auth-token"
	bounceSecret  = "test-bounce-secret"
	inboundSecret = "test-inbound-email-secret"
	ourNumber     = testworld.OurNumber
	rosaMobile    = "+15122345678"
	rosaEmail     = "rosa@example.org"
)

// env is the webhooks on a real database with a real pipeline, whose
// channels are the simulator.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	clock *rapport.ManualClock
	q     *jobs.Queue
	p     *messaging.Pipeline
	sim   *simulator.Simulator
	srv   *httptest.Server
	unsub *webhook.Unsubscribe
}

type options struct {
	limit webhook.Limit
}

func setup(t *testing.T, d store.Dialect, o options) *env {
	t.Helper()
	w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start)})
	e := &env{t: t, ctx: w.Ctx, db: w.DB, clock: w.Clock, q: w.Queue, p: w.Pipeline, sim: w.Sim}

	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	var err error
	e.unsub, err = webhook.NewUnsubscribe([]byte("0123456789abcdef0123456789abcdef"), e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	webhook.Register(mux, webhook.Deps{Pipeline: e.p, Messages: e.db, TwilioAuthToken: authToken, PublicURL: e.srv.URL,
		BounceSecret: bounceSecret, InboundEmailSecret: inboundSecret, Unsubscribe: e.unsub, OptOut: webhook.EmailOptOut{DB: e.db}, UnsubscribeLimit: o.limit})
	return e
}

// each runs fn on both databases (PostgreSQL when configured).
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d, options{}))
		})
	}
}

func (e *env) tx(fn func(tx *store.Tx) error) {
	e.t.Helper()
	if err := e.db.InTx(e.ctx, fn); err != nil {
		e.t.Fatal(err)
	}
}

// patient creates Rosa with a valid mobile and email.
func (e *env) patient(lang string) *rapport.Patient {
	e.t.Helper()
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: lang, TimeZone: "America/Chicago", Contacts: []rapport.ContactPoint{
		{Kind: rapport.ContactPhone, Value: rosaMobile, Raw: rosaMobile, Use: rapport.UseMobile, LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport},
		{Kind: rapport.ContactEmail, Value: rosaEmail, Raw: rosaEmail, Status: rapport.StatusValid, Source: rapport.SourceImport},
	}}
	e.tx(func(tx *store.Tx) error { return tx.CreatePatients(e.ctx, []*rapport.Patient{p}) })
	return p
}

// send queues a message through the pipeline and waits until the queue has sent it.
func (e *env) send(req messaging.Request) *rapport.Message {
	e.t.Helper()
	var m *rapport.Message
	e.tx(func(tx *store.Tx) (err error) { m, err = e.p.Send(e.ctx, tx, req); return err })
	e.idle()
	return e.message(m.ID)
}

func (e *env) message(id rapport.MessageID) *rapport.Message {
	e.t.Helper()
	m, err := e.db.FindMessage(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// idle waits until no job is due or running.
func (e *env) idle() {
	e.t.Helper()
	jobstest.WaitIdle(e.t, e.ctx, e.q, 30*time.Second)
}

// count counts the rows of a table.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	var err error
	if sq := e.db.SQLDB(); sq != nil {
		err = sq.QueryRowContext(e.ctx, "SELECT count(*) FROM "+table).Scan(&n)
	} else {
		err = e.db.PgxPool().QueryRow(e.ctx, "SELECT count(*) FROM "+table).Scan(&n)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) contact(pid rapport.PatientID, kind rapport.ContactKind) rapport.ContactPoint {
	e.t.Helper()
	p, err := e.db.FindPatientByID(e.ctx, pid)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range p.Contacts {
		if c.Kind == kind {
			return c
		}
	}
	e.t.Fatalf("patient %s has no %s contact", pid, kind)
	return rapport.ContactPoint{}
}

// answer is an HTTP answer with its body read.
type answer struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(req *http.Request) answer {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return answer{res.StatusCode, res.Header, string(b)}
}

// twilio posts form to path (with its query) as Twilio would, signed with
// key over the URL signedURL (the real URL when empty); an empty key sends
// no signature.
func (e *env) twilio(pathAndQuery string, form url.Values, key, signedURL string) answer {
	e.t.Helper()
	u := e.srv.URL + pathAndQuery
	if signedURL == "" {
		signedURL = u
	}
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if key != "" {
		req.Header.Set(twilio.SignatureHeader, twilio.Signature(key, signedURL, form))
	}
	return e.do(req)
}

// post posts form to pathAndQuery with the given X-Twilio-Signature ("" for none).
func (e *env) post(pathAndQuery string, form url.Values, sig string) answer {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+pathAndQuery, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sig != "" {
		req.Header.Set(twilio.SignatureHeader, sig)
	}
	return e.do(req)
}

// fakePipeline counts what reaches the pipeline, for tests that need no database.
type fakePipeline struct {
	err      error // what every call returns
	mu       sync.Mutex
	inbound  []rapport.Inbound
	statuses []messaging.StatusReport
}

func (f *fakePipeline) Receive(ctx context.Context, in *rapport.Inbound) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return false, f.err
	}
	f.inbound = append(f.inbound, *in)
	return true, nil
}

func (f *fakePipeline) HandleStatus(ctx context.Context, r messaging.StatusReport) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.statuses = append(f.statuses, r)
	return nil
}

func (f *fakePipeline) received() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.inbound)
}

func smsForm(sid, from, body string) url.Values {
	return url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {"AC0123456789abcdef0123456789abcdef"},
		"From": {from}, "To": {ourNumber}, "Body": {body}, "NumMedia": {"0"}, "NumSegments": {"1"}}
}

func en(body string) messaging.Content { return messaging.Plain("en", body) }

// fakeServer serves the webhooks over a fake pipeline.
func fakeServer(t *testing.T, fake *fakePipeline) *env {
	t.Helper()
	mux := http.NewServeMux()
	e := &env{t: t, ctx: context.Background(), srv: httptest.NewServer(mux)}
	t.Cleanup(e.srv.Close)
	webhook.Register(mux, webhook.Deps{Pipeline: fake, TwilioAuthToken: authToken, PublicURL: e.srv.URL, BounceSecret: bounceSecret})
	return e
}
