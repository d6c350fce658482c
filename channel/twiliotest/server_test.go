package twiliotest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapporthq/rapport/channel/twilio"
)

// post sends a raw API request, the way any Twilio client would.
func post(t *testing.T, s *Server, path, user, pass, contentType string, f url.Values, header ...string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(f.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, pass)
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := NewClient(5 * time.Second).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	return resp.StatusCode, m
}

const (
	messagesPath = "/2010-04-01/Accounts/" + DefaultAccountSID + "/Messages.json"
	callsPath    = "/2010-04-01/Accounts/" + DefaultAccountSID + "/Calls.json"
	formType     = "application/x-www-form-urlencoded"
)

func TestMessageResourceShape(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 15, 4, 5, 0, time.UTC)
	s := NewServer(t, Options{NowFunc: func() time.Time { return now }})
	body := "Hola \"Ana\" <b> & 🙂\nbye\x01"
	status, m := post(t, s, messagesPath, DefaultAccountSID, DefaultAuthToken, formType,
		url.Values{"To": {"+15551230001"}, "From": {DefaultFrom}, "Body": {body}, "StatusCallback": {"https://r.example/s?mid=m-1"}},
		"I-Twilio-Idempotency-Token", "m-1")
	if status != http.StatusCreated {
		t.Fatalf("status %d: %v", status, m)
	}
	sid, _ := m["sid"].(string)
	want := map[string]any{
		"account_sid": DefaultAccountSID, "api_version": "2010-04-01", "body": body, "status": "queued",
		"num_segments": "1", "num_media": "0", "direction": "outbound-api", "error_code": nil,
		"to": "+15551230001", "from": DefaultFrom, "date_created": "Wed, 25 Nov 2026 15:04:05 +0000",
		"uri": "/2010-04-01/Accounts/" + DefaultAccountSID + "/Messages/" + sid + ".json",
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if len(sid) != 34 || !strings.HasPrefix(sid, "SM") {
		t.Errorf("sid %q is not SM + 32 characters", sid)
	}
	if _, err := time.Parse(time.RFC1123Z, m["date_updated"].(string)); err != nil {
		t.Errorf("date_updated: %v", err)
	}
	r, ok := s.Find(sid)
	if !ok || r.Body != body || r.MessageID != "m-1" || r.IdempotencyToken != "m-1" || !r.At.Equal(now) {
		t.Errorf("recorded %+v", r)
	}
}

func TestCallResourceShape(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{})
	status, m := post(t, s, callsPath, DefaultAccountSID, DefaultAuthToken, formType,
		url.Values{"To": {"+15551230001"}, "From": {DefaultFrom}, "Twiml": {"<Response><Say>hi</Say></Response>"}})
	sid, _ := m["sid"].(string)
	if status != http.StatusCreated || len(sid) != 34 || !strings.HasPrefix(sid, "CA") || m["status"] != "queued" ||
		m["uri"] != "/2010-04-01/Accounts/"+DefaultAccountSID+"/Calls/"+sid+".json" {
		t.Errorf("status %d, resource %v", status, m)
	}
}

func TestRequestChecks(t *testing.T) {
	t.Parallel()
	ok := url.Values{"To": {"+15551230001"}, "From": {DefaultFrom}, "Body": {"hi"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range ok {
			f[kk] = vv
		}
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	tests := []struct {
		name        string
		path        string
		pass        string
		contentType string
		form        url.Values
		wantStatus  int
		wantCode    float64
	}{
		{"accepted", messagesPath, DefaultAuthToken, formType, ok, 201, 0},
		{"charset in content type", messagesPath, DefaultAuthToken, formType + "; charset=utf-8", ok, 201, 0},
		{"wrong token", messagesPath, "nope", formType, ok, 401, 20003},
		{"other account", "/2010-04-01/Accounts/ACother/Messages.json", DefaultAuthToken, formType, ok, 404, 20404},
		{"json body", messagesPath, DefaultAuthToken, "application/json", ok, 400, 0},
		{"no To", messagesPath, DefaultAuthToken, formType, with("To", ""), 400, 21604},
		{"no From", messagesPath, DefaultAuthToken, formType, with("From", ""), 400, 21603},
		{"no Body", messagesPath, DefaultAuthToken, formType, with("Body", ""), 400, 21602},
		{"body over 1600", messagesPath, DefaultAuthToken, formType, with("Body", strings.Repeat("x", 1601)), 400, 21617},
		{"To not E.164", messagesPath, DefaultAuthToken, formType, with("To", "5551230001"), 400, 21211},
		{"bad callback", messagesPath, DefaultAuthToken, formType, with("StatusCallback", "/relative"), 400, 21609},
		{"magic invalid", messagesPath, DefaultAuthToken, formType, with("To", "+15005550001"), 400, 21211},
		{"magic unroutable", messagesPath, DefaultAuthToken, formType, with("To", "+15005550002"), 400, 21612},
		{"magic no permission", messagesPath, DefaultAuthToken, formType, with("To", "+15005550003"), 400, 21408},
		{"magic opted out", messagesPath, DefaultAuthToken, formType, with("To", "+15005550004"), 400, 21610},
		{"magic landline", messagesPath, DefaultAuthToken, formType, with("To", "+15005550009"), 400, 21614},
		{"call without TwiML", callsPath, DefaultAuthToken, formType, with("Body", ""), 400, 21205},
		{"call to a landline", callsPath, DefaultAuthToken, formType, with("Twiml", "<Response/>"), 201, 0},
		{"call to an invalid number", callsPath, DefaultAuthToken, formType, func() url.Values {
			f := with("To", "+15005550001")
			f.Set("Twiml", "<Response/>")
			return f
		}(), 400, 21217},
		{"unknown path", "/2010-04-01/Accounts/" + DefaultAccountSID + "/Foo.json", DefaultAuthToken, formType, ok, 404, 20404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := NewServer(t, Options{})
			status, m := post(t, s, tt.path, DefaultAccountSID, tt.pass, tt.contentType, tt.form)
			code, _ := m["code"].(float64)
			if status != tt.wantStatus || code != tt.wantCode {
				t.Errorf("status %d code %v, want %d %v: %v", status, code, tt.wantStatus, tt.wantCode, m)
			}
			if status >= 400 {
				if m["status"] != float64(status) || m["message"] == "" {
					t.Errorf("error body %v lacks status or message", m)
				}
				if code != 0 && m["more_info"] != fmt.Sprintf("https://www.twilio.com/docs/errors/%d", int(code)) {
					t.Errorf("more_info = %v", m["more_info"])
				}
				if s.Accepted() != 0 {
					t.Errorf("refused request was recorded")
				}
			}
		})
	}
}

func TestConcurrentRecordsAndDuplicates(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{})
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every fourth request repeats the token of the one before it.
			token := fmt.Sprintf("m-%d", i-boolInt(i%4 == 3))
			req, _ := http.NewRequest(http.MethodPost, s.URL()+messagesPath,
				strings.NewReader("To=%2B15551230001&From=%2B15005550006&Body=hi"))
			req.SetBasicAuth(DefaultAccountSID, DefaultAuthToken)
			req.Header.Set("Content-Type", formType)
			req.Header.Set("I-Twilio-Idempotency-Token", token)
			resp, err := NewClient(5 * time.Second).Do(req)
			if err != nil {
				t.Error(err) // not Fatal: this is not the test's goroutine
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	reqs := s.Requests()
	sids := map[string]bool{}
	dups := 0
	for _, r := range reqs {
		sids[r.SID] = true
		if r.Duplicate {
			dups++
		}
	}
	if len(reqs) != n || len(sids) != n || s.Accepted() != n {
		t.Errorf("%d requests, %d distinct SIDs, %d accepted; want %d", len(reqs), len(sids), s.Accepted(), n)
	}
	if s.Duplicates() != n/4 || dups != n/4 {
		t.Errorf("duplicates %d (flagged %d), want %d", s.Duplicates(), dups, n/4)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestFailRateIsSeeded(t *testing.T) {
	t.Parallel()
	pattern := func(seed uint64) string {
		s := NewServer(t, Options{Seed: seed})
		s.FailRate(0.3, Fault{Kind: FaultServerError})
		var b strings.Builder
		for range 40 {
			status, _ := post(t, s, messagesPath, DefaultAccountSID, DefaultAuthToken, formType,
				url.Values{"To": {"+15551230001"}, "From": {DefaultFrom}, "Body": {"hi"}})
			b.WriteString(map[bool]string{true: "x", false: "."}[status == 500])
		}
		if got := strings.Count(b.String(), "x"); got != s.Injected() || s.Accepted()+got != 40 {
			t.Errorf("injected %d, counted %d, accepted %d", s.Injected(), got, s.Accepted())
		}
		return b.String()
	}
	a, b, c := pattern(7), pattern(7), pattern(8)
	if a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == c || !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("fault pattern does not depend on the seed or is degenerate: %s %s", a, c)
	}
}

func TestHangEndsOnClose(t *testing.T) {
	t.Parallel()
	s, err := Start("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan struct{})
	s.onHang = func() { close(held) }
	s.FailNext(1, Fault{Kind: FaultHang})
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+messagesPath, strings.NewReader("To=%2B1"))
		req.SetBasicAuth(DefaultAccountSID, DefaultAuthToken)
		req.Header.Set("Content-Type", formType)
		resp, err := NewClient(0).Do(req) // no client timeout: only Close can end it
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-held
	s.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("hung request did not end when the server closed")
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "\x00\x1f\u2028<>&", "🙂 ñ", "\xff\xfe bad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("invalid JSON %q for %q: %v", b, s, err)
		}
		if utf8.ValidString(s) && got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
	})
}

// TestCallURLFetchesTwiml: a call made with Url gets its TwiML from that
// URL by a signed POST, and Press then posts to the <Gather> action in it.
func TestCallURLFetchesTwiml(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{})
	var mu sync.Mutex
	var got []url.Values
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if !twilio.ValidateSignature(DefaultAuthToken, "http://"+r.Host+r.URL.String(), r.PostForm, r.Header.Get(twilio.SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		mu.Lock()
		got = append(got, r.PostForm)
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<Response><Gather numDigits="1" action="http://%s/gather"><Say>Press 1 for yes.</Say></Gather></Response>`, r.Host)
	}))
	t.Cleanup(app.Close)
	code, m := post(t, s, "/2010-04-01/Accounts/"+DefaultAccountSID+"/Calls.json", DefaultAccountSID, DefaultAuthToken,
		"application/x-www-form-urlencoded", url.Values{"To": {"+15122345678"}, "From": {DefaultFrom}, "Url": {app.URL + "/twiml"}})
	if code != http.StatusCreated {
		t.Fatalf("Calls.json with Url: %d %v", code, m)
	}
	sid := m["sid"].(string)
	deadline := time.Now().Add(10 * time.Second)
	for r, _ := s.Find(sid); !strings.Contains(r.Twiml, "Press 1"); r, _ = s.Find(sid) {
		if time.Now().After(deadline) {
			t.Fatalf("the call's TwiML was not fetched: %+v", r)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := s.Press(context.Background(), sid, "1"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Get("CallSid") != sid || got[0].Get("CallStatus") != "in-progress" || got[1].Get("Digits") != "1" {
		t.Errorf("webhooks %v, want the TwiML fetch then the keys", got)
	}
}
