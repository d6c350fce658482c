package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/webhook"
)

func TestUnsubscribeToken(t *testing.T) {
	t.Parallel()
	u, err := webhook.NewUnsubscribe([]byte("0123456789abcdef"), "https://rapport.example.org/")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := webhook.NewUnsubscribe([]byte("fedcba9876543210"), "https://rapport.example.org")
	id := rapport.MessageID("019a0c3e-7d1c-7a4e-9d2e-5b8f1c2a3b4d")
	if got := u.URL(id); got != "https://rapport.example.org/unsubscribe/"+u.Token(id) {
		t.Errorf("URL %q", got)
	}
	tok := u.Token(id)
	if got, ok := u.Verify(tok); !ok || got != id {
		t.Fatalf("Verify(own token) = %q, %v", got, ok)
	}
	enc, sig, _ := strings.Cut(tok, ".")
	forged := []string{
		"", ".", tok + "x", enc, "." + sig, other.Token(id),
		other.Token("another") /* right shape, wrong key */, u.Token("another")[:strings.Index(u.Token("another"), ".")] + "." + sig,
		strings.Repeat("A", 600) + "." + sig, enc + ".!!", "!!." + sig,
	}
	for _, f := range forged {
		if got, ok := u.Verify(f); ok {
			t.Errorf("Verify(%q) accepted a forged token as %q", f, got)
		}
	}
	if _, err := webhook.NewUnsubscribe([]byte("short"), "https://x"); err == nil {
		t.Error("a 5-byte key was accepted")
	}
	env := map[string]string{"RAPPORT_BOUNCE_SECRET": "b"}
	if k := webhook.UnsubscribeKeyFromEnv(func(k string) string { return env[k] }); len(k) != 32 {
		t.Errorf("derived key has %d bytes", len(k))
	}
	env["RAPPORT_UNSUBSCRIBE_KEY"] = "explicit-key-of-some-length"
	if k := webhook.UnsubscribeKeyFromEnv(func(k string) string { return env[k] }); string(k) != env["RAPPORT_UNSUBSCRIBE_KEY"] {
		t.Errorf("explicit key not used: %q", k)
	}
	if k := webhook.UnsubscribeKeyFromEnv(func(string) string { return "" }); k != nil {
		t.Errorf("no secret configured, yet a key")
	}
}

func (e *env) unsubscribe(method, token, body string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/unsubscribe/"+token, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return e.do(req)
}

func TestOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		req := func(purpose rapport.Purpose) messaging.Request {
			return messaging.Request{PatientID: p.ID, Purpose: purpose, Channels: []rapport.Channel{rapport.ChannelEmail},
				Content: messaging.Content{ByLang: map[string]messaging.Text{"en": {Subject: "News", Body: "Flu shots are here."}}, Fallback: "en"}}
		}
		m := e.send(req(rapport.PurposeOutreach))
		tok := e.unsub.Token(m.ID)

		// GET shows the page and changes nothing (mail scanners follow links).
		a := e.unsubscribe("GET", tok, "")
		if a.status != 200 || !strings.Contains(a.body, `<form method="post">`) || strings.Contains(a.body, "<script") || len(a.body) > 600 {
			t.Fatalf("page: %d (%d bytes) %s", a.status, len(a.body), a.body)
		}
		if a.header.Get("Cache-Control") != "no-store" || a.header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("page headers %v", a.header)
		}
		if n := e.count("consents"); n != 0 {
			t.Fatalf("GET recorded %d consents", n)
		}

		// The one-click POST (RFC 8058), twice: the second changes nothing.
		for i := range 2 {
			if a := e.unsubscribe("POST", tok, "List-Unsubscribe=One-Click"); a.status != 200 || !strings.Contains(a.body, "unsubscribed") {
				t.Fatalf("POST %d: %d %s", i, a.status, a.body)
			}
		}
		cs, err := e.db.FindConsents(e.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 2 {
			t.Fatalf("%d consents, want 2 (email care and outreach, once): %+v", len(cs), cs)
		}
		for _, c := range cs {
			if c.Channel != rapport.ChannelEmail || c.Decision != rapport.OptOut || c.Source != rapport.SourcePatient || !strings.Contains(c.Evidence, "one-click unsubscribe") {
				t.Errorf("consent %+v", c)
			}
		}
		// Email, for either purpose, is now suppressed; SMS is untouched.
		for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
			if m := e.send(req(purpose)); m.Status != rapport.MessageSuppressed {
				t.Errorf("%s email after unsubscribe: %s, want suppressed", purpose, m.Status)
			}
		}
		sms := e.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelSMS}, Content: en("Your results are ready.")})
		if sms.Status == rapport.MessageSuppressed {
			t.Errorf("SMS suppressed by an email unsubscribe: %s", sms.StatusReason)
		}
		// The address holds the opt-out too: a record imported later with
		// it, in any case, gets no email.
		if n := e.count("address_consents"); n != 2 {
			t.Errorf("%d address consents, want 2 (email care and outreach, once)", n)
		}
		later := &rapport.Patient{Given: "Rosa", Family: "Díaz", Language: "en", Contacts: []rapport.ContactPoint{{Kind: rapport.ContactEmail,
			Value: strings.ToUpper(rosaEmail), Raw: rosaEmail, Status: rapport.StatusValid, Source: rapport.SourceImport}}}
		e.tx(func(tx *store.Tx) error { return tx.CreatePatients(e.ctx, []*rapport.Patient{later}) })
		r := req(rapport.PurposeOutreach)
		r.PatientID = later.ID
		if m := e.send(r); m.Status != rapport.MessageSuppressed || !strings.Contains(m.StatusReason, "address opted out") {
			t.Errorf("email to a record imported after the unsubscribe: %s %q, want suppressed", m.Status, m.StatusReason)
		}
	})
}

func TestUnsubscribeForged(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite, options{})
	p := e.patient("en")
	m := e.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Channels: []rapport.Channel{rapport.ChannelEmail}, Content: en("News")})
	other, _ := webhook.NewUnsubscribe([]byte("another key, not the server's"), e.srv.URL)
	for _, tok := range []string{other.Token(m.ID), "abc", e.unsub.Token(m.ID) + "A"} {
		for _, method := range []string{"GET", "POST"} {
			if a := e.unsubscribe(method, tok, "List-Unsubscribe=One-Click"); a.status != 404 {
				t.Errorf("%s %q: %d, want 404", method, tok, a.status)
			}
		}
	}
	// A genuine token of a message that does not exist.
	if a := e.unsubscribe("POST", e.unsub.Token("no-such-message"), "List-Unsubscribe=One-Click"); a.status != 404 {
		t.Errorf("POST for a missing message: %d, want 404", a.status)
	}
	if n := e.count("consents"); n != 0 {
		t.Errorf("forged tokens recorded %d consents", n)
	}
}

func TestUnsubscribeRateLimit(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite, options{limit: webhook.Limit{Burst: 3, Every: time.Hour}})
	for i := range 3 {
		if a := e.unsubscribe("GET", "forged", ""); a.status != 404 {
			t.Fatalf("request %d: %d, want 404", i, a.status)
		}
	}
	a := e.unsubscribe("POST", "forged", "")
	if a.status != 429 || a.header.Get("Retry-After") == "" {
		t.Fatalf("fourth request: %d, Retry-After %q; want 429 with Retry-After", a.status, a.header.Get("Retry-After"))
	}
	// Twilio's webhooks are not limited.
	if a := e.twilio("/webhooks/twilio/sms", smsForm("SM55555555555555555555555555555555", rosaMobile, "hi"), authToken, ""); a.status != 200 {
		t.Errorf("sms webhook after the limit: %d", a.status)
	}
}

type optOutFunc func(ctx context.Context, id rapport.MessageID) error

func (f optOutFunc) OptOut(ctx context.Context, id rapport.MessageID) error { return f(ctx, id) }

// TestRateLimitRefill steps a clock through the token bucket of requests
// whose token is not genuine.
func TestRateLimitRefill(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	unsub, _ := webhook.NewUnsubscribe([]byte("0123456789abcdef"), "https://rapport.example.org")
	mux := http.NewServeMux()
	webhook.Register(mux, webhook.Deps{Pipeline: &fakePipeline{}, Unsubscribe: unsub,
		OptOut:           optOutFunc(func(context.Context, rapport.MessageID) error { return nil }),
		UnsubscribeLimit: webhook.Limit{Burst: 2, Every: 10 * time.Second}, Now: func() time.Time { return now }})
	steps := []struct {
		advance    time.Duration
		from       string
		code       int
		retryAfter string
	}{
		{0, "192.0.2.1", 404, ""},
		{0, "192.0.2.1", 404, ""},
		{0, "192.0.2.1", 429, "10"},
		{0, "192.0.2.2", 404, ""}, // another client has its own bucket
		{4 * time.Second, "192.0.2.1", 429, "6"},
		{6 * time.Second, "192.0.2.1", 404, ""},
		{0, "192.0.2.1", 429, "10"},
		{time.Hour, "192.0.2.1", 404, ""}, // refilled to the burst, no more
		{0, "192.0.2.1", 404, ""},
		{0, "192.0.2.1", 429, "10"},
	}
	forged := unsub.Token("m1")[:strings.Index(unsub.Token("m1"), ".")] + ".AAAAAAAAAAAAAAAAAAAAAA"
	for i, s := range steps {
		now = now.Add(s.advance)
		r := httptest.NewRequest(http.MethodGet, "/unsubscribe/"+forged, nil)
		r.RemoteAddr = s.from + ":40000"
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != s.code || w.Header().Get("Retry-After") != s.retryAfter {
			t.Errorf("step %d: %d Retry-After %q, want %d %q", i, w.Code, w.Header().Get("Retry-After"), s.code, s.retryAfter)
		}
	}
}

// TestGenuineUnsubscribeNeverLimited: one-click POSTs with genuine tokens
// go through however many come from one address (a mail provider's), and
// after that address used up its bucket on forged tokens.
func TestGenuineUnsubscribeNeverLimited(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	unsub, _ := webhook.NewUnsubscribe([]byte("0123456789abcdef"), "https://rapport.example.org")
	var recorded int
	mux := http.NewServeMux()
	webhook.Register(mux, webhook.Deps{Pipeline: &fakePipeline{}, Unsubscribe: unsub,
		OptOut:           optOutFunc(func(context.Context, rapport.MessageID) error { recorded++; return nil }),
		UnsubscribeLimit: webhook.Limit{Burst: 2, Every: time.Hour}, Now: func() time.Time { return now }})
	do := func(method, token string) int {
		r := httptest.NewRequest(method, "/unsubscribe/"+token, strings.NewReader("List-Unsubscribe=One-Click"))
		r.RemoteAddr = "192.0.2.1:40000"
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w.Code
	}
	for i := range 3 {
		do("POST", fmt.Sprintf("forged%d", i))
	}
	if code := do("POST", "forged"); code != 429 {
		t.Fatalf("forged token after the burst: %d, want 429", code)
	}
	for i := range 50 {
		if code := do("POST", unsub.Token(rapport.MessageID(fmt.Sprintf("m%d", i)))); code != 200 {
			t.Fatalf("genuine one-click POST %d: %d, want 200", i, code)
		}
	}
	if code := do("GET", unsub.Token("m1")); code != 200 {
		t.Errorf("genuine GET after the burst: %d, want 200", code)
	}
	if recorded != 50 {
		t.Errorf("%d opt-outs recorded, want 50", recorded)
	}
}
