package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/webhook"
)

func TestTwilioSMSSignature(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite, options{})
	e.patient("en")
	tests := []struct {
		name      string
		key       string
		signedURL string // "" signs the real URL
		tamper    bool   // change the form after signing
		status    int
		stored    int
	}{
		{"no signature", "", "", false, 403, 0},
		{"wrong key", "not-the-token", "", false, 403, 0},
		{"another URL", authToken, "https://evil.example/webhooks/twilio/sms", false, 403, 0},
		{"body changed after signing", authToken, "", true, 403, 0},
		{"valid", authToken, "", false, 200, 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := smsForm("SM"+strings.Repeat("0", 31)+string(rune('a'+i)), rosaMobile, "hello")
			u := e.srv.URL + twilio.PathSMS
			signed := tt.signedURL
			if signed == "" {
				signed = u
			}
			sig := ""
			if tt.key != "" {
				sig = twilio.Signature(tt.key, signed, form)
			}
			if tt.tamper {
				form.Set("Body", "STOP")
			}
			before := e.count("inbound_messages")
			a := e.post(twilio.PathSMS, form, sig)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			if got := e.count("inbound_messages") - before; got != tt.stored {
				t.Errorf("%d inbound stored, want %d", got, tt.stored)
			}
			if tt.status == 200 && (!strings.Contains(a.body, "<Response/>") || !strings.HasPrefix(a.header.Get("Content-Type"), "text/xml")) {
				t.Errorf("answer %q (%s), want an empty TwiML response", a.body, a.header.Get("Content-Type"))
			}
			if tt.status == 403 && strings.Contains(a.body, rosaMobile) {
				t.Errorf("refusal echoes the request: %q", a.body)
			}
		})
	}
}

// TestTwilioSignatureDefaultPort: Twilio may sign an https URL with its
// default port written out, or not; both spellings verify, other ports do not.
func TestTwilioSignatureDefaultPort(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		public, signed string
		status         int
	}{
		{"https://rapport.example.org", "https://rapport.example.org:443", 200},
		{"https://rapport.example.org:443", "https://rapport.example.org", 200},
		{"https://rapport.example.org", "https://rapport.example.org", 200},
		{"https://rapport.example.org", "https://rapport.example.org:8443", 403},
		{"https://rapport.example.org", "http://rapport.example.org", 403},
	} {
		fake := &fakePipeline{}
		mux := http.NewServeMux()
		webhook.Register(mux, webhook.Deps{Pipeline: fake, TwilioAuthToken: authToken, PublicURL: tt.public})
		form := smsForm("SM00000000000000000000000000000001", rosaMobile, "hi")
		r := httptest.NewRequest(http.MethodPost, twilio.PathSMS, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(twilio.SignatureHeader, twilio.Signature(authToken, tt.signed+twilio.PathSMS, form))
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != tt.status || (tt.status == 200) != (fake.received() == 1) {
			t.Errorf("public %s, signed %s: status %d with %d received, want %d", tt.public, tt.signed, w.Code, fake.received(), tt.status)
		}
	}
}

func TestTwilioSMSStoresOnceAndProcesses(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		form := smsForm("SM11111111111111111111111111111111", rosaMobile, "Can I move my appointment?")
		for i := range 3 { // Twilio retries the same message
			if a := e.twilio(twilio.PathSMS, form, authToken, ""); a.status != 200 {
				t.Fatalf("delivery %d: status %d: %s", i, a.status, a.body)
			}
		}
		e.idle()
		ins, err := e.db.FindPatientInbound(e.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ins) != 1 || ins[0].Body != "Can I move my appointment?" || ins[0].ProviderID != form.Get("MessageSid") || ins[0].Channel != rapport.ChannelSMS {
			t.Fatalf("inbound %+v, want the one message", ins)
		}
		if ins[0].Status != rapport.InboundProcessed {
			t.Errorf("inbound status %s, want processed", ins[0].Status)
		}
	})
}

// TestTwilioSMSStoreFailure: when the database cannot store the message the
// answer is 500, so Twilio retries.
func TestTwilioSMSStoreFailure(t *testing.T) {
	t.Parallel()
	e := fakeServer(t, &fakePipeline{err: errors.New("database is locked")})
	a := e.twilio(twilio.PathSMS, smsForm("SM22222222222222222222222222222222", rosaMobile, "hi"), authToken, "")
	if a.status != 500 {
		t.Fatalf("status %d, want 500: %s", a.status, a.body)
	}
	form := url.Values{"CallSid": {"CA44444444444444444444444444444444"}, "Digits": {"1"}, "From": {ourNumber}, "To": {rosaMobile}}
	if a := e.twilio(twilio.PathVoice+"?mid=x", form, authToken, ""); a.status != 500 {
		t.Fatalf("voice: status %d, want 500: %s", a.status, a.body)
	}
}

func TestTwilioSMSMalformed(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite, options{})
	form := url.Values{"MessageSid": {"SM-not-a-sid!"}, "From": {rosaMobile}, "To": {ourNumber}}
	if a := e.twilio(twilio.PathSMS, form, authToken, ""); a.status != 400 {
		t.Fatalf("status %d, want 400", a.status)
	}
	if n := e.count("inbound_messages"); n != 0 {
		t.Errorf("%d inbound stored", n)
	}
}

func TestTwilioStatus(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		// The simulator answers "sent", as Twilio does, so the status
		// callback decides the rest.
		var n atomic.Int64
		e.sim.Behave = func(m channel.Message) (channel.Result, error) {
			return channel.Result{ProviderID: fmt.Sprintf("SM%032d", n.Add(1)), Status: "sent"}, nil
		}
		tests := []struct {
			name     string
			status   string
			code     string
			want     rapport.MessageStatus
			lineType rapport.LineType
			cpStatus rapport.ContactStatus
		}{
			{"sent changes nothing", "sent", "", rapport.MessageSent, rapport.LineMobile, rapport.StatusValid},
			{"delivered", "delivered", "", rapport.MessageDelivered, rapport.LineMobile, rapport.StatusValid},
			{"landline", "undelivered", "30006", rapport.MessageUndelivered, rapport.LineLandline, rapport.StatusValid},
			{"unknown number", "undelivered", "30005", rapport.MessageUndelivered, rapport.LineMobile, rapport.StatusUnreachable},
			{"failed", "failed", "30007", rapport.MessageFailed, rapport.LineMobile, rapport.StatusValid},
		}
		for _, tt := range tests {
			e.resetPhone(p.ID)
			m := e.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelSMS}, Content: en("Your results are ready.")})
			if m.Status != rapport.MessageSent {
				t.Fatalf("%s: message %s, want sent before the callback", tt.name, m.Status)
			}
			form := url.Values{"MessageSid": {m.ProviderID}, "MessageStatus": {tt.status}, "AccountSid": {"AC0123456789abcdef0123456789abcdef"},
				"From": {ourNumber}, "To": {rosaMobile}}
			if tt.code != "" {
				form.Set("ErrorCode", tt.code)
			}
			if a := e.twilio(twilio.PathStatus+"?mid="+url.QueryEscape(string(m.ID)), form, authToken, ""); a.status != 200 {
				t.Fatalf("%s: status %d: %s", tt.name, a.status, a.body)
			}
			e.idle()
			if got := e.message(m.ID).Status; got != tt.want {
				t.Errorf("%s: message %s, want %s", tt.name, got, tt.want)
			}
			cp := e.contact(p.ID, rapport.ContactPhone)
			if cp.LineType != tt.lineType || cp.Status != tt.cpStatus {
				t.Errorf("%s: phone %s/%s, want %s/%s", tt.name, cp.LineType, cp.Status, tt.lineType, tt.cpStatus)
			}
		}
	})
}

func TestTwilioStatusUnknownAndUnsigned(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite, options{})
	form := url.Values{"MessageSid": {"SM33333333333333333333333333333333"}, "MessageStatus": {"delivered"}}
	if a := e.twilio(twilio.PathStatus+"?mid=nope", form, authToken, ""); a.status != 200 {
		t.Errorf("unknown message: status %d, want 200 (no retry storm)", a.status)
	}
	if a := e.twilio(twilio.PathStatus+"?mid=nope", form, "", ""); a.status != 403 {
		t.Errorf("unsigned: status %d, want 403", a.status)
	}
	// The mid is part of the signed URL: moving it to another message breaks the signature.
	if a := e.twilio(twilio.PathStatus+"?mid=other", form, authToken, e.srv.URL+twilio.PathStatus+"?mid=nope"); a.status != 403 {
		t.Errorf("mid changed: status %d, want 403", a.status)
	}
	e = fakeServer(t, &fakePipeline{err: errors.New("database is locked")})
	if a := e.twilio(twilio.PathStatus+"?mid=nope", form, authToken, ""); a.status != 500 {
		t.Errorf("database down: status %d, want 500 so Twilio retries", a.status)
	}
}

func TestTwilioVoiceGather(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("es")
		choices := map[string]string{"1": "yes", "2": "no"}
		m := e.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelVoice},
			Content: messaging.Content{ByLang: map[string]messaging.Text{"en": {Body: "Did you take your medicine?"}, "es": {Body: "¿Tomó su medicina?"}}, Fallback: "en"},
			Choices: choices})
		form := url.Values{"CallSid": {"CA44444444444444444444444444444444"}, "AccountSid": {"AC0123456789abcdef0123456789abcdef"},
			"Digits": {"1"}, "From": {ourNumber}, "To": {rosaMobile}, "CallStatus": {"in-progress"}, "Direction": {"outbound-api"}}
		path := twilio.PathVoice + "?mid=" + url.QueryEscape(string(m.ID))
		for range 2 { // a retry is stored once
			a := e.twilio(path, form, authToken, "")
			if a.status != 200 || !strings.Contains(a.body, "Gracias") || !strings.Contains(a.body, "<Hangup/>") || !strings.Contains(a.body, `language="es-MX"`) {
				t.Fatalf("answer %d %q, want thanks in Spanish and a hang-up", a.status, a.body)
			}
		}
		e.idle()
		ins, err := e.db.FindPatientInbound(e.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ins) != 1 {
			t.Fatalf("%d inbound, want 1", len(ins))
		}
		in := ins[0]
		if in.Channel != rapport.ChannelVoice || in.Body != "1" || in.InReplyTo != m.ID || in.From != rosaMobile || in.Intent != "yes" {
			t.Errorf("inbound %+v, want voice '1' from Rosa replying to %s with intent yes", in, m.ID)
		}
		// No key pressed: goodbye, nothing stored.
		form.Set("Digits", "")
		if a := e.twilio(path, form, authToken, ""); a.status != 200 || !strings.Contains(a.body, "No recibimos") {
			t.Errorf("no digits: %d %q", a.status, a.body)
		}
		if a := e.twilio(path, form, "", ""); a.status != 403 {
			t.Errorf("unsigned: %d", a.status)
		}
		if n := e.count("inbound_messages"); n != 1 {
			t.Errorf("%d inbound stored, want 1", n)
		}
	})
}

// resetPhone makes Rosa's phone a valid mobile again between cases.
func (e *env) resetPhone(pid rapport.PatientID) {
	e.t.Helper()
	cp := e.contact(pid, rapport.ContactPhone)
	e.tx(func(tx *store.Tx) error {
		if err := tx.SetContactLineType(context.Background(), cp.ID, rapport.LineMobile, "test reset"); err != nil {
			return err
		}
		return tx.SetContactStatus(context.Background(), cp.ID, rapport.StatusValid, "test reset")
	})
}

// TestTwilioVoiceOptOutKey: the call says how to stop calls, in the
// patient's language; pressing the key confirms on the call and records an
// opt-out of calls for the patient and the number, as a texted STOP does:
// no further call of either purpose goes, to this record or one imported
// later with the number, and no call back confirms it. Texts are untouched.
func TestTwilioVoiceOptOutKey(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("es")
		call := func(pid rapport.PatientID, purpose rapport.Purpose) *rapport.Message {
			return e.send(messaging.Request{PatientID: pid, Purpose: purpose, Channels: []rapport.Channel{rapport.ChannelVoice},
				Content: messaging.Content{ByLang: map[string]messaging.Text{"en": {Body: "Your visit is tomorrow."}, "es": {Body: "Su cita es mañana."}}, Fallback: "en"}})
		}
		m := call(p.ID, rapport.PurposeCare)
		form := url.Values{"CallSid": {"CA55555555555555555555555555555555"}, "AccountSid": {"AC0123456789abcdef0123456789abcdef"},
			"Digits": {twilio.OptOutKey}, "From": {ourNumber}, "To": {rosaMobile}, "CallStatus": {"in-progress"}, "Direction": {"outbound-api"}}
		a := e.twilio(twilio.PathVoice+"?mid="+url.QueryEscape(string(m.ID)), form, authToken, "")
		if a.status != 200 || !strings.Contains(a.body, "No recibirá más llamadas") || !strings.Contains(a.body, "<Hangup/>") {
			t.Fatalf("answer %d %q, want the stop confirmed in Spanish and a hang-up", a.status, a.body)
		}
		e.idle()
		for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
			if m := call(p.ID, purpose); m.Status != rapport.MessageSuppressed {
				t.Errorf("%s call after the opt-out key: %s, want suppressed", purpose, m.Status)
			}
		}
		later := &rapport.Patient{Given: "Rosa", Family: "Díaz", Language: "es", Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: rosaMobile,
			Raw: rosaMobile, Use: rapport.UseMobile, LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}}
		e.tx(func(tx *store.Tx) error { return tx.CreatePatients(e.ctx, []*rapport.Patient{later}) })
		if m := call(later.ID, rapport.PurposeOutreach); m.Status != rapport.MessageSuppressed {
			t.Errorf("call to a record imported later with the number: %s, want suppressed", m.Status)
		}
		sms := e.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelSMS}, Content: en("Results are ready.")})
		if sms.Status == rapport.MessageSuppressed {
			t.Errorf("text suppressed by a call opt-out: %s", sms.StatusReason)
		}
		ms, err := e.db.FindPatientMessages(e.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Compliance {
				t.Errorf("a confirmation was sent by %s: %+v", m.Channel, m)
			}
		}
	})
}
