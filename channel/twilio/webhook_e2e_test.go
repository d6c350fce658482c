package twilio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
)

// webhooks is a minimal stand-in for the web package's Twilio routes: it
// verifies the signature against the URL it is reached at, parses, and
// keeps what it got.
type webhooks struct {
	token string
	base  string // set once the server runs

	mu       sync.Mutex
	statuses []twilio.StatusUpdate
	inbound  []twilio.Inbound
	gathers  []twilio.Gather
	rejected int
}

func (h *webhooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !twilio.ValidateSignature(h.token, h.base+r.URL.RequestURI(), r.PostForm, r.Header.Get(twilio.SignatureHeader)) {
		h.rejected++
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	}
	var err error
	switch r.URL.Path {
	case twilio.PathStatus:
		var s twilio.StatusUpdate
		if s, err = twilio.ParseStatus(r.Form); err == nil {
			h.statuses = append(h.statuses, s)
		}
		w.WriteHeader(http.StatusNoContent)
	case twilio.PathSMS:
		var in twilio.Inbound
		if in, err = twilio.ParseInbound(r.Form); err == nil {
			h.inbound = append(h.inbound, in)
			w.Header().Set("Content-Type", "text/xml")
			_, _ = w.Write(twilio.MessageTwiML("Gracias, recibimos: " + in.Body))
		}
	case twilio.PathVoice:
		var g twilio.Gather
		if g, err = twilio.ParseGather(r.Form); err == nil {
			h.gathers = append(h.gathers, g)
			w.Header().Set("Content-Type", "text/xml")
			_, _ = w.Write(twilio.SayTwiML("es", "Gracias."))
		}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

func TestWebhooksEndToEnd(t *testing.T) {
	t.Parallel()
	const unreachable, landline = "+15551230003", "+15551230006"
	srv := twiliotest.NewServer(t, twiliotest.Options{
		Undeliverable: map[string]int{unreachable: 30003, landline: 30006},
		CallOutcomes:  map[string]string{"+15551230009": "no-answer"},
	})
	hooks := &webhooks{token: srv.Config().AuthToken}
	app := httptest.NewServer(hooks)
	t.Cleanup(app.Close)
	hooks.base = app.URL

	cfg := srv.Config()
	cfg.StatusCallbackURL = app.URL + twilio.PathStatus
	cfg.VoiceURL = app.URL
	cfg.HTTPClient = twiliotest.NewClient(5 * time.Second)
	cl, err := twilio.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	send := func(id string, ch rapport.Channel, to string) channel.Result {
		t.Helper()
		res, err := cl.Send(ctx, channel.Message{ID: id, Channel: ch, To: to, Language: "es", Body: "¿Tomó su dosis?",
			Choices: map[string]string{"1": "sí", "2": "no"}})
		if err != nil {
			t.Fatalf("send %s: %v", id, err)
		}
		return res
	}
	send("m-ok", rapport.ChannelSMS, patient)
	send("m-30003", rapport.ChannelSMS, unreachable)
	send("m-30006", rapport.ChannelSMS, landline)
	call := send("m-call", rapport.ChannelVoice, patient)
	send("m-noanswer", rapport.ChannelVoice, "+15551230009")

	if err := srv.DeliverStatus(ctx); err != nil {
		t.Fatalf("DeliverStatus: %v", err)
	}
	final := map[string]twilio.StatusUpdate{}
	hooks.mu.Lock()
	for _, s := range hooks.statuses {
		if s.Final() {
			final[s.MessageID] = s
		}
	}
	nStatuses := len(hooks.statuses)
	hooks.mu.Unlock()
	if nStatuses != 3*2+2 {
		t.Errorf("got %d status callbacks, want 8 (sent+final for 3 SMS, final for 2 calls)", nStatuses)
	}
	checks := []struct {
		mid      string
		status   string
		wantKind error
		code     string
	}{
		{"m-ok", "delivered", nil, ""},
		{"m-30003", "undelivered", channel.ErrRetryable, "30003"},
		{"m-30006", "undelivered", channel.ErrBadAddress, "30006"},
		{"m-call", "completed", nil, ""},
		{"m-noanswer", "no-answer", channel.ErrRetryable, ""},
	}
	for _, c := range checks {
		s, ok := final[c.mid]
		if !ok {
			t.Errorf("%s: no final status", c.mid)
			continue
		}
		if s.Status != c.status || (c.wantKind == nil) != (s.Err == nil) ||
			(c.wantKind != nil && (!errors.Is(s.Err, c.wantKind) || s.Err.Code != c.code)) {
			t.Errorf("%s: status %s err %v, want %s %v %s", c.mid, s.Status, s.Err, c.status, c.wantKind, c.code)
		}
	}
	if srv.Pending() != 0 {
		t.Errorf("%d callbacks still pending", srv.Pending())
	}

	// The patient presses 1 during the call.
	answer, err := srv.Press(ctx, call.ProviderID, "1")
	if err != nil {
		t.Fatalf("Press: %v", err)
	}
	if !strings.Contains(string(answer), "Gracias.") {
		t.Errorf("gather answer = %s", answer)
	}
	// The patient texts back.
	reply, err := srv.SendInbound(ctx, app.URL+twilio.PathSMS, patient, cfg.From, "SÍ")
	if err != nil {
		t.Fatalf("SendInbound: %v", err)
	}
	if !strings.Contains(string(reply), "<Message>Gracias, recibimos: SÍ</Message>") {
		t.Errorf("sms answer = %s", reply)
	}
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	if len(hooks.gathers) != 1 || hooks.gathers[0].Digits != "1" || hooks.gathers[0].MessageID != "m-call" || hooks.gathers[0].CallSID != call.ProviderID {
		t.Errorf("gathers = %+v", hooks.gathers)
	}
	if len(hooks.inbound) != 1 || hooks.inbound[0].From != patient || hooks.inbound[0].Body != "SÍ" {
		t.Errorf("inbound = %+v", hooks.inbound)
	}
	if hooks.rejected != 0 {
		t.Errorf("%d genuine webhooks rejected", hooks.rejected)
	}
}

func TestWebhooksBadSignatureStayPending(t *testing.T) {
	t.Parallel()
	srv := twiliotest.NewServer(t, twiliotest.Options{})
	hooks := &webhooks{token: "not-the-account-token"}
	app := httptest.NewServer(hooks)
	t.Cleanup(app.Close)
	hooks.base = app.URL

	cfg := srv.Config()
	cfg.StatusCallbackURL = app.URL + twilio.PathStatus
	cfg.HTTPClient = twiliotest.NewClient(5 * time.Second)
	cl, err := twilio.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Send(context.Background(), channel.Message{ID: "m1", To: patient, Body: "hi"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.DeliverStatus(context.Background()); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("DeliverStatus = %v, want the 403 reported", err)
	}
	hooks.mu.Lock()
	rejected, accepted := hooks.rejected, len(hooks.statuses)
	hooks.mu.Unlock()
	if rejected != 1 || accepted != 0 || srv.Pending() != 1 {
		t.Errorf("rejected %d accepted %d pending %d; want 1 0 1", rejected, accepted, srv.Pending())
	}
	// Fixed token: the retry delivers both callbacks.
	hooks.mu.Lock()
	hooks.token = cfg.AuthToken
	hooks.mu.Unlock()
	if err := srv.DeliverStatus(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv.Pending() != 0 {
		t.Errorf("still pending after retry")
	}
}
