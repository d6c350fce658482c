package twilio_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
)

// Many sends at once — more than a campaign's jobs ask for — reach Twilio
// over at most MaxConnsPerHost connections, at most that many requests at
// a time, and each is answered.
func TestSendsBoundedPerHost(t *testing.T) {
	var inFlight, peak, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(2 * time.Millisecond) // long enough for the senders to pile up
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"sid": "SM%032d", "status": "queued", "num_segments": "1"}`, n)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := twilio.New(twilio.Config{BaseURL: srv.URL, LookupURL: srv.URL, AccountSID: "AC" + strings.Repeat("0", 32),
		AuthToken: "token", From: "+15005550006"})
	if err != nil {
		t.Fatal(err)
	}
	const senders, each = 3 * twilio.MaxConnsPerHost, 4
	var wg sync.WaitGroup
	var sent atomic.Int64
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				_, err := c.Send(context.Background(), channel.Message{ID: fmt.Sprintf("m%d-%d", g, i), Channel: rapport.ChannelSMS,
					To: "+14155550100", Body: "hello"})
				if err != nil {
					t.Errorf("send %d-%d: %v", g, i, err)
					return
				}
				sent.Add(1)
			}
		}()
	}
	wg.Wait()
	if sent.Load() != senders*each {
		t.Fatalf("%d sent, want %d", sent.Load(), senders*each)
	}
	if p := peak.Load(); p > twilio.MaxConnsPerHost {
		t.Errorf("%d requests in flight at once, want at most %d", p, twilio.MaxConnsPerHost)
	}
	if n := conns.Load(); n > twilio.MaxConnsPerHost {
		t.Errorf("%d connections opened, want at most %d", n, twilio.MaxConnsPerHost)
	}
}
