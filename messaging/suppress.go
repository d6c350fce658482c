package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

// Suppress withdraws queued messages before they go (a cancelled
// campaign), with the reason, in the messages table and the ledger. Their
// send jobs find them no longer queued and skip them.
func (p *Pipeline) Suppress(ctx context.Context, tx *store.Tx, ms []*rapport.Message, reason string) error {
	var todo []*rapport.Message
	for _, m := range ms {
		if m.Status == rapport.MessageQueued {
			m.Status, m.StatusReason = rapport.MessageSuppressed, reason
			todo = append(todo, m)
		}
	}
	return p.settle(ctx, tx, todo)
}

// pendingOptOutHold is how long a message waits when an opt-out from its
// address is stored but not yet processed; processing usually takes
// seconds, and a message still held at its deadline fails.
const pendingOptOutHold = 15 * time.Second

// pendingOptOuts returns the addresses of the batch's queued messages from
// which an opt-out keyword was stored but not yet processed: its job has
// not run, so no consent records it yet, and a send now would overtake it
// (a STOP is for everyone who has the number). It asks the store once for
// the whole batch, and matches keywords as the inbound processor will.
// Compliance messages are not held: an opt-out's confirmation must go.
func (p *Pipeline) pendingOptOuts(ctx context.Context, tx *store.Tx, msgs []*rapport.Message) (map[string]bool, error) {
	if p.Keywords == nil {
		return nil, nil // the processor acts on no keyword either
	}
	seen := map[string]bool{}
	var addrs []string
	for _, m := range msgs {
		if m.Status == rapport.MessageQueued && !m.Compliance && m.To != "" && !seen[m.To] {
			seen[m.To] = true
			addrs = append(addrs, m.To)
		}
	}
	if len(addrs) == 0 {
		return nil, nil
	}
	ins, err := tx.FindPendingInboundFrom(ctx, addrs)
	if err != nil {
		return nil, fmt.Errorf("check pending opt-outs: %w", err)
	}
	out := map[string]bool{}
	for _, in := range ins {
		if p.isOptOut(in) {
			out[in.From] = true
		}
	}
	return out, nil
}

// isOptOut reports whether the inbound processor will take in as an
// opt-out keyword (see [Pipeline.keyword]).
func (p *Pipeline) isOptOut(in *rapport.Inbound) bool {
	kw, ok := p.matchKeyword(in)
	return ok && kw.Kind == rules.KeywordOptOut
}
