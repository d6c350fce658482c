package messaging

import (
	"context"

	"github.com/rapporthq/rapport"
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
