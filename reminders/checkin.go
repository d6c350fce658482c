package reminders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// Steps of the check-in: the question after a dose, and "why?" after a
// skipped one.
const (
	CheckinStep = "dose-checkin"
	skipStep    = "dose-skip-why"
)

// checkinChoices are the keypad answers of a check-in by voice.
var checkinChoices = map[string]string{"1": "yes", "2": "not yet", "3": "skipped"}

// checkin is the "did you take it?" question about dose d, asked
// r.CheckinAfter after it.
func checkin(r *store.Regimen, d dosing.Dose) messaging.Request {
	drug := drugName(r)
	part := partOfDay(d.Time)
	at := d.At.Add(r.CheckinAfter)
	return messaging.Request{PatientID: r.PatientID, Purpose: rapport.PurposeCare, Step: CheckinStep,
		Content: bilingual(func(lang string) string { return selfreport.CheckinPrompt(drug, lang, part) }),
		Choices: checkinChoices, Vars: map[string]string{"drug": drug, "regimen": r.ID, "dose": d.Key},
		NotBefore: at, Deadline: at.Add(Deadline), PatientTimed: d.PatientChosen}
}

// partOfDay names when a dose is taken, for the question's "this morning".
func partOfDay(t dosing.TimeOfDay) string {
	switch h := t.Hour(); {
	case h >= 4 && h < 11:
		return "morning"
	case h < 14 && h >= 11:
		return "midday"
	case h >= 14 && h < 18:
		return "afternoon"
	case h >= 18 && h < 22:
		return "evening"
	}
	return "night"
}

func drugName(r *store.Regimen) string {
	if r.Drug.Display != "" {
		return r.Drug.Display
	}
	return "medicine"
}

// answer takes a reply to a check-in (or a "took it" to a reminder):
// the answer goes to the ledger, and a skipped dose is asked why. It
// returns false for a reply that is no answer, for staff to read.
func (h Replies) answer(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	a, err := selfreport.ParseCheckin(in.Body, to.Language)
	if errors.Is(err, selfreport.ErrNotUnderstood) || (err == nil && to.Step == Step && a.Kind != selfreport.Taken) {
		return false, nil // to a reminder, only "took it" is an answer
	}
	if err != nil {
		return false, fmt.Errorf("reply to check-in %s: %w", to.ID, err)
	}
	r, err := regimenOf(ctx, tx, to)
	if r == nil || err != nil {
		return false, err
	}
	if err := report(ctx, tx, r, to, in, string(a.Kind), ""); err != nil {
		return false, err
	}
	if err := escalate(ctx, tx, r, in.ID); err != nil {
		return false, err
	}
	if a.Kind == selfreport.Skipped || a.Kind == selfreport.NotYet {
		if err := h.alertCaregivers(ctx, tx, r, to.Vars["dose"]); err != nil {
			return false, err
		}
	}
	if a.Kind != selfreport.Skipped {
		return true, nil
	}
	_, err = h.Pipeline.SendMany(ctx, tx, []messaging.Request{{PatientID: to.PatientID, Purpose: rapport.PurposeCare, ContactID: to.ContactID,
		Channels: []rapport.Channel{in.Channel}, Step: skipStep, PatientTimed: true, Choices: skipChoices(),
		Content: bilingual(selfreport.SkipPrompt),
		Vars:    map[string]string{"drug": to.Vars["drug"], "regimen": r.ID, "dose": to.Vars["dose"]}}})
	return err == nil, err
}

// why takes the answer to "why did you skip it?": side effects and a
// supply run out go to the care team's inbox.
func (h Replies) why(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	s, err := selfreport.ParseSkipReason(in.Body, to.Language)
	if errors.Is(err, selfreport.ErrNotUnderstood) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reply to skip question %s: %w", to.ID, err)
	}
	r, err := regimenOf(ctx, tx, to)
	if r == nil || err != nil {
		return false, err
	}
	if err := report(ctx, tx, r, to, in, string(selfreport.Skipped), string(s.Reason)); err != nil {
		return false, err
	}
	if inbox, priority := s.Inbox(); inbox {
		it := &rapport.InboxItem{PatientID: to.PatientID, Kind: rapport.InboxReply, Priority: priority, InboundID: in.ID,
			Summary: fmt.Sprintf("skipped a dose of %s: %s", drugName(r), reasonWords[s.Reason])}
		if err := tx.CreateInboxItem(ctx, it); err != nil {
			return false, err
		}
	}
	return true, nil
}

var reasonWords = map[selfreport.SkipReason]string{selfreport.SideEffects: "side effects", selfreport.RanOut: "ran out",
	selfreport.Cost: "cost", selfreport.Forgot: "forgot", selfreport.FeltBetter: "felt better", selfreport.OtherReason: "other reason"}

// skipChoices are the keypad answers to "why?", in the prompt's order.
func skipChoices() map[string]string {
	out := map[string]string{}
	for i, r := range selfreport.SkipReasons {
		out[fmt.Sprint(i+1)] = reasonWords[r]
	}
	return out
}

// report appends the patient's answer about a dose to the ledger, where
// the adherence report reads it.
func report(ctx context.Context, tx *store.Tx, r *store.Regimen, to *rapport.Message, in *rapport.Inbound, answer, reason string) error {
	p, err := json.Marshal(rapport.AdherenceReported{DrugSystem: r.Drug.System, DrugCode: r.Drug.Code, DrugName: r.Drug.Display,
		Dose: to.Vars["dose"], Answer: answer, SkipReason: reason})
	if err != nil {
		return err
	}
	return tx.AppendEvents(ctx, rapport.Event{PatientID: to.PatientID, Kind: rapport.EventAdherenceReported, Channel: in.Channel, Payload: p})
}

// checkinDue is when the check-in of a dose at at goes, zero if none.
func checkinDue(r *store.Regimen, at time.Time) time.Time {
	if r.CheckinAfter <= 0 || !r.RemindersRequested {
		return time.Time{}
	}
	return at.Add(r.CheckinAfter)
}

// crossedWithin is how far back an answer to a dose reminder looks for the
// check-in it was meant for.
const crossedWithin = 3 * time.Hour

// crossed takes a check-in answer (2, 3, "skipped") that reached a dose
// reminder: a check-in and the next dose's reminder sent minutes apart
// cross, and the patient's "3" answers the question they read, not the
// latest message. It goes to the latest check-in sent to the same address
// within [crossedWithin]; without one it is left to the next handler.
func (h Replies) crossed(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	a, err := selfreport.ParseCheckin(in.Body, to.Language)
	if err != nil || a.Kind == selfreport.Taken {
		return false, nil // not a check-in answer, or one the reminder took
	}
	q, err := tx.LastStepMessageTo(ctx, to.Channel, to.To, CheckinStep, tx.Now().Add(-crossedWithin))
	if rapport.ErrorCode(err) == rapport.ENOTFOUND || (err == nil && q.PatientID != to.PatientID) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return h.answer(ctx, tx, in, q)
}
