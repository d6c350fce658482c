// Package simulator is an in-process channel for tests and the demo: it
// takes messages like a provider would and lets simulated patients answer
// through the same inbound path as real ones.
package simulator

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

// BehaveFunc decides what happens to one message: the result the provider
// gives, or an error such as a bad address. Nil delivers everything.
type BehaveFunc func(m channel.Message) (channel.Result, error)

// Simulator is a channel.Sender for any channel. It is safe for concurrent use.
type Simulator struct {
	Behave BehaveFunc
	// Forget keeps no record of what was sent (Sent and Duplicates then
	// see nothing): a long simulation's history of every message grows
	// with its population, and nobody reads it.
	Forget bool

	mu   sync.Mutex
	sent []channel.Message
	seen map[string]int // message id → sends, to count duplicates
	n    atomic.Int64
}

// New returns a simulator that delivers everything unless told otherwise.
func New() *Simulator { return &Simulator{seen: map[string]int{}} }

// Send records m and answers as Behave says.
func (s *Simulator) Send(ctx context.Context, m channel.Message) (channel.Result, error) {
	if err := ctx.Err(); err != nil {
		return channel.Result{}, &channel.Error{Kind: channel.ErrRetryable, Msg: err.Error()}
	}
	if !s.Forget {
		s.mu.Lock()
		s.sent = append(s.sent, m)
		s.seen[m.ID]++
		s.mu.Unlock()
	}
	if s.Behave != nil {
		return s.Behave(m)
	}
	return channel.Result{ProviderID: fmt.Sprintf("SIM%08d", s.n.Add(1)), Status: string(rapport.MessageDelivered), Segments: 1}, nil
}

// Sent returns a copy of every message sent, in order.
func (s *Simulator) Sent() []channel.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]channel.Message(nil), s.sent...)
}

// Duplicates counts messages sent more than once (by message id).
func (s *Simulator) Duplicates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.seen {
		if c > 1 {
			n++
		}
	}
	return n
}

// Receiver takes an inbound message into rapport (the pipeline's Receive).
type Receiver interface {
	Receive(ctx context.Context, in *rapport.Inbound) (bool, error)
}

// Reply makes a simulated patient at from answer on ch, through the same
// inbound path a provider's webhook uses.
func Reply(ctx context.Context, r Receiver, ch rapport.Channel, from, to, body string) (*rapport.Inbound, error) {
	in := &rapport.Inbound{Channel: ch, From: from, To: to, Body: body}
	_, err := r.Receive(ctx, in)
	return in, err
}
