package messaging

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/verify"
)

// SendArgs is the job that sends a batch of queued messages.
type SendArgs struct {
	IDs []rapport.MessageID `json:"ids"`
	// Channel is the channel of every message of the batch (empty in jobs
	// queued before it was recorded): it tells whether the batch is paced.
	Channel rapport.Channel `json:"channel,omitempty"`
}

// Kind is the job kind.
func (SendArgs) Kind() string { return "send_messages" }

// SendWorker works send jobs for a pipeline.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	p *Pipeline
}

// NewSendWorker returns the worker of p's send jobs.
func NewSendWorker(p *Pipeline) *SendWorker { return &SendWorker{p: p} }

// sendMaxAttempts is high on purpose: a message's deadline, not the count of
// attempts, decides when rapport gives up (backoff is capped at an hour, so
// a one-day deadline takes about 30 attempts).
const sendMaxAttempts = 200

// Timeout allows a paced batch to take its time: a batch of 100 at one
// message a second takes 100 seconds, more when other jobs reserved slots
// first. An unpaced batch gets little time, because the timeout is also how
// long a batch whose worker died waits to be rescued (River rescues a job
// only once both the queue's rescue-after and the job's timeout passed): a
// batch that runs out of time records what it sent and retries the rest.
func (w *SendWorker) Timeout(job *river.Job[SendArgs]) time.Duration {
	if s := w.p.Senders[job.Args.Channel]; s != nil && s.Rate == 0 {
		return unpacedTimeout
	}
	return pacedTimeout
}

const (
	pacedTimeout   = 30 * time.Minute
	unpacedTimeout = 15 * time.Second
	// recordTimeout bounds recording a batch's outcomes, which goes on
	// after the job's own time ran out: what was sent must be written.
	recordTimeout = 30 * time.Second
)

// outcome is what happened to one message in a send job.
type outcome struct {
	m   *rapport.Message
	res channel.Result
	err error
}

// Work sends the batch's messages that are still queued. Messages already
// sent by an earlier attempt are skipped, so a retry never resends them;
// after a crash only those in flight (sent, not yet recorded) go twice, with
// the same message id. A message whose send ended without the provider's
// answer is unknown, and is looked up at the provider before it may go
// again (see reconcile).
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	p := w.p
	todo, unsure, err := p.claim(ctx, job.Args.IDs)
	if err != nil {
		return err
	}
	unresolved := 0
	if len(unsure) > 0 {
		again, n, err := p.reconcile(ctx, unsure)
		if err != nil {
			return err
		}
		unresolved = n
		if len(again) > 0 {
			// Not at the provider: queued again, and judged afresh (a
			// STOP may have come meanwhile).
			more, _, err := p.claim(ctx, again)
			if err != nil {
				return err
			}
			todo = append(todo, more...)
		}
	}
	if len(todo) == 0 {
		return unresolvedError(unresolved)
	}
	slots, err := p.reserve(ctx, todo)
	if err != nil {
		return err
	}
	outs := p.sendAll(ctx, todo, slots)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := p.record(rctx, outs); err != nil {
		return err
	}
	if err := retryLater(outs); err != nil {
		return err
	}
	return unresolvedError(unresolved)
}

func unresolvedError(n int) error {
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d messages of unknown outcome could not be looked up at the provider; retrying with backoff", n)
}

// claim loads the batch and settles what must not be sent: messages no
// longer queued, past their deadline, or whose patient opted out since they
// were queued. Messages to an address whose opt-out is stored but not yet
// processed wait for it. It returns the messages to send now, and the
// unknown ones (see [rapport.MessageUnknown]) whose provider can be asked.
func (p *Pipeline) claim(ctx context.Context, ids []rapport.MessageID) (todo, unsure []*rapport.Message, err error) {
	err = p.DB.InTx(ctx, func(tx *store.Tx) error {
		todo, unsure = todo[:0], unsure[:0]
		msgs, err := tx.FindMessagesByID(ctx, ids)
		if err != nil {
			return err
		}
		pids := make([]rapport.PatientID, 0, len(msgs))
		for _, m := range msgs {
			pids = append(pids, m.PatientID)
		}
		merged, err := tx.MergedInto(ctx, pids)
		if err != nil {
			return err
		}
		consents, err := personConsents(ctx, tx, pids, merged)
		if err != nil {
			return err
		}
		otherStep, err := stepHeldByOther(ctx, tx, msgs)
		if err != nil {
			return err
		}
		addrs, err := tx.FindAddressConsents(ctx, queuedAddresses(msgs))
		if err != nil {
			return err
		}
		held, err := p.pendingOptOuts(ctx, tx, msgs)
		if err != nil {
			return err
		}
		zones, err := p.zones(ctx, tx, msgs)
		if err != nil {
			return err
		}
		cgs, err := proxyCaregivers(ctx, tx, msgs)
		if err != nil {
			return err
		}
		now := tx.Now()
		var done, later []*rapport.Message
		for _, m := range msgs {
			switch {
			case m.Status == rapport.MessageUnknown:
				if _, ok := p.reconciler(m); ok {
					unsure = append(unsure, m)
				}
			case m.Status != rapport.MessageQueued:
			case !now.Before(m.Deadline):
				m.Status, m.StatusReason = rapport.MessageFailed, "gave up: not sent by its deadline "+m.Deadline.Format(time.RFC3339)
				done = append(done, m)
			case m.CaregiverID != "" && !proxyAllowed(m, cgs, now):
				// The caregiver's consent, not the patient's: revoked or opted out since.
				m.Status, m.StatusReason = rapport.MessageSuppressed, proxyRefusal+" before sending"
				done = append(done, m)
			case m.CaregiverID == "" && !m.Compliance && !rapport.Allowed(consents[m.PatientID], m.Channel, m.Purpose):
				m.Status, m.StatusReason = rapport.MessageSuppressed, fmt.Sprintf("opted out of %s for %s before sending", m.Channel, m.Purpose)
				done = append(done, m)
			case !m.Compliance && !rapport.AddressAllowed(addrs[rapport.AddressKey(m.Channel, m.To)], m.Channel, m.Purpose):
				// The address opted out, whichever record the message is for.
				m.Status, m.StatusReason = rapport.MessageSuppressed, fmt.Sprintf("address opted out of %s for %s before sending", m.Channel, m.Purpose)
				done = append(done, m)
			case otherStep[m.ID]:
				// Another record's message took this campaign step for the address.
				m.Status, m.StatusReason = rapport.MessageSuppressed, rapport.DuplicateAddressReason
				done = append(done, m)
			case !m.Compliance && held[m.To]:
				// An opt-out from this address waits for its job. Held, not
				// suppressed: once it is processed the consent check above
				// decides, and a message it does not concern still goes.
				m.NotBefore = now.Add(pendingOptOutHold)
				later = append(later, m)
			case !m.SkipsQuietHours() && !p.Policy.Quiet.AllowedAll(now, zones[m.ID]):
				// A retry that comes back in quiet hours waits for morning.
				m.NotBefore = p.Policy.Quiet.NextAllowedAll(now, zones[m.ID])
				later = append(later, m)
			default:
				todo = append(todo, m)
			}
		}
		if err := p.defer_(ctx, tx, later); err != nil {
			return err
		}
		return p.settle(ctx, tx, done)
	})
	return todo, unsure, err
}

// queuedAddresses lists the addresses of the batch's queued messages, each
// once, in [rapport.AddressKey] form.
func queuedAddresses(msgs []*rapport.Message) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range msgs {
		if k := rapport.AddressKey(m.Channel, m.To); m.Status == rapport.MessageQueued && k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// zones finds the zones whose quiet hours each message keeps, as planning did.
func (p *Pipeline) zones(ctx context.Context, tx *store.Tx, msgs []*rapport.Message) (map[rapport.MessageID][]*time.Location, error) {
	pids := make([]rapport.PatientID, 0, len(msgs))
	for _, m := range msgs {
		pids = append(pids, m.PatientID)
	}
	byID, err := tx.PatientZones(ctx, pids)
	if err != nil {
		return nil, err
	}
	out := make(map[rapport.MessageID][]*time.Location, len(msgs))
	for _, m := range msgs {
		var tz, zip string
		if z, ok := byID[m.PatientID]; ok {
			tz, zip = z.TimeZone, z.PostalCode
		}
		var phoneZones []string
		if m.Channel == rapport.ChannelSMS || m.Channel == rapport.ChannelVoice {
			phoneZones = verify.TimeZonesForPhone(m.To)
		}
		if m.CaregiverID != "" {
			out[m.ID] = p.proxyZones(tz, zip, phoneZones)
			continue
		}
		out[m.ID] = rules.QuietZones(tz, phoneZones, zip, p.Policy.OrgTimeZone)
	}
	return out, nil
}

// defer_ moves messages to a later time with a send job of their own.
func (p *Pipeline) defer_(ctx context.Context, tx *store.Tx, ms []*rapport.Message) error {
	if len(ms) == 0 {
		return nil
	}
	ups := make([]store.MessageUpdate, len(ms))
	for i, m := range ms {
		ups[i] = store.MessageUpdate{ID: m.ID, Status: m.Status, NotBefore: m.NotBefore}
	}
	if err := tx.UpdateMessages(ctx, ups); err != nil {
		return err
	}
	return p.enqueue(ctx, tx, ms)
}

// settle records final statuses decided without sending.
func (p *Pipeline) settle(ctx context.Context, tx *store.Tx, ms []*rapport.Message) error {
	if len(ms) == 0 {
		return nil
	}
	ups := make([]store.MessageUpdate, len(ms))
	evs := make([]rapport.Event, len(ms))
	for i, m := range ms {
		ups[i] = store.MessageUpdate{ID: m.ID, Status: m.Status, Reason: m.StatusReason}
		evs[i] = messageEvent(m, "")
	}
	if err := tx.UpdateMessages(ctx, ups); err != nil {
		return err
	}
	return tx.AppendEvents(ctx, evs...)
}

// reserve takes pacing slots for the batch from the database, per sender,
// and returns each message's slot (zero for unpaced senders).
func (p *Pipeline) reserve(ctx context.Context, ms []*rapport.Message) ([]time.Time, error) {
	slots := make([]time.Time, len(ms))
	bySender := map[string][]int{}
	for i, m := range ms {
		if s := p.Senders[m.Channel]; s != nil && s.Rate > 0 {
			bySender[m.From] = append(bySender[m.From], i)
		}
	}
	for from, idx := range bySender {
		interval := time.Duration(float64(time.Second) / p.Senders[ms[idx[0]].Channel].Rate)
		err := p.DB.InTx(ctx, func(tx *store.Tx) error {
			start, err := tx.ReserveSlots(ctx, from, len(idx), interval, p.Clock.Now())
			for k, i := range idx {
				slots[i] = start.Add(time.Duration(k) * interval)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return slots, nil
}

// sendAll sends the messages, each no earlier than its slot, with at most
// Concurrency in flight.
func (p *Pipeline) sendAll(ctx context.Context, ms []*rapport.Message, slots []time.Time) []outcome {
	n := p.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	outs := make([]outcome, len(ms))
	// A few senders that take message after message, not a goroutine a
	// message: each new goroutine grew its stack through the HTTP client's
	// depth again (copying it twice or more), 2–3% of a campaign's CPU.
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(n, len(ms)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				outs[i] = p.sendOne(ctx, ms[i])
			}
		}()
	}
	for i, m := range ms {
		if err := p.waitUntil(ctx, slots[i]); err != nil {
			outs[i] = outcome{m: m, err: &channel.Error{Kind: channel.ErrRetryable, Msg: "stopped before sending"}}
			continue
		}
		work <- i // waits for a free sender: at most n in flight
	}
	close(work)
	wg.Wait()
	return outs
}

// sendOne hands one message to its channel. Its own deadline, detached from
// the job's: a job cancelled or out of time must not cut a request the
// provider may be accepting, which would leave its outcome unknown.
func (p *Pipeline) sendOne(ctx context.Context, m *rapport.Message) outcome {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.sendTimeout())
	defer cancel()
	res, err := p.Senders[m.Channel].Sender.Send(sctx, p.toChannel(m))
	return outcome{m: m, res: res, err: err}
}

// waitUntil blocks until the wall clock reaches t. Under a simulated clock
// pacing is bookkeeping only: nothing waits.
func (p *Pipeline) waitUntil(ctx context.Context, t time.Time) error {
	if t.IsZero() || p.Clock.NowOrNil() != nil {
		return ctx.Err()
	}
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Pipeline) toChannel(m *rapport.Message) channel.Message {
	cm := channel.Message{ID: string(m.ID), Channel: m.Channel, To: m.To, From: m.From, Language: m.Language,
		Body: m.Body, Subject: m.Subject, HTML: m.HTML, Choices: m.Choices}
	if m.Channel == rapport.ChannelEmail && p.UnsubscribeURL != nil {
		cm.UnsubscribeURL = p.UnsubscribeURL(m.ID)
		cm.Body, cm.HTML = withFooter(cm.Body, cm.HTML, m.Language, cm.UnsubscribeURL)
	}
	return cm
}

// retryLater turns temporary failures into the job's retry: a snooze for
// as long as the provider asked, else an error for River's backoff.
func retryLater(outs []outcome) error {
	var wait time.Duration
	n := 0
	for _, o := range outs {
		var ce *channel.Error
		if o.err != nil && errors.As(o.err, &ce) && errors.Is(ce, channel.ErrUnknown) {
			n++ // the retry looks it up at the provider, if it can be asked
		} else if o.err != nil && errors.As(o.err, &ce) && errors.Is(ce, channel.ErrRetryable) {
			n++
			wait = max(wait, ce.RetryAfter)
		} else if o.err != nil && !errors.As(o.err, &ce) {
			n++ // an unclassified error: try again
		}
	}
	switch {
	case n == 0:
		return nil
	case wait > 0:
		return river.JobSnooze(wait)
	}
	return fmt.Errorf("%d messages failed temporarily; retrying with backoff", n)
}
