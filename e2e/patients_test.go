package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel/twiliotest"
)

// webhooks is a stand-in for rapport's webhook endpoints: it records what
// the Crowd posts.
type webhooks struct {
	mu       sync.Mutex
	inbound  []url.Values
	statuses []url.Values
}

func (w *webhooks) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, "/sms") {
		w.inbound = append(w.inbound, r.PostForm)
	} else {
		w.statuses = append(w.statuses, r.PostForm)
	}
	rw.Header().Set("Content-Type", "text/xml")
	_, _ = rw.Write([]byte("<Response/>"))
}

func (w *webhooks) counts() (inbound, statuses int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.inbound), len(w.statuses)
}

// sendSMS posts to the fake's Messages.json as rapport's Twilio client does.
func sendSMS(t *testing.T, fake *twiliotest.Server, to, body, callback string) {
	t.Helper()
	c := fake.Config()
	f := url.Values{"To": {to}, "From": {c.From}, "Body": {body}, "StatusCallback": {callback}}
	req, _ := http.NewRequest("POST", c.BaseURL+"/2010-04-01/Accounts/"+c.AccountSID+"/Messages.json", strings.NewReader(f.Encode()))
	req.SetBasicAuth(c.AccountSID, c.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("Messages.json answered %d", res.StatusCode)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 30s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCrowd checks the simulator alone: a person answers the prompt they
// are scripted for, a landline never answers a text, status callbacks are
// posted for every message, and what comes after an opt-out is marked.
func TestCrowd(t *testing.T) {
	t.Parallel()
	hooks := &webhooks{}
	us := httptest.NewServer(hooks)
	t.Cleanup(us.Close)
	fake := twiliotest.NewServer(t, twiliotest.Options{Undeliverable: map[string]int{"+15124000002": 30006}})
	const ana, landline = "+15124000001", "+15124000002"
	crowd := NewCrowd(fake, us.URL+"/sms", twiliotest.DefaultFrom, classify, []*Person{
		{Phone: ana, Answers: map[Prompt]string{PromptOffer: "STOP"}, Think: time.Millisecond},
		{Phone: landline, Answers: map[Prompt]string{PromptOffer: "1"}, Landline: true},
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); crowd.Run(ctx, 5*time.Millisecond) }()
	t.Cleanup(func() { cancel(); <-done })

	offer := "Hi Ana, Hillside can lend you a blood-pressure cuff that sends readings. Reply 1 for yes, 2 for no."
	sendSMS(t, fake, ana, offer, us.URL+"/status")
	sendSMS(t, fake, landline, offer, us.URL+"/status")
	waitFor(t, "the STOP and four status callbacks", func() bool { in, st := hooks.counts(); return in == 1 && st == 4 })
	hooks.mu.Lock()
	in := hooks.inbound[0]
	hooks.mu.Unlock()
	if in.Get("From") != ana || in.Get("Body") != "STOP" || in.Get("To") != twiliotest.DefaultFrom {
		t.Errorf("inbound %v, want STOP from %s", in, ana)
	}
	sendSMS(t, fake, ana, "You're unsubscribed. Reply START to resubscribe.", us.URL+"/status")
	waitFor(t, "the confirmation seen", func() bool { return len(crowd.Contacts(ana)) == 2 })
	cs := crowd.Contacts(ana)
	if cs[0].Prompt != PromptOffer || cs[0].Lang != "en" || cs[0].Answer != "STOP" || cs[0].AfterStop {
		t.Errorf("offer recorded as %+v", cs[0])
	}
	if cs[1].Prompt != PromptOther || !cs[1].AfterStop || cs[1].Answer != "" {
		t.Errorf("confirmation recorded as %+v", cs[1])
	}
	if lc := crowd.Contacts(landline); len(lc) != 1 || lc[0].Answer != "" {
		t.Errorf("landline: %+v, want one text left unanswered", lc)
	}
	if err := crowd.Err(); err != nil {
		t.Error(err)
	}
}
