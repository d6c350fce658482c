package twiliotest

import (
	mrand "math/rand/v2"
	"net/http"
)

// FaultKind is a way for the API to misbehave.
type FaultKind int

const (
	// FaultThrottle answers 429 with Twilio's error 20429 and Retry-After.
	FaultThrottle FaultKind = iota + 1
	// FaultUnavailable answers 503 with Retry-After.
	FaultUnavailable
	// FaultServerError answers 500.
	FaultServerError
	// FaultHang holds the request, unanswered and unrecorded, until the
	// client gives up or the server closes.
	FaultHang
	// FaultLostAnswer accepts and records the request, then hangs like
	// FaultHang ("accept then time out"): Twilio sent the message but the
	// client never hears so, and a blind retry is a duplicate.
	FaultLostAnswer
)

// Fault is what a faulty request gets.
type Fault struct {
	Kind FaultKind
	// RetryAfter is the Retry-After header of throttle and unavailable
	// answers, delay-seconds or an HTTP date; "1" when empty.
	RetryAfter string
}

type faultState struct {
	next     int
	nextF    Fault
	rate     float64
	rateF    Fault
	rng      *mrand.Rand
	injected int
}

// FailNext makes the next n requests fail with f, replacing any earlier
// FailNext that has not run out.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.next, s.faults.nextF = n, f
}

// FailRate makes each request fail with f with probability rate (0 turns it
// off), drawn from a generator seeded with Options.Seed.
func (s *Server) FailRate(rate float64, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rate, s.faults.rateF = rate, f
}

// Injected returns how many requests got a fault.
func (s *Server) Injected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.injected
}

// fault draws the fault for one request, if any.
func (s *Server) fault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := &s.faults
	switch {
	case fs.next > 0:
		fs.next--
		fs.injected++
		return fs.nextF, true
	case fs.rate > 0 && fs.rng.Float64() < fs.rate:
		fs.injected++
		return fs.rateF, true
	}
	return Fault{}, false
}

// serveFault answers a request with f; it reports false for FaultLostAnswer,
// whose request goes on to be accepted before hanging.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	retryAfter := f.RetryAfter
	if retryAfter == "" {
		retryAfter = "1"
	}
	switch f.Kind {
	case FaultThrottle:
		w.Header().Set("Retry-After", retryAfter)
		writeError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
	case FaultUnavailable:
		w.Header().Set("Retry-After", retryAfter)
		writeError(w, http.StatusServiceUnavailable, 20503, "Service Unavailable")
	case FaultServerError:
		writeError(w, http.StatusInternalServerError, 20500, "Internal Server Error")
	case FaultHang:
		s.hang(r)
	case FaultLostAnswer:
		return false
	}
	return true
}

// hang blocks until the client goes away or the server closes.
func (s *Server) hang(r *http.Request) {
	if s.onHang != nil {
		s.onHang()
	}
	select {
	case <-r.Context().Done():
	case <-s.closing:
	}
}
