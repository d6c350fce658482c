package readings

import (
	"context"
	"errors"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// Replies takes a patient's reply, to any message of ours, that is a
// reading: it is recorded (see [Record]) and the patient told so. Any
// other reply — and a reading out of the plausible range, which staff
// read as it came — goes to Next.
type Replies struct {
	Pipeline *messaging.Pipeline
	// Next handles what is not a reading (the journeys).
	Next messaging.ReplyHandler
}

// HandleReply implements [messaging.ReplyHandler].
func (h Replies) HandleReply(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	r, err := selfreport.ParseReading(in.Body, to.Language)
	switch {
	case err == nil:
		return h.record(ctx, tx, in, to, r)
	case errors.Is(err, selfreport.ErrNotUnderstood), errors.Is(err, selfreport.ErrImplausible):
		if h.Next == nil {
			return false, nil
		}
		return h.Next.HandleReply(ctx, tx, in, to)
	}
	return false, fmt.Errorf("reading in reply %s: %w", in.ID, err)
}

func (h Replies) record(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message, r selfreport.Reading) (bool, error) {
	pid := in.PatientID
	if pid == "" {
		pid = to.PatientID
	}
	at := in.ReceivedAt
	if at.IsZero() {
		at = tx.Now()
	}
	rec, err := Record(ctx, tx, Report{PatientID: pid, Reading: r, At: at, Source: string(in.Channel), InboundID: in.ID})
	if err != nil {
		return false, fmt.Errorf("reading in reply %s: %w", in.ID, err)
	}
	// The patient just wrote: the answer goes now, quiet hours or not.
	_, err = h.Pipeline.SendMany(ctx, tx, []messaging.Request{{PatientID: pid, Purpose: rapport.PurposeCare, ContactID: to.ContactID,
		Channels: []rapport.Channel{in.Channel}, Content: confirmation(r, rec.Level, rec.Thresholds), PatientTimed: true, Step: confirmStep}})
	if err != nil {
		return false, fmt.Errorf("confirm reading in reply %s: %w", in.ID, err)
	}
	return true, nil
}

// HandleFallback implements [messaging.FallbackHandler] for the handler
// behind: a journey waiting for an answer to a failed text waits for the
// call that replaced it (a landline's keypad answer).
func (h Replies) HandleFallback(ctx context.Context, tx *store.Tx, failed, next *rapport.Message) error {
	if f, ok := h.Next.(messaging.FallbackHandler); ok {
		return f.HandleFallback(ctx, tx, failed, next)
	}
	return nil
}

var _ messaging.FallbackHandler = Replies{}
