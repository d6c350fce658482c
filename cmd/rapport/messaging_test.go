package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/web/api"
)

// rosaPhone is a valid US mobile number (libphonenumber refuses 555 numbers).
const rosaPhone = "+15122345678"

// messagingEnv is an Env whose environment is vars: serve reads the
// Twilio settings and webhook secrets from it.
// serveUntilDone runs `rapport serve` with args until the test ends (cancel
// stops it, and it must exit 0) and waits until its output says ready.
func serveUntilDone(ctx context.Context, t *testing.T, cancel context.CancelFunc, vars map[string]string, ready string, args ...string) {
	t.Helper()
	var sout, serr syncBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, messagingEnv(vars, &sout, &serr), append([]string{"serve"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exit %d: %s", code, serr.String())
		}
	})
	waitUntil(t, "serve: "+ready, func() bool {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, serr.String())
		default:
		}
		return strings.Contains(sout.String(), ready)
	})
}

func messagingEnv(vars map[string]string, stdout, stderr io.Writer) *Env {
	return &Env{Stdout: stdout, Stderr: stderr, Getenv: func(k string) string { return vars[k] }, Clock: rapport.SystemClock{}}
}

// freeAddr returns a loopback address with a port free right now, so that
// --public-url can name the address serve will listen on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitUntil polls cond until it holds, failing after a generous bound.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not in time", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// call sends a JSON request with a bearer token and decodes the answer into out.
func call(t *testing.T, method, url, token string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, url, res.StatusCode, b, err)
		}
	}
	return res.StatusCode
}

// TestMessagingEndToEnd runs rapport serve against a local Twilio: a staff
// message goes out as an SMS, Twilio's signed status callback marks it
// delivered, and a STOP opts the patient out with exactly one confirmation.
func TestMessagingEndToEnd(t *testing.T) {
	t.Parallel()
	tw := twiliotest.NewServer(t, twiliotest.Options{})
	vars := map[string]string{
		twilio.EnvBaseURL: tw.URL(), twilio.EnvAccountSID: twiliotest.DefaultAccountSID,
		twilio.EnvAuthToken: twiliotest.DefaultAuthToken, twilio.EnvFrom: twiliotest.DefaultFrom,
		"RAPPORT_DB": "sqlite:" + filepath.Join(t.TempDir(), "r.db"),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var out, errs syncBuffer
	if code := Main(ctx, messagingEnv(vars, &out, &errs), []string{"token", "create", "--role", "staff", "--name", "front-desk"}); code != 0 {
		t.Fatalf("token create: %d %s", code, errs.String())
	}
	token := strings.TrimSpace(out.String())
	ndjson := filepath.Join(t.TempDir(), "Patient.ndjson")
	patient := `{"resourceType":"Patient","id":"rosa","identifier":[{"system":"urn:test:mrn","value":"MRN-7"}],` +
		`"name":[{"family":"Diaz","given":["Rosa"]}],"birthDate":"1961-04-02",` +
		`"telecom":[{"system":"phone","value":"` + rosaPhone + `","use":"mobile"}],"address":[{"state":"TX","country":"US"}]}`
	if err := os.WriteFile(ndjson, []byte(patient+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := Main(ctx, messagingEnv(vars, &out, &errs), []string{"import", "fhir", ndjson}); code != 0 {
		t.Fatalf("import: %d %s", code, errs.String())
	}

	addr := freeAddr(t)
	base := "http://" + addr
	serveUntilDone(ctx, t, cancel, vars, "listening on", "--addr", addr, "--public-url", base, "--quiet-hours", "00:00-24:00")

	var found struct {
		Entry []struct {
			Resource struct {
				ID string `json:"id"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if code := call(t, "GET", base+"/fhir/R4/Patient?identifier=urn:test:mrn|MRN-7", token, nil, &found); code != 200 || len(found.Entry) != 1 {
		t.Fatalf("find patient: %d %+v", code, found)
	}
	pid := found.Entry[0].Resource.ID

	var sent api.SendResponse
	if code := call(t, "POST", base+"/api/v1/messages", token, map[string]string{"patient_id": pid, "body": "Your results are ready.", "purpose": "care"}, &sent); code != 201 || sent.Status != rapport.MessageQueued {
		t.Fatalf("send: %d %+v", code, sent)
	}
	smsTo := func() []twiliotest.Request {
		var rs []twiliotest.Request
		for _, r := range tw.Requests() {
			if r.Kind == twiliotest.KindMessage && r.To == rosaPhone {
				rs = append(rs, r)
			}
		}
		return rs
	}
	conversation := func() api.Conversation {
		var c api.Conversation
		if code := call(t, "GET", base+"/api/v1/patients/"+pid+"/conversation", token, nil, &c); code != 200 {
			t.Fatalf("conversation: %d", code)
		}
		return c
	}
	status := func(id string) string {
		for _, m := range conversation().Messages {
			if m.ID == id {
				return m.Status
			}
		}
		return ""
	}
	waitUntil(t, "the SMS reaches Twilio", func() bool { return len(smsTo()) == 1 })
	if r := smsTo()[0]; r.MessageID != string(sent.ID) || r.Body != "Your results are ready." || !strings.HasPrefix(r.StatusCallback, base+twilio.PathStatus) {
		t.Fatalf("Twilio got %+v", r)
	}
	waitUntil(t, "the message recorded as sent", func() bool { return status(string(sent.ID)) == "sent" })
	if err := tw.DeliverStatus(ctx); err != nil {
		t.Fatalf("status callbacks: %v", err)
	}
	waitUntil(t, "the message delivered", func() bool { return status(string(sent.ID)) == "delivered" })

	// STOP: opted out, one confirmation; a second STOP sends nothing.
	processedIn := func(n int) func() bool {
		return func() bool {
			k := 0
			for _, m := range conversation().Messages {
				if m.Direction == "in" && m.Status == string(rapport.InboundProcessed) {
					k++
				}
			}
			return k == n
		}
	}
	for i := 1; i <= 2; i++ {
		if twiml, err := tw.SendInbound(ctx, base+twilio.PathSMS, rosaPhone, twiliotest.DefaultFrom, "STOP"); err != nil || !strings.Contains(string(twiml), "<Response/>") {
			t.Fatalf("STOP %d: %v %s", i, err, twiml)
		}
		waitUntil(t, "STOP processed", processedIn(i))
	}
	waitUntil(t, "the confirmation reaches Twilio", func() bool { return len(smsTo()) >= 2 })
	outbound := 0
	for _, m := range conversation().Messages {
		if m.Direction == "out" {
			outbound++
		}
	}
	if rs := smsTo(); len(rs) != 2 || outbound != 2 {
		t.Fatalf("after two STOPs: %d SMS at Twilio, %d outbound messages; want the message and one confirmation", len(rs), outbound)
	}
	var after api.SendResponse
	if code := call(t, "POST", base+"/api/v1/messages", token, map[string]string{"patient_id": pid, "body": "Are you there?", "purpose": "care", "channel": "sms"}, &after); code != 200 || after.Status != rapport.MessageSuppressed {
		t.Errorf("SMS after STOP: %d %+v, want 200 suppressed (STOP is per channel: a call may still go)", code, after)
	}
	// A forged webhook is refused.
	req, _ := http.NewRequest("POST", base+twilio.PathSMS, strings.NewReader("MessageSid=SMx&From=%2B15122345678&To=%2B15005550006&Body=START"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, "forged")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 403 {
		t.Errorf("forged webhook: %v %v, want 403", res, err)
	} else {
		res.Body.Close()
	}
}
