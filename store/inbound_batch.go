package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// PendingInbound is an inbound message stored but not yet processed, with
// the id of the job Receive queued for it (0 when none was recorded).
type PendingInbound struct {
	*rapport.Inbound
	JobID int64
}

// SetInboundJob records the id of the job that will process an inbound
// message, so that a batch that processes it first can delete the job.
func (tx *Tx) SetInboundJob(ctx context.Context, id string, jobID int64) error {
	if _, err := tx.q.exec(ctx, "UPDATE inbound_messages SET job_id = ? WHERE id = ?", jobID, id); err != nil {
		return fmt.Errorf("set inbound job: %w", err)
	}
	return nil
}

// TakePendingInbound returns the oldest pending inbound messages, up to
// limit, ordered by receipt (then id). On PostgreSQL it locks them and
// skips those another transaction holds.
func (tx *Tx) TakePendingInbound(ctx context.Context, limit int) ([]PendingInbound, error) {
	var lock string
	if tx.forUpdate() != "" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rs, err := tx.q.query(ctx, "SELECT "+inboundCols+", job_id FROM inbound_messages WHERE status = 'received' ORDER BY received_at, id LIMIT ?"+lock, limit)
	if err != nil {
		return nil, fmt.Errorf("take pending inbound: %w", err)
	}
	return scanPending(rs)
}

// TakeInbound returns the inbound message when it is still pending, else
// nothing. On PostgreSQL it locks the row, waiting for a transaction that
// holds it.
func (tx *Tx) TakeInbound(ctx context.Context, id string) ([]PendingInbound, error) {
	rs, err := tx.q.query(ctx, "SELECT "+inboundCols+", job_id FROM inbound_messages WHERE id = ? AND status = 'received'"+tx.forUpdate(), id)
	if err != nil {
		return nil, fmt.Errorf("take inbound %s: %w", id, err)
	}
	return scanPending(rs)
}

func scanPending(rs rows) ([]PendingInbound, error) {
	defer rs.Close()
	var out []PendingInbound
	for rs.Next() {
		var in rapport.Inbound
		var ch, status string
		var job int64
		if err := rs.Scan(&in.ID, &ch, &in.From, &in.To, &in.Body, &in.ProviderID, &in.ReceivedAt, &in.PatientID, &in.InReplyTo,
			&status, &in.Intent, &in.Choice, &job); err != nil {
			return nil, fmt.Errorf("scan pending inbound: %w", err)
		}
		in.Channel, in.Status, in.ReceivedAt = rapport.Channel(ch), rapport.InboundStatus(status), in.ReceivedAt.UTC()
		out = append(out, PendingInbound{Inbound: &in, JobID: job})
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("take pending inbound: %w", err)
	}
	return out, nil
}

// Savepoint runs fn inside a savepoint of tx: when fn fails, what it wrote
// is undone and tx goes on as before (on PostgreSQL too, where a failed
// statement otherwise aborts the whole transaction). One transaction can
// so do many independent pieces of work and keep those that succeed.
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := tx.q.exec(ctx, "SAVEPOINT work"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rerr := tx.q.exec(ctx, "ROLLBACK TO SAVEPOINT work"); rerr != nil {
			return fmt.Errorf("%w (and rollback to savepoint: %v)", err, rerr)
		}
		if _, rerr := tx.q.exec(ctx, "RELEASE SAVEPOINT work"); rerr != nil {
			return fmt.Errorf("%w (and release savepoint: %v)", err, rerr)
		}
		return err
	}
	if _, err := tx.q.exec(ctx, "RELEASE SAVEPOINT work"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}
