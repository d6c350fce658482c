package reminders

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// Escalation by default: this many missed doses of one regimen within the
// window put an item in the care team's inbox, once per window. Each
// regimen may set its own (store.Regimen.EscalateMissed, EscalateWindow).
const (
	EscalateMissed = 3
	EscalateWindow = 7 * 24 * time.Hour
)

// EventAdherenceEscalated records that missed doses went to the care team:
// payload {"regimen", "drug", "missed"}.
const EventAdherenceEscalated rapport.EventKind = "adherence.escalated"

// escalate counts the regimen's missed doses in the window — doses whose
// latest answer is skipped or not yet — and tells the care team when they
// reach EscalateMissed, unless it was told within the window.
func escalate(ctx context.Context, tx *store.Tx, r *store.Regimen, inbound string) error {
	if r.EscalateMissed <= 0 {
		return nil
	}
	window := r.EscalateWindow
	if window <= 0 {
		window = EscalateWindow
	}
	since := tx.Now().Add(-window)
	evs, err := tx.PatientEvents(ctx, r.PatientID, since, rapport.EventAdherenceReported, EventAdherenceEscalated)
	if err != nil {
		return err
	}
	latest := map[string]string{} // dose → latest answer
	for _, ev := range evs {
		if ev.Kind == EventAdherenceEscalated {
			var p struct{ Regimen string }
			if json.Unmarshal(ev.Payload, &p) == nil && p.Regimen == r.ID {
				return nil // told already in this window
			}
			continue
		}
		var a rapport.AdherenceReported
		if json.Unmarshal(ev.Payload, &a) == nil && a.DrugCode == r.Drug.Code && a.DrugName == r.Drug.Display {
			latest[a.Dose] = a.Answer
		}
	}
	missed := 0
	for _, answer := range latest {
		if answer == "skipped" || answer == "not_yet" {
			missed++
		}
	}
	if missed < r.EscalateMissed {
		return nil
	}
	it := &rapport.InboxItem{PatientID: r.PatientID, Kind: rapport.InboxReply, Priority: rapport.PriorityHigh, InboundID: inbound,
		Summary: fmt.Sprintf("missed %d doses of %s in the last %d days (said in check-ins)", missed, drugName(r), int(window.Hours()/24))}
	if err := tx.CreateInboxItem(ctx, it); err != nil {
		return err
	}
	return tx.AppendEvents(ctx, regimenEvent(r, EventAdherenceEscalated, map[string]any{"missed": missed}))
}

// SetEscalation sets how many missed doses within how long go to the care
// team for regimen r (missed 0 turns it off) and stores it.
func SetEscalation(ctx context.Context, tx *store.Tx, r *store.Regimen, missed int, window time.Duration) error {
	if missed < 0 || missed > 30 {
		return rapport.Errorf(rapport.EINVALID, "escalate_after_missed: %d; want 0 (off) to 30", missed)
	}
	if window < 24*time.Hour || window > 90*24*time.Hour {
		return rapport.Errorf(rapport.EINVALID, "escalate_window_days: %d; want 1 to 90", int(window.Hours()/24))
	}
	r.EscalateMissed, r.EscalateWindow = missed, window
	return tx.UpdateRegimens(ctx, []*store.Regimen{r})
}
