package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

const inboundCols = "id, channel, from_addr, to_addr, body, provider_id, received_at, patient_id, in_reply_to, status, intent, choice"

// CreateInbound stores an inbound message. A second delivery of the same
// provider message (providers retry webhooks) is not stored again: created
// is false and in.ID is the stored message's id.
func (tx *Tx) CreateInbound(ctx context.Context, in *rapport.Inbound) (created bool, err error) {
	if in.ProviderID != "" {
		var id string
		err := tx.q.queryRow(ctx, queryInboundByProvider, string(in.Channel), in.ProviderID).Scan(&id)
		if err == nil {
			in.ID = id
			return false, nil
		} else if err != sql.ErrNoRows {
			return false, fmt.Errorf("create inbound: %w", err)
		}
	}
	if in.ID == "" {
		in.ID = newID()
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = tx.now
	}
	if in.Status == "" {
		in.Status = rapport.InboundReceived
	}
	if _, err := tx.q.exec(ctx, "INSERT INTO inbound_messages ("+inboundCols+") VALUES "+placeholders(1, 12),
		in.ID, string(in.Channel), in.From, in.To, in.Body, in.ProviderID, in.ReceivedAt.UTC(), string(in.PatientID), string(in.InReplyTo),
		string(in.Status), in.Intent, in.Choice); err != nil {
		return false, fmt.Errorf("create inbound: %w", err)
	}
	return true, nil
}

func scanInbound(rs row) (*rapport.Inbound, error) {
	var in rapport.Inbound
	var ch, status string
	if err := rs.Scan(&in.ID, &ch, &in.From, &in.To, &in.Body, &in.ProviderID, &in.ReceivedAt, &in.PatientID, &in.InReplyTo, &status, &in.Intent, &in.Choice); err != nil {
		return nil, fmt.Errorf("scan inbound: %w", err)
	}
	in.Channel, in.Status, in.ReceivedAt = rapport.Channel(ch), rapport.InboundStatus(status), in.ReceivedAt.UTC()
	return &in, nil
}

// FindInbound returns one inbound message.
func (tx *Tx) FindInbound(ctx context.Context, id string) (*rapport.Inbound, error) {
	in, err := scanInbound(tx.q.queryRow(ctx, "SELECT "+inboundCols+" FROM inbound_messages WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "inbound message %s not found", id)
	}
	return in, err
}

// FindPatientInbound returns what a patient sent, oldest first.
func (db *DB) FindPatientInbound(ctx context.Context, pid rapport.PatientID) ([]*rapport.Inbound, error) {
	rs, err := db.q.query(ctx, "SELECT "+inboundCols+" FROM inbound_messages WHERE patient_id = ? ORDER BY received_at, id", string(pid))
	if err != nil {
		return nil, fmt.Errorf("find inbound: %w", err)
	}
	defer rs.Close()
	var out []*rapport.Inbound
	for rs.Next() {
		in, err := scanInbound(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rs.Err()
}

// UpdateInbound records how an inbound message was processed.
func (tx *Tx) UpdateInbound(ctx context.Context, in *rapport.Inbound) error {
	if _, err := tx.q.exec(ctx, "UPDATE inbound_messages SET patient_id = ?, in_reply_to = ?, status = ?, intent = ?, choice = ? WHERE id = ?",
		string(in.PatientID), string(in.InReplyTo), string(in.Status), in.Intent, in.Choice, in.ID); err != nil {
		return fmt.Errorf("update inbound: %w", err)
	}
	return nil
}

// queryPendingInbound takes the IN list of sender addresses; it repeats
// the condition of the partial index inbound_pending_from, which holds only
// unprocessed messages.
const queryPendingInbound = "SELECT " + inboundCols + " FROM inbound_messages WHERE status = 'received' AND from_addr IN (%s)"

// FindPendingInboundFrom returns the inbound messages from the addresses
// that are stored but not yet processed, in no order: what the send
// worker must heed before its processing job runs (a STOP). Addresses are
// compared as stored, in the form the provider gave.
func (tx *Tx) FindPendingInboundFrom(ctx context.Context, addrs []string) ([]*rapport.Inbound, error) {
	var out []*rapport.Inbound
	const chunk = 500
	for start := 0; start < len(addrs); start += chunk {
		in, args := inClause(addrs[start:min(start+chunk, len(addrs))])
		rs, err := tx.q.query(ctx, fmt.Sprintf(queryPendingInbound, in), args...)
		if err != nil {
			return nil, fmt.Errorf("find pending inbound: %w", err)
		}
		for rs.Next() {
			m, err := scanInbound(rs)
			if err != nil {
				rs.Close()
				return nil, err
			}
			out = append(out, m)
		}
		err = rs.Err()
		rs.Close() // before the next query: SQLite may have one connection
		if err != nil {
			return nil, fmt.Errorf("find pending inbound: %w", err)
		}
	}
	return out, nil
}

// LastMessageTo returns the latest message that may have reached an
// address on a channel (the conversation a reply answers), or ENOTFOUND:
// one recorded sent or delivered, or one still queued whose time has come.
// A worker that dies after the provider took a message and before it
// recorded the send leaves the message queued until its send job is
// retried; the patient's answer to it, which may come first, must still
// find it (the retry then goes out under the same idempotency key, which
// the provider drops).
func (tx *Tx) LastMessageTo(ctx context.Context, ch rapport.Channel, to string) (*rapport.Message, error) {
	ms, err := findMessages(ctx, tx.q, whereLastMessageTo, string(ch), to, tx.now.UTC())
	if err != nil {
		return nil, err
	} else if len(ms) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no message sent to this address")
	}
	return ms[0], nil
}

// LastStepMessageTo returns the latest message of a step (a check-in)
// that may have reached an address on a channel since a time, or
// ENOTFOUND: the question an answer was meant for when a later message
// crossed it.
func (tx *Tx) LastStepMessageTo(ctx context.Context, ch rapport.Channel, to, step string, since time.Time) (*rapport.Message, error) {
	ms, err := findMessages(ctx, tx.q, whereLastStepMessageTo, string(ch), to, step, tx.now.UTC(), since.UTC())
	if err != nil {
		return nil, err
	} else if len(ms) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no %s message sent to this address since %v", step, since)
	}
	return ms[0], nil
}

// LastWaitedMessageTo returns the latest message sent to an address on a
// channel that a journey still waits for an answer to, or ENOTFOUND: where
// a reply from an address several records share belongs.
func (tx *Tx) LastWaitedMessageTo(ctx context.Context, ch rapport.Channel, to string) (*rapport.Message, error) {
	ms, err := findMessages(ctx, tx.q, whereLastWaitedMessageTo, string(ch), to, tx.now.UTC())
	if err != nil {
		return nil, err
	} else if len(ms) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no message to this address is waited for")
	}
	return ms[0], nil
}
