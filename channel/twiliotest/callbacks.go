package twiliotest

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/rapporthq/rapport/channel/twilio"
)

// pendingCallback is an accepted request whose status callbacks are not all
// delivered; step is the next one to send.
type pendingCallback struct {
	index int
	step  int
}

// callbackStep is one status callback of a message or call.
type callbackStep struct {
	status string
	code   int
}

// steps are the callbacks Twilio would send for r: for a message "sent",
// then "delivered", or "undelivered" with the configured error code; for a
// call its final status ("completed" unless configured otherwise).
func (s *Server) steps(r *Request) []callbackStep {
	if r.Kind == KindCall {
		if st, ok := s.opts.CallOutcomes[r.To]; ok {
			return []callbackStep{{status: st}}
		}
		return []callbackStep{{status: "completed"}}
	}
	if code, ok := s.opts.Undeliverable[r.To]; ok {
		return []callbackStep{{status: "sent"}, {status: "undelivered", code: code}}
	}
	return []callbackStep{{status: "sent"}, {status: "delivered"}}
}

// DeliverStatus posts the pending status callbacks of every accepted request
// that named a StatusCallback, each signed with X-Twilio-Signature, and
// returns when all were answered. Callbacks answered with an error or not at
// all stay pending for the next call, as Twilio would retry them; the
// returned error says how many and why. The callbacks of one message are
// posted in order; different messages are posted concurrently.
func (s *Server) DeliverStatus(ctx context.Context) error {
	s.mu.Lock()
	work := s.pending
	s.pending = nil
	reqs := make([]Request, len(work))
	for i, p := range work {
		reqs[i] = s.requests[p.index]
	}
	s.mu.Unlock()

	var (
		mu     sync.Mutex
		failed []pendingCallback
		errs   []error
		wg     sync.WaitGroup
		next   = make(chan int)
	)
	for range s.opts.CallbackWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, r := work[i], &reqs[i]
				steps := s.steps(r)
				for ; p.step < len(steps); p.step++ {
					if err := s.postStatus(ctx, r, steps[p.step]); err != nil {
						mu.Lock()
						failed = append(failed, p)
						if len(errs) < 5 {
							errs = append(errs, err)
						}
						mu.Unlock()
						break
					}
				}
			}
		}()
	}
	for i := range work {
		next <- i
	}
	close(next)
	wg.Wait()

	if len(failed) == 0 {
		return nil
	}
	s.mu.Lock()
	s.pending = append(s.pending, failed...)
	s.mu.Unlock()
	return fmt.Errorf("twiliotest: %d status callbacks not delivered: %w", len(failed), errors.Join(errs...))
}

// Pending returns how many accepted requests still have status callbacks to
// deliver.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

func (s *Server) postStatus(ctx context.Context, r *Request, st callbackStep) error {
	f := url.Values{
		"AccountSid": {s.opts.AccountSID},
		"ApiVersion": {apiVersion},
		"From":       {r.From},
		"To":         {r.To},
	}
	if r.Kind == KindCall {
		f.Set("CallSid", r.SID)
		f.Set("CallStatus", st.status)
		f.Set("Direction", "outbound-api")
		f.Set("CallbackSource", "call-progress-events")
		f.Set("SequenceNumber", "0")
		if st.status == "completed" {
			f.Set("CallDuration", "12")
		}
	} else {
		f.Set("MessageSid", r.SID)
		f.Set("SmsSid", r.SID)
		f.Set("MessageStatus", st.status)
		f.Set("SmsStatus", st.status)
	}
	if st.code != 0 {
		f.Set("ErrorCode", strconv.Itoa(st.code))
	}
	_, err := s.post(ctx, r.StatusCallback, f, r.SID+"-"+st.status)
	if err != nil {
		return fmt.Errorf("status %s of %s: %w", st.status, r.SID, err)
	}
	return nil
}

// SendInbound posts an inbound SMS from a patient's number to our number, as
// Twilio does, to webhookURL (our /webhooks/twilio/sms), and returns the
// TwiML the webhook answered.
func (s *Server) SendInbound(ctx context.Context, webhookURL, from, to, body string) ([]byte, error) {
	sid := s.newSID("SM")
	f := url.Values{
		"AccountSid":    {s.opts.AccountSID},
		"ApiVersion":    {apiVersion},
		"MessageSid":    {sid},
		"SmsSid":        {sid},
		"SmsMessageSid": {sid},
		"SmsStatus":     {"received"},
		"From":          {from},
		"To":            {to},
		"Body":          {body},
		"NumMedia":      {"0"},
		"NumSegments":   {strconv.Itoa(twilio.Segments(body))},
	}
	return s.post(ctx, webhookURL, f, sid)
}

// Press posts the keys a patient pressed during the call callSID to the
// action URL of the call's <Gather>, and returns the TwiML the webhook
// answered. It fails if the call is unknown or its TwiML has no <Gather>.
func (s *Server) Press(ctx context.Context, callSID, digits string) ([]byte, error) {
	r, ok := s.Find(callSID)
	if !ok || r.Kind != KindCall {
		return nil, fmt.Errorf("twiliotest: no call %s", callSID)
	}
	var doc struct {
		Gather struct {
			Action string `xml:"action,attr"`
		} `xml:"Gather"`
	}
	if err := xml.Unmarshal([]byte(r.Twiml), &doc); err != nil {
		return nil, fmt.Errorf("twiliotest: call %s: TwiML: %w", callSID, err)
	}
	if doc.Gather.Action == "" {
		return nil, fmt.Errorf("twiliotest: call %s has no <Gather action>", callSID)
	}
	f := url.Values{
		"AccountSid":    {s.opts.AccountSID},
		"ApiVersion":    {apiVersion},
		"CallSid":       {callSID},
		"CallStatus":    {"in-progress"},
		"Direction":     {"outbound-api"},
		"Digits":        {digits},
		"FinishedOnKey": {""},
		"From":          {r.From},
		"To":            {r.To},
	}
	return s.post(ctx, doc.Gather.Action, f, callSID+"-gather-"+digits)
}

// fetchTwiml asks the Url of call r for its TwiML, as Twilio does when the
// call connects, and records the answer as the call's Twiml; a failed fetch
// leaves it empty, as the call would have failed.
func (s *Server) fetchTwiml(r Request) {
	f := url.Values{
		"AccountSid": {s.opts.AccountSID},
		"ApiVersion": {apiVersion},
		"CallSid":    {r.SID},
		"CallStatus": {"in-progress"},
		"Direction":  {"outbound-api"},
		"From":       {r.From},
		"To":         {r.To},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	if body, err := s.post(ctx, r.URL, f, r.SID+"-twiml"); err == nil {
		s.setTwiml(r.SID, string(body))
	}
}

// post sends a signed webhook and returns the answer's body.
func (s *Server) post(ctx context.Context, target string, f url.Values, token string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(f.Encode()))
	if err != nil {
		return nil, fmt.Errorf("twiliotest: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set(twilio.SignatureHeader, twilio.Signature(s.opts.AuthToken, target, f))
	req.Header.Set(twilio.IdempotencyHeader, token)
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("twiliotest: webhook: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("twiliotest: webhook answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return body, fmt.Errorf("twiliotest: webhook answered HTTP %d", resp.StatusCode)
	}
	return body, nil
}
