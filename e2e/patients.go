package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rapporthq/rapport/channel/twiliotest"
)

// Prompt is what an outbound message or call asks its patient, as a person
// reading it would tell: the first offer, the retry, "why not?", the
// re-offer a month later; PromptOther for everything that asks nothing
// (confirmations, answers to a reason).
type Prompt string

const (
	PromptOffer   Prompt = "offer"
	PromptRetry   Prompt = "retry"
	PromptWhy     Prompt = "why"
	PromptReoffer Prompt = "reoffer"
	PromptOther   Prompt = "other"
)

// Classifier tells which prompt a text is and in which language ("" for
// PromptOther when the language is unknown).
type Classifier func(text string) (Prompt, string)

// Person is one scripted patient at one phone number. Two patient records
// sharing a number are one Person: the one who holds the phone.
type Person struct {
	Phone string
	// Answers maps a prompt to what the person does: by SMS the text they
	// reply, on a call the keys they press (digits only). A missing prompt
	// is silence.
	Answers map[Prompt]string
	// Think is how long the person takes before answering a text.
	Think time.Duration
	// Landline is a phone that takes calls only: texts never reach the
	// person.
	Landline bool
}

// Contact is one accepted request the fake recorded for a number, with
// what the person made of it.
type Contact struct {
	Request twiliotest.Request
	Prompt  Prompt
	Lang    string
	// Answer is what the person replied or pressed; "" for silence.
	Answer string
	// AfterStop is true when the contact came after this number's STOP
	// (or PARAR) webhook was answered.
	AfterStop bool
}

// Crowd drives a [twiliotest.Server] as the scripted people at its numbers
// would: it posts every status callback promptly, and answers each message
// and call after the person's think time with a signed inbound SMS or
// keypad press. It is safe for concurrent use.
type Crowd struct {
	fake     *twiliotest.Server
	smsURL   string // our /webhooks/twilio/sms
	ourPhone string
	classify Classifier
	people   map[string]*Person

	mu       sync.Mutex
	contacts map[string][]Contact // by number
	stopped  map[string]time.Time // number → when its opt-out was sent
	errs     []error              // the first failed webhooks
	failed   int                  // how many webhooks failed (and were retried)
	seen     int                  // requests of the fake already looked at
	answers  []pendingAnswer
}

// pendingAnswer is an answer waiting for the person's think time.
type pendingAnswer struct {
	at    time.Time
	req   twiliotest.Request
	reply string
}

// NewCrowd returns a Crowd of people on fake; replies go to smsURL, as
// texts to ourPhone.
func NewCrowd(fake *twiliotest.Server, smsURL, ourPhone string, classify Classifier, people []*Person) *Crowd {
	c := &Crowd{fake: fake, smsURL: smsURL, ourPhone: ourPhone, classify: classify,
		people: map[string]*Person{}, contacts: map[string][]Contact{}, stopped: map[string]time.Time{}}
	for _, p := range people {
		c.people[p.Phone] = p
	}
	return c
}

// Run works until ctx ends, every tick: it reads what the fake accepted,
// answers what is due, and posts pending status callbacks (after keypad
// presses, as a call completes only after its <Gather>). Webhooks refused
// while rapport restarts stay pending and are tried again next tick.
func (c *Crowd) Run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		c.look()
		c.answerDue(ctx, KindCall)
		_ = c.fake.DeliverStatus(ctx)
		c.answerDue(ctx, KindMessage)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Kind is a recorded request's API, re-exported so scripts need not import
// twiliotest.
type Kind = twiliotest.Kind

// The kinds of request.
const (
	KindCall    = twiliotest.KindCall
	KindMessage = twiliotest.KindMessage
)

// look records the requests the fake accepted since the last tick and
// schedules the answers.
func (c *Crowd) look() {
	reqs := c.fake.Requests()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range reqs[c.seen:] {
		text := r.Body
		if r.Kind == KindCall {
			text = r.Twiml
		}
		prompt, lang := c.classify(text)
		ct := Contact{Request: r, Prompt: prompt, Lang: lang}
		if st, ok := c.stopped[r.To]; ok {
			ct.AfterStop = r.At.After(st)
		}
		p := c.people[r.To]
		if p != nil && !ct.AfterStop && !r.Duplicate && !(p.Landline && r.Kind == KindMessage) {
			ct.Answer = p.Answers[prompt]
			if r.Kind == KindCall && !isDigits(ct.Answer) {
				ct.Answer = "" // a call takes keys only
			}
			if ct.Answer != "" {
				// Keys are pressed during the call, before it completes;
				// a text is answered after some thought.
				at := time.Now()
				if r.Kind == KindMessage {
					at = at.Add(p.Think)
				}
				c.answers = append(c.answers, pendingAnswer{at: at, req: r, reply: ct.Answer})
			}
		}
		c.contacts[r.To] = append(c.contacts[r.To], ct)
	}
	c.seen = len(reqs)
}

// answerDue posts the due answers of kind, in order; one that fails (rapport
// restarting) is tried again next tick.
func (c *Crowd) answerDue(ctx context.Context, kind twiliotest.Kind) {
	now := time.Now()
	c.mu.Lock()
	var due []pendingAnswer
	keep := c.answers[:0]
	for _, a := range c.answers {
		if a.req.Kind == kind && !a.at.After(now) {
			due = append(due, a)
		} else {
			keep = append(keep, a)
		}
	}
	c.answers = keep
	c.mu.Unlock()
	for _, a := range due {
		// A reply counts from when the person sends it: rapport may answer
		// a STOP before the post returns here.
		sent := time.Now()
		var err error
		if kind == KindCall {
			_, err = c.fake.Press(ctx, a.req.SID, a.reply)
		} else {
			_, err = c.fake.SendInbound(ctx, c.smsURL, a.req.To, c.ourPhone, a.reply)
		}
		c.mu.Lock()
		switch {
		case err != nil && ctx.Err() == nil:
			a.at = time.Now()
			c.answers = append(c.answers, a)
			c.failed++
			if len(c.errs) < 3 {
				c.errs = append(c.errs, fmt.Errorf("answer %s to %s: %w", kind, a.req.SID, err))
			}
		case err == nil && IsOptOut(a.reply):
			if _, ok := c.stopped[a.req.To]; !ok {
				c.stopped[a.req.To] = sent
			}
		}
		c.mu.Unlock()
	}
}

// Contacts returns what reached number, in order of arrival.
func (c *Crowd) Contacts(number string) []Contact {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Contact(nil), c.contacts[number]...)
}

// Pending reports how many answers are still to be posted.
func (c *Crowd) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.answers)
}

// Err says how many answers failed to post (and were retried), with the
// first errors; nil if none failed.
func (c *Crowd) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed == 0 {
		return nil
	}
	return fmt.Errorf("%d answers retried, first: %w", c.failed, errors.Join(c.errs...))
}

// IsOptOut reports whether reply is a stop word the scripts use.
func IsOptOut(reply string) bool {
	switch strings.ToUpper(strings.TrimSpace(reply)) {
	case "STOP", "PARAR":
		return true
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
