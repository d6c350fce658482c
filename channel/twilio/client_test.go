package twilio_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
)

const (
	patient  = "+15551230001"
	landline = "+15551230002"
)

// setup returns a test server and a Client pointed at it through a
// loopback-only transport.
func setup(t testing.TB, timeout time.Duration) (*twiliotest.Server, *twilio.Client) {
	t.Helper()
	srv := twiliotest.NewServer(t, twiliotest.Options{NumberErrors: map[string]int{landline: 21614}})
	cfg := srv.Config()
	cfg.StatusCallbackURL = "https://rapport.example.org/webhooks/twilio/status"
	cfg.VoiceURL = "https://rapport.example.org"
	cfg.HTTPClient = twiliotest.NewClient(timeout)
	cl, err := twilio.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, cl
}

type gatherDoc struct {
	Gather struct {
		Action    string `xml:"action,attr"`
		NumDigits string `xml:"numDigits,attr"`
		Say       struct {
			Language string `xml:"language,attr"`
			Text     string `xml:",chardata"`
		} `xml:"Say"`
	} `xml:"Gather"`
}

func TestSendOutgoing(t *testing.T) {
	t.Parallel()
	yesNo := map[string]string{"1": "yes", "2": "no"}
	tests := []struct {
		name  string
		fault *twiliotest.Fault
		msg   channel.Message
		// success
		wantSegments int
		wantSaid     string // voice: text inside <Gather><Say>
		wantLang     string
		// failure
		wantKind  error
		wantCode  string
		wantRetry time.Duration
	}{
		{name: "sms", msg: channel.Message{Channel: rapport.ChannelSMS, To: patient, Body: "Your visit is tomorrow at 9."}, wantSegments: 1},
		{name: "sms two segments", msg: channel.Message{Channel: rapport.ChannelSMS, To: patient, Body: strings.Repeat("a", 200)}, wantSegments: 2},
		{name: "sms unicode", msg: channel.Message{Channel: rapport.ChannelSMS, To: patient, Body: "¿Cómo se siente hoy? 🙂"}, wantSegments: 1},
		{name: "voice english", msg: channel.Message{Channel: rapport.ChannelVoice, To: patient, Language: "en",
			Body: "Did you take your medicine today?", Choices: yesNo},
			wantSaid: "Did you take your medicine today? Press 1 for yes. Press 2 for no. To stop these calls, press 9.", wantLang: "en-US"},
		{name: "voice spanish", msg: channel.Message{Channel: rapport.ChannelVoice, To: patient, Language: "es-MX",
			Body: "¿Tomó su medicina hoy?", Choices: map[string]string{"1": "sí", "2": "no"}},
			wantSaid: "¿Tomó su medicina hoy? Oprima 1 para sí. Oprima 2 para no. Para no recibir más llamadas, oprima 9.", wantLang: "es-MX"},
		{name: "voice to a landline is fine", msg: channel.Message{Channel: rapport.ChannelVoice, To: landline, Language: "en",
			Body: "Call us back.", Choices: yesNo},
			wantSaid: "Call us back. Press 1 for yes. Press 2 for no. To stop these calls, press 9.", wantLang: "en-US"},

		{name: "429 with Retry-After", fault: &twiliotest.Fault{Kind: twiliotest.FaultThrottle, RetryAfter: "7"},
			msg: channel.Message{To: patient, Body: "hi"}, wantKind: channel.ErrRetryable, wantCode: "20429", wantRetry: 7 * time.Second},
		{name: "503", fault: &twiliotest.Fault{Kind: twiliotest.FaultUnavailable, RetryAfter: "2"},
			msg: channel.Message{To: patient, Body: "hi"}, wantKind: channel.ErrRetryable, wantCode: "20503", wantRetry: 2 * time.Second},
		{name: "500", fault: &twiliotest.Fault{Kind: twiliotest.FaultServerError},
			msg: channel.Message{To: patient, Body: "hi"}, wantKind: channel.ErrRetryable, wantCode: "20500"},
		// The request went out: whether Twilio took it, only a lookup tells.
		{name: "timeout", fault: &twiliotest.Fault{Kind: twiliotest.FaultHang},
			msg: channel.Message{To: patient, Body: "hi"}, wantKind: channel.ErrUnknown},
		{name: "invalid number 21211", msg: channel.Message{To: "+15005550001", Body: "hi"}, wantKind: channel.ErrBadAddress, wantCode: "21211"},
		{name: "not E.164", msg: channel.Message{To: "555-0100", Body: "hi"}, wantKind: channel.ErrBadAddress, wantCode: "21211"},
		{name: "landline 21614", msg: channel.Message{To: landline, Body: "hi"}, wantKind: channel.ErrBadAddress, wantCode: "21614"},
		{name: "opted out 21610", msg: channel.Message{To: "+15005550004", Body: "hi"}, wantKind: channel.ErrRecipientOptedOut, wantCode: "21610"},
		{name: "invalid number on a call 21217", msg: channel.Message{Channel: rapport.ChannelVoice, To: "+15005550001", Body: "hi"},
			wantKind: channel.ErrBadAddress, wantCode: "21217"},
		{name: "empty body", msg: channel.Message{To: patient}, wantKind: channel.ErrPermanent},
		{name: "email is not this channel", msg: channel.Message{Channel: rapport.ChannelEmail, To: patient, Body: "x"}, wantKind: channel.ErrPermanent},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, cl := setup(t, 300*time.Millisecond)
			if tt.fault != nil {
				srv.FailNext(1, *tt.fault)
			}
			m := tt.msg
			m.ID = fmt.Sprintf("msg-%d", i)
			res, err := cl.Send(context.Background(), m)

			if tt.wantKind != nil {
				var ce *channel.Error
				if !errors.As(err, &ce) || !errors.Is(err, tt.wantKind) {
					t.Fatalf("Send error = %v, want kind %v", err, tt.wantKind)
				}
				if ce.Code != tt.wantCode || ce.RetryAfter != tt.wantRetry {
					t.Errorf("code %q retry %v, want %q %v", ce.Code, ce.RetryAfter, tt.wantCode, tt.wantRetry)
				}
				if n := srv.Accepted(); n != 0 {
					t.Errorf("server accepted %d requests after a failure", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("server has %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if res.ProviderID != r.SID || len(res.ProviderID) != 34 || res.Status != "queued" {
				t.Errorf("result %+v, server SID %s", res, r.SID)
			}
			if r.To != m.To || r.From != twiliotest.DefaultFrom || r.IdempotencyToken != m.ID || r.MessageID != m.ID {
				t.Errorf("recorded %+v", r)
			}
			if want := "https://rapport.example.org/webhooks/twilio/status?mid=" + m.ID; r.StatusCallback != want {
				t.Errorf("StatusCallback = %q, want %q", r.StatusCallback, want)
			}
			if m.Channel != rapport.ChannelVoice {
				if !strings.HasPrefix(res.ProviderID, "SM") || r.Body != m.Body || res.Segments != tt.wantSegments {
					t.Errorf("sms result %+v body %q, want %d segments", res, r.Body, tt.wantSegments)
				}
				return
			}
			if !strings.HasPrefix(res.ProviderID, "CA") || r.Kind != twiliotest.KindCall {
				t.Errorf("voice result %+v kind %s", res, r.Kind)
			}
			var d gatherDoc
			if err := xml.Unmarshal([]byte(r.Twiml), &d); err != nil {
				t.Fatalf("Twiml: %v\n%s", err, r.Twiml)
			}
			if d.Gather.Say.Text != tt.wantSaid || d.Gather.Say.Language != tt.wantLang {
				t.Errorf("said %q in %s, want %q in %s", d.Gather.Say.Text, d.Gather.Say.Language, tt.wantSaid, tt.wantLang)
			}
			if want := "https://rapport.example.org/webhooks/twilio/voice?mid=" + m.ID; d.Gather.Action != want {
				t.Errorf("gather action %q, want %q", d.Gather.Action, want)
			}
		})
	}
}

// TestSendLostAnswerIsFoundByLookup: Twilio accepted a message whose
// answer never came; the send is unknown (not retryable), and Lookup finds
// the message Twilio has, by its number, sender, body and time.
func TestSendLostAnswerIsFoundByLookup(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	for _, ch := range []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice} {
		t.Run(string(ch), func(t *testing.T) {
			t.Parallel()
			srv := twiliotest.NewServer(t, twiliotest.Options{NowFunc: func() time.Time { return now }})
			cfg := srv.Config()
			cfg.HTTPClient = twiliotest.NewClient(200 * time.Millisecond)
			cl, err := twilio.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv.FailNext(1, twiliotest.Fault{Kind: twiliotest.FaultLostAnswer})
			m := channel.Message{ID: "msg-lost", Channel: ch, To: patient, Body: "See you tomorrow at 9:30"}
			if _, err := cl.Send(context.Background(), m); !errors.Is(err, channel.ErrUnknown) || errors.Is(err, channel.ErrRetryable) {
				t.Fatalf("send: %v, want unknown outcome", err)
			}
			// A call has no body to tell it by: another call to the patient
			// since would be taken for it (see Lookup).
			otherTo := patient
			if ch == rapport.ChannelVoice {
				otherTo = "+15551230003"
			}
			other := channel.Message{ID: "msg-other", Channel: ch, To: otherTo, Body: "another text"}
			if _, err := cl.Send(context.Background(), other); err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests accepted, want 2", len(reqs))
			}
			tests := []struct {
				name      string
				m         channel.Message
				since     time.Time
				wantFound bool
				wantSID   string
			}{
				{"the lost one", m, now.Add(-time.Minute), true, reqs[0].SID},
				{"not before since", m, now.Add(time.Minute), false, ""},
				{"another number", channel.Message{Channel: ch, To: "+15551230009", Body: m.Body}, now.Add(-time.Minute), false, ""},
			}
			if ch == rapport.ChannelSMS {
				tests = append(tests, struct {
					name      string
					m         channel.Message
					since     time.Time
					wantFound bool
					wantSID   string
				}{"another body", channel.Message{Channel: ch, To: patient, Body: "never sent"}, now.Add(-time.Minute), false, ""})
			}
			for _, tt := range tests {
				res, found, err := cl.Lookup(context.Background(), tt.m, tt.since)
				if err != nil {
					t.Fatalf("%s: lookup: %v", tt.name, err)
				}
				if found != tt.wantFound || res.ProviderID != tt.wantSID {
					t.Errorf("%s: lookup = %+v, %v; want found %v with SID %q", tt.name, res, found, tt.wantFound, tt.wantSID)
				}
			}
		})
	}
}

func TestSendTransportFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		baseURL func(srv *twiliotest.Server) string
		token   string
		want    error
		wantMsg string
	}{
		{"wrong token", func(s *twiliotest.Server) string { return s.URL() }, "wrong", channel.ErrPermanent, "Authenticate"},
		{"connection refused", func(s *twiliotest.Server) string { s.Close(); return s.URL() }, "", channel.ErrRetryable, "request failed"},
		{"real twilio is unreachable from tests", func(*twiliotest.Server) string { return twilio.DefaultBaseURL }, "", channel.ErrRetryable, "loopback only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := twiliotest.NewServer(t, twiliotest.Options{})
			cfg := srv.Config()
			cfg.BaseURL = tt.baseURL(srv)
			if tt.token != "" {
				cfg.AuthToken = tt.token
			}
			cfg.HTTPClient = twiliotest.NewClient(time.Second)
			cl, err := twilio.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cl.Send(context.Background(), channel.Message{ID: "m", To: patient, Body: "hi"})
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Send error = %v, want %v mentioning %q", err, tt.want, tt.wantMsg)
			}
			if strings.Contains(err.Error(), cfg.AuthToken) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestLoopbackOnly(t *testing.T) {
	t.Parallel()
	hc := twiliotest.NewClient(time.Second)
	for _, u := range []string{"https://api.twilio.com/2010-04-01", "http://10.0.0.1/", "http://example.com:80/"} {
		resp, err := hc.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET %s succeeded; want refused", u)
		}
	}
	srv := twiliotest.NewServer(t, twiliotest.Options{})
	resp, err := hc.Get(srv.URL() + "/")
	if err != nil {
		t.Fatalf("loopback refused: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET / = %d, want 404", resp.StatusCode)
	}
}
