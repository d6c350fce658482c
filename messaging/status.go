package messaging

import (
	"context"
	"errors"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/store"
)

// StatusReport is a provider's word on a message after it was sent: a
// delivery receipt, a failure, a bounce.
type StatusReport struct {
	// MessageID is rapport's id when the report carries it; else ProviderID finds it.
	MessageID  rapport.MessageID
	ProviderID string
	// Status is delivered, undelivered or failed; sent reports change nothing.
	Status rapport.MessageStatus
	// Err classifies a failure; its code is the evidence kept.
	Err *channel.Error
}

// HandleStatus applies a status report. Reports arrive late, twice or out of
// order, even before the send worker records "sent": a status only moves
// forward ([rapport.MessageStatus.MayBecome], which the store enforces as
// well), and a report for an unknown message is an ENOTFOUND error the
// webhook answers without retry.
func (p *Pipeline) HandleStatus(ctx context.Context, r StatusReport) error {
	return p.DB.InTx(ctx, func(tx *store.Tx) error {
		var m *rapport.Message
		var err error
		if r.MessageID != "" {
			m, err = tx.FindMessage(ctx, r.MessageID)
		} else {
			m, err = tx.FindMessageByProviderID(ctx, r.ProviderID)
		}
		if err != nil {
			return err
		}
		if !m.Status.MayBecome(r.Status) || (r.Status != rapport.MessageDelivered && r.Status != rapport.MessageUndelivered && r.Status != rapport.MessageFailed) {
			return nil
		}
		m.Status, m.StatusReason = r.Status, ""
		code := ""
		if r.Err != nil {
			m.StatusReason, code = sendFailure(r.Err), r.Err.Code
		}
		if err := tx.UpdateMessages(ctx, []store.MessageUpdate{{ID: m.ID, Status: m.Status, Reason: m.StatusReason}}); err != nil {
			return err
		}
		if err := tx.AppendEvents(ctx, messageEvent(m, code)); err != nil {
			return err
		}
		if r.Err != nil && (errors.Is(r.Err, channel.ErrBadAddress) || errors.Is(r.Err, channel.ErrRecipientOptedOut)) {
			return p.learn(ctx, tx, m, r.Err)
		}
		if softFailure(r) && m.ContactID != "" {
			if _, err := tx.RecordSoftFailure(ctx, m.ContactID, tx.Now(), p.Staleness); err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
				return err
			}
		}
		return nil
	})
}

// softFailure reports whether an undelivered report failed for a reason
// that may pass at the same address: a handset off or out of coverage, a
// carrier's passing error (retryable codes), a call busy or not answered
// (reported without a code). It counts toward staleness, not against the
// address at once.
func softFailure(r StatusReport) bool {
	return r.Status == rapport.MessageUndelivered && r.Err != nil &&
		(errors.Is(r.Err, channel.ErrRetryable) || (errors.Is(r.Err, channel.ErrPermanent) && r.Err.Code == ""))
}
