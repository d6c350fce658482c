package twiliotest

import (
	"net/url"
	"slices"
	"time"
)

// Kind says which API a recorded request used.
type Kind string

const (
	KindMessage Kind = "message"
	KindCall    Kind = "call"
)

// Request is one request the server accepted (answered 201).
type Request struct {
	Kind           Kind
	SID            string // the SM… or CA… SID the server gave it
	To, From       string
	Body           string // SMS only
	Twiml          string // calls only: inline, or fetched from URL
	URL            string // calls only: the Url parameter, whose TwiML the call runs
	Segments       int    // SMS only
	StatusCallback string
	// IdempotencyToken is the I-Twilio-Idempotency-Token header, if sent.
	IdempotencyToken string
	// MessageID is the mid query parameter of StatusCallback, if any.
	MessageID string
	// Duplicate is true when an earlier accepted request had the same
	// idempotency key (the token, or else the MessageID).
	Duplicate bool
	At        time.Time
}

// key is what duplicates are detected by.
func (r *Request) key() string {
	if r.IdempotencyToken != "" {
		return r.IdempotencyToken
	}
	return r.MessageID
}

// midOf returns the mid query parameter of a callback URL.
func midOf(callback string) string {
	if callback == "" {
		return ""
	}
	u, err := url.Parse(callback)
	if err != nil {
		return ""
	}
	return u.Query().Get("mid")
}

// record stores an accepted request and schedules its status callbacks.
func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := r.key(); k != "" {
		if _, ok := s.seen[k]; ok {
			r.Duplicate = true
			s.dups++
		} else {
			s.seen[k] = struct{}{}
		}
	}
	s.requests = append(s.requests, r)
	if r.StatusCallback != "" {
		s.pending = append(s.pending, pendingCallback{index: len(s.requests) - 1})
	}
	s.accepted.Add(1)
}

// setTwiml stores the TwiML fetched for the call sid.
func (s *Server) setTwiml(sid, twiml string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.requests) - 1; i >= 0; i-- {
		if s.requests[i].SID == sid {
			s.requests[i].Twiml = twiml
			return
		}
	}
}

// Requests returns a copy of every accepted request, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Accepted returns how many requests were accepted; it takes no lock.
func (s *Server) Accepted() int { return int(s.accepted.Load()) }

// Duplicates returns how many accepted requests repeated an earlier
// request's idempotency key.
func (s *Server) Duplicates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dups
}

// Find returns the accepted request with the given SID.
func (s *Server) Find(sid string) (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.requests) - 1; i >= 0; i-- {
		if s.requests[i].SID == sid {
			return s.requests[i], true
		}
	}
	return Request{}, false
}
