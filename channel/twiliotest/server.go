package twiliotest

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel/twilio"
)

// Defaults for [Options].
const (
	DefaultAccountSID = "AC0123456789abcdef0123456789abcdef"
	DefaultAuthToken  = "twiliotest-auth-token"
	DefaultFrom       = "+15005550006" // Twilio's magic "valid sender" test number
)

// Options configures a [Server]. The zero value is usable.
type Options struct {
	AccountSID string // DefaultAccountSID when empty
	AuthToken  string // DefaultAuthToken when empty
	From       string // the sender [Server.Config] suggests; DefaultFrom when empty

	// NumberErrors maps a To number to the Twilio error code the API answers
	// with (21211 invalid, 21614 landline, 21610 opted out, …). It is added
	// to the magic test numbers. Codes 21614 and 21610 apply to SMS only;
	// calls to such numbers are accepted, as Twilio does.
	NumberErrors map[string]int
	// Undeliverable maps a To number to the delivery error code its status
	// callbacks report (30003, 30005, 30006, 30007, 30008…).
	Undeliverable map[string]int
	// CallOutcomes maps a To number to the final status of calls to it
	// (busy, no-answer, failed); "completed" otherwise.
	CallOutcomes map[string]string

	// Seed makes [Server.FailRate] reproducible.
	Seed uint64
	// CallbackClient posts webhooks. When nil, a loopback-only client with a
	// 10-second timeout is used.
	CallbackClient *http.Client
	// CallbackWorkers is how many webhooks DeliverStatus posts at once; 8
	// when zero.
	CallbackWorkers int
	// NowFunc reads the time for dates and records; time.Now when nil.
	NowFunc func() time.Time
}

// magicNumbers are the To numbers Twilio's test credentials answer with an
// error.
var magicNumbers = map[string]int{
	"+15005550001": 21211,
	"+15005550002": 21612,
	"+15005550003": 21408,
	"+15005550004": 21610,
	"+15005550009": 21614,
}

// Server is a local stand-in for api.twilio.com. It is safe for concurrent
// use.
type Server struct {
	opts     Options
	url      string
	closing  chan struct{}
	closeFn  func()
	once     sync.Once
	sidHigh  uint64
	seq      atomic.Uint64
	hc       *http.Client
	accepted atomic.Int64
	onHang   func() // test hook: called when a request starts hanging

	mu       sync.Mutex
	numbers  map[string]int
	requests []Request
	seen     map[string]struct{}
	dups     int
	pending  []pendingCallback
	faults   faultState
	// lineTypes and lookups are Lookup's set answers and request counts.
	lineTypes map[string]LineAnswer
	lookups   map[string]int
}

// NewServer starts a Server on a loopback port for the test tb and closes it
// when the test ends.
func NewServer(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := newServer(opts)
	hs := httptest.NewServer(s.handler())
	s.url = hs.URL
	s.closeFn = hs.Close
	tb.Cleanup(s.Close)
	return s
}

// Start runs a Server on addr (such as "127.0.0.1:0") outside of tests, for
// a benchmark process. Call Close to stop it.
func Start(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("twiliotest: listen on %s: %w", addr, err)
	}
	s := newServer(opts)
	hs := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			panic(fmt.Sprintf("twiliotest: serve: %v", err))
		}
	}()
	s.url = "http://" + ln.Addr().String()
	s.closeFn = func() { _ = hs.Close() }
	return s, nil
}

func newServer(opts Options) *Server {
	if opts.AccountSID == "" {
		opts.AccountSID = DefaultAccountSID
	}
	if opts.AuthToken == "" {
		opts.AuthToken = DefaultAuthToken
	}
	if opts.From == "" {
		opts.From = DefaultFrom
	}
	if opts.CallbackWorkers <= 0 {
		opts.CallbackWorkers = 8
	}
	if opts.NowFunc == nil {
		opts.NowFunc = time.Now
	}
	hc := opts.CallbackClient
	if hc == nil {
		hc = NewClient(10 * time.Second)
	}
	numbers := make(map[string]int, len(magicNumbers)+len(opts.NumberErrors))
	for n, c := range magicNumbers {
		numbers[n] = c
	}
	for n, c := range opts.NumberErrors {
		numbers[n] = c
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Server{
		opts:    opts,
		closing: make(chan struct{}),
		sidHigh: binary.BigEndian.Uint64(b[:]),
		hc:      hc,
		numbers: numbers,
		seen:    make(map[string]struct{}),
		faults:  faultState{rng: mrand.New(mrand.NewPCG(opts.Seed, math.MaxUint32))},
	}
}

// URL is the server's base URL, to use as Config.BaseURL.
func (s *Server) URL() string { return s.url }

// Config returns a twilio.Config pointed at this server, with its account,
// token and sender. The webhook URLs and HTTP client are left to the caller.
func (s *Server) Config() twilio.Config {
	return twilio.Config{
		BaseURL:    s.url,
		LookupURL:  s.url,
		AccountSID: s.opts.AccountSID,
		AuthToken:  s.opts.AuthToken,
		From:       s.opts.From,
	}
}

// SetNumberError makes the API answer code for requests to number; code 0
// removes the error.
func (s *Server) SetNumberError(number string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.numbers, number)
		return
	}
	s.numbers[number] = code
}

// Close stops the server. Requests held by a hang fault return first.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		s.closeFn()
	})
}

// newSID returns prefix followed by 32 hex digits: 34 characters, like
// Twilio's SIDs. The high half is random per server, the low half counts.
func (s *Server) newSID(prefix string) string {
	const hexdigits = "0123456789abcdef"
	var b [34]byte
	copy(b[:], prefix)
	hi, lo := s.sidHigh, s.seq.Add(1)
	for i := 15; i >= 0; i-- {
		b[2+i] = hexdigits[hi&0xf]
		hi >>= 4
		b[18+i] = hexdigits[lo&0xf]
		lo >>= 4
	}
	return string(b[:])
}
