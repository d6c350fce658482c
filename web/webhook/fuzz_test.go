package webhook_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/web/webhook"
)

// FuzzTwilioSMSWebhook posts arbitrary bodies to the SMS webhook, signed or
// not: it never panics, nothing unsigned reaches the pipeline, and a signed
// message that is stored is the one that was posted.
func FuzzTwilioSMSWebhook(f *testing.F) {
	f.Add(smsForm("SM00000000000000000000000000000001", rosaMobile, "STOP").Encode(), true, "")
	f.Add(smsForm("SM00000000000000000000000000000001", rosaMobile, "yes").Encode(), false, "")
	f.Add("MessageSid=SM1&From=%2B1&To=%2B2&Body=%ZZ", true, "")
	f.Add("From=a&From=b&To=c&MessageSid=SMx&Body=&NumMedia=2&MediaUrl0=http://x", true, "?mid=1")
	f.Add(strings.Repeat("a=b&", 1000), true, "?x=%zz")
	f.Add("", false, "")
	f.Fuzz(func(t *testing.T, body string, sign bool, query string) {
		if query != "" && query[0] != '?' {
			return
		}
		if _, err := url.ParseRequestURI(twilio.PathSMS + query); err != nil || strings.ContainsAny(query, " #") {
			return // not a request target a client can send
		}
		fake := &fakePipeline{}
		mux := http.NewServeMux()
		webhook.Register(mux, webhook.Deps{Pipeline: fake, TwilioAuthToken: authToken, PublicURL: "https://rapport.example.org",
			Logger: slog.New(slog.DiscardHandler)})
		r := httptest.NewRequest(http.MethodPost, twilio.PathSMS+query, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		form, parseErr := url.ParseQuery(body)
		if sign && parseErr == nil {
			r.Header.Set(twilio.SignatureHeader, twilio.Signature(authToken, "https://rapport.example.org"+r.RequestURI, form))
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		signed := sign && parseErr == nil
		switch {
		case !signed && (w.Code != 403 && w.Code != 400):
			t.Fatalf("unsigned body answered %d", w.Code)
		case !signed && fake.received() != 0:
			t.Fatalf("unsigned body reached the pipeline")
		case signed && w.Code != 200 && w.Code != 400:
			t.Fatalf("signed body answered %d", w.Code)
		case w.Code == 200 && fake.received() != 1:
			t.Fatalf("answered 200 but %d messages received", fake.received())
		case w.Code == 200:
			in := fake.inbound[0]
			if in.From != form.Get("From") || in.To != form.Get("To") || in.Body != form.Get("Body") {
				t.Fatalf("stored %+v from form %v", in, form)
			}
		}
	})
}

// FuzzUnsubscribeVerify: no string but a token the key signed verifies, and
// a verified token is exactly the token of the id it names.
func FuzzUnsubscribeVerify(f *testing.F) {
	u, err := webhook.NewUnsubscribe([]byte("0123456789abcdef"), "https://rapport.example.org")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(u.Token("019a0c3e-7d1c-7a4e-9d2e-5b8f1c2a3b4d"))
	f.Add("bWlk.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add(".")
	f.Fuzz(func(t *testing.T, token string) {
		id, ok := u.Verify(token)
		if ok && u.Token(id) != token {
			t.Fatalf("Verify(%q) accepted a token for %q whose token is %q", token, id, u.Token(id))
		}
	})
}
