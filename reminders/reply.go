package reminders

import (
	"context"
	"errors"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// Replies takes the patient's answers about their doses: LATER or a time
// to a reminder moves it (and rapport confirms the new time); "took it"
// to a reminder, or 1/2/3 to a check-in, is self-reported adherence in the
// ledger, and a skipped dose is asked why. Any other answer is left to the
// next handler (and so to the staff inbox).
type Replies struct {
	Pipeline *messaging.Pipeline
	// Next handles what is not a reminder's time change (the journeys).
	Next messaging.ReplyHandler
}

// HandleReply implements [messaging.ReplyHandler].
func (h Replies) HandleReply(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	var handled bool
	var err error
	switch to.Step {
	case Step:
		if handled, err = h.move(ctx, tx, in, to); !handled && err == nil {
			handled, err = h.answer(ctx, tx, in, to)
		}
		if !handled && err == nil {
			handled, err = h.crossed(ctx, tx, in, to)
		}
	case CheckinStep:
		handled, err = h.answer(ctx, tx, in, to)
	case skipStep:
		handled, err = h.why(ctx, tx, in, to)
	case RefillStep, refillFollowStep:
		handled, err = h.refill(ctx, tx, in, to)
	}
	if handled || err != nil {
		return handled, err
	}
	if h.Next == nil {
		return false, nil
	}
	return h.Next.HandleReply(ctx, tx, in, to)
}

func (h Replies) move(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	r, err := tx.FindRegimen(ctx, to.Vars["regimen"])
	if rapport.ErrorCode(err) == rapport.ENOTFOUND || (err == nil && r.Status != store.RegimenActive) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	sched, err := Schedule(r)
	if err != nil {
		return false, err
	}
	about, err := doseOf(to.Vars["dose"])
	if err != nil {
		return false, err
	}
	now := tx.Now()
	c, err := dosing.ParseTimeChange(in.Body, now, sched.Zone, about)
	if errors.Is(err, dosing.ErrNotTimeChange) || errors.Is(err, dosing.ErrBadTime) {
		return false, nil // not for us: staff read it
	}
	if err != nil {
		return false, fmt.Errorf("reply to reminder %s: %w", to.ID, err)
	}
	if c.Kind == dosing.ChangeMove && !sched.HasTime(c.Replaces) {
		return false, nil // the regimen changed since: staff sort it out
	}
	sched = dosing.ApplyChange(sched, c)
	if err := save(r, sched, now); err != nil {
		return false, err
	}
	if err := tx.UpdateRegimens(ctx, []*store.Regimen{r}); err != nil {
		return false, err
	}
	if err := tx.AppendEvents(ctx, regimenEvent(r, EventRegimenChanged, map[string]any{"by": "patient", "change": string(c.Kind),
		"from": c.Replaces.String(), "to": c.To.String(), "inbound": in.ID})); err != nil {
		return false, err
	}
	content := movedContent
	if c.Kind == dosing.ChangeSnooze {
		content = snoozedContent
	}
	// The patient just wrote: the answer goes now, quiet hours or not.
	_, err = h.Pipeline.SendMany(ctx, tx, []messaging.Request{{PatientID: to.PatientID, Purpose: rapport.PurposeCare, ContactID: to.ContactID,
		Channels: []rapport.Channel{in.Channel}, Content: content, PatientTimed: true, Step: confirmStep,
		Vars: map[string]string{"drug": to.Vars["drug"], "time": spoken(c.To, to.Language)}}})
	return err == nil, err
}

// spoken is a time of day as patients read it: "8:00 PM", "20:00".
func spoken(t dosing.TimeOfDay, lang string) string {
	if lang == "es" {
		return t.String()
	}
	h, suffix := t.Hour(), "AM"
	if h >= 12 {
		suffix = "PM"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	return fmt.Sprintf("%d:%02d %s", h, t.Minute(), suffix)
}

// HandleFallback implements [messaging.FallbackHandler] for the handler
// behind: a journey waiting for an answer to a failed text waits for the
// call that replaced it (a landline's keypad answer). A dose reminder's
// answer is found by its step, whatever the channel, and needs nothing.
func (h Replies) HandleFallback(ctx context.Context, tx *store.Tx, failed, next *rapport.Message) error {
	if f, ok := h.Next.(messaging.FallbackHandler); ok {
		return f.HandleFallback(ctx, tx, failed, next)
	}
	return nil
}

var _ messaging.FallbackHandler = Replies{}

// regimenOf finds the regimen a message of ours was about; nil without
// error when it is gone (the reply is then for staff).
func regimenOf(ctx context.Context, tx *store.Tx, to *rapport.Message) (*store.Regimen, error) {
	r, err := tx.FindRegimen(ctx, to.Vars["regimen"])
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil
	}
	return r, err
}
