package messaging

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/store"
)

// DefaultSendTimeout bounds one provider request when Pipeline.SendTimeout
// is zero: under the unpaced send job's own timeout, so that a request
// that hangs is recorded as unknown before the job's time is up.
const DefaultSendTimeout = 10 * time.Second

// lookupSkew is how much earlier than a message's creation a lookup
// starts: the provider's clock may be behind rapport's.
const lookupSkew = 5 * time.Minute

func (p *Pipeline) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.Default()
	}
	return p.Logger
}

func (p *Pipeline) sendTimeout() time.Duration {
	if p.SendTimeout <= 0 {
		return DefaultSendTimeout
	}
	return p.SendTimeout
}

// reconciler returns the sender of m's channel when its provider can be
// asked whether it accepted a message.
func (p *Pipeline) reconciler(m *rapport.Message) (channel.Reconciler, bool) {
	s := p.Senders[m.Channel]
	if s == nil {
		return nil, false
	}
	r, ok := s.Sender.(channel.Reconciler)
	return r, ok
}

// reconcile asks the provider about messages whose send ended without an
// answer. One the provider has is recorded sent, with its provider id; one
// it has not is queued again and returned, to be claimed like any queued
// message. unresolved counts those the provider could not be asked about:
// they stay unknown for the job's retry, never sent blindly.
func (p *Pipeline) reconcile(ctx context.Context, ms []*rapport.Message) (again []rapport.MessageID, unresolved int, err error) {
	var found []outcome
	var missing []*rapport.Message
	for _, m := range ms {
		r, _ := p.reconciler(m)
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.sendTimeout())
		res, ok, lerr := r.Lookup(lctx, p.toChannel(m), m.CreatedAt.Add(-lookupSkew))
		cancel()
		switch {
		case lerr != nil:
			unresolved++
			p.logger().Warn("look up a message of unknown outcome", "message", m.ID, "channel", m.Channel, "err", lerr)
		case ok:
			found = append(found, outcome{m: m, res: res})
		default:
			missing = append(missing, m)
		}
	}
	if len(found) > 0 {
		if err := p.record(ctx, found); err != nil {
			return nil, 0, err
		}
	}
	if len(missing) == 0 {
		return nil, unresolved, nil
	}
	ups := make([]store.MessageUpdate, len(missing))
	for i, m := range missing {
		ups[i] = store.MessageUpdate{ID: m.ID, Status: rapport.MessageQueued, Reason: "not found at the provider after a send of unknown outcome"}
		again = append(again, m.ID)
	}
	err = p.DB.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateMessages(ctx, ups) })
	return again, unresolved, err
}

// isUnknown reports whether a send ended without the provider's answer.
func isUnknown(err error) bool {
	var ce *channel.Error
	return errors.As(err, &ce) && errors.Is(ce, channel.ErrUnknown)
}
