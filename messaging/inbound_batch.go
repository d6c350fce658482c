package messaging

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// Work processes the job's inbound message together with the other
// pending ones, oldest first, up to InboundBatch in one transaction: a
// reply is one job but not one commit. Each message is processed as alone
// (in a savepoint), so one that fails undoes only its own work; it is left
// to its own job, retried with backoff, and so are the later messages
// from the same sender in the batch, which must not overtake it. The
// batch deletes the waiting jobs of the messages it processed. When the
// job's own message fails, the others are kept and the job fails.
//
// When older messages fill a batch without the job's own, the job takes
// the next batch in a new transaction, until its own is processed.
func (w *ProcessWorker) Work(ctx context.Context, job *river.Job[ProcessArgs]) error {
	for {
		var done bool
		var ownErr error
		err := w.p.DB.InTx(ctx, func(tx *store.Tx) error {
			var err error
			done, ownErr, err = w.p.processBatch(ctx, tx, job.Args.InboundID)
			return err
		})
		switch {
		case err != nil:
			return err
		case ownErr != nil:
			return ownErr
		case done:
			return nil
		}
	}
}

func (p *Pipeline) inboundBatch() int {
	if p.InboundBatch <= 0 {
		return DefaultInboundBatch
	}
	return p.InboundBatch
}

// processBatch processes a batch of pending messages in tx. done reports
// that the message id is processed (by this batch or an earlier one);
// ownErr is why it failed, when it did.
func (p *Pipeline) processBatch(ctx context.Context, tx *store.Tx, id string) (done bool, ownErr, err error) {
	own, err := tx.FindInbound(ctx, id)
	if err != nil {
		return false, nil, err
	}
	if own.Status != rapport.InboundReceived {
		return true, nil, nil // processed by an earlier attempt or batch
	}
	batch, err := tx.TakePendingInbound(ctx, p.inboundBatch())
	if err != nil {
		return false, nil, err
	}
	if len(batch) == 0 {
		// Another transaction holds every pending message (PostgreSQL):
		// wait for it and take this one alone if it is still pending.
		if batch, err = tx.TakeInbound(ctx, id); err != nil {
			return false, nil, err
		}
		done = len(batch) == 0
	}
	var jobs []int64
	failed := map[string]bool{} // senders with a failed message in the batch
	for _, m := range batch {
		isOwn := m.ID == id
		done = done || isOwn
		sender := string(m.Channel) + " " + m.From
		if failed[sender] && !isOwn {
			continue // after an earlier message that failed: its own job
		}
		if err := tx.Savepoint(ctx, func() error { return p.process(ctx, tx, m.Inbound) }); err != nil {
			if ctx.Err() != nil {
				return false, nil, err
			}
			failed[sender] = true
			if isOwn {
				ownErr = fmt.Errorf("process inbound %s: %w", m.ID, err)
			} else {
				p.logger().Warn("inbound message left to its own job", "inbound", m.ID, "err", err)
			}
			continue
		}
		if !isOwn && m.JobID != 0 {
			jobs = append(jobs, m.JobID)
		}
	}
	if _, err := p.Queue.DeleteWaitingTx(ctx, tx, ProcessArgs{}.Kind(), jobs); err != nil {
		return false, nil, err
	}
	return done, ownErr, nil
}
