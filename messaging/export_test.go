package messaging

import (
	"context"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// ProcessInTx processes a stored inbound message inside tx, for tests that
// interleave two transactions.
func (p *Pipeline) ProcessInTx(ctx context.Context, tx *store.Tx, id string) error {
	in, err := tx.FindInbound(ctx, id)
	if err != nil || in.Status != rapport.InboundReceived {
		return err
	}
	return p.process(ctx, tx, in)
}
