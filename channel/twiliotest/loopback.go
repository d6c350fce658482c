package twiliotest

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// LoopbackOnly wraps next (http.DefaultTransport when nil) so that any
// request to a host other than a loopback address or localhost fails without
// touching the network. Tests use it so that none can reach the real Twilio.
func LoopbackOnly(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return loopbackOnly{next: next}
}

type loopbackOnly struct{ next http.RoundTripper }

func (l loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, fmt.Errorf("twiliotest: refused a request to %s: tests may reach loopback only", r.URL.Host)
	}
	return l.next.RoundTrip(r)
}

// sharedTransport pools connections for every client NewClient builds, with
// room for many requests in flight to one host (a benchmark's server).
var sharedTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 1024
	t.Proxy = nil // an HTTP_PROXY in the environment must not divert loopback tests
	return t
}()

// NewClient returns an HTTP client for tests: a shared, pooled transport
// behind [LoopbackOnly], with the given overall timeout (none when 0).
func NewClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: LoopbackOnly(sharedTransport)}
}
