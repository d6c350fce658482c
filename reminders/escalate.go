package reminders

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// Escalation: this many missed doses of one regimen within the window put
// an item in the care team's inbox, once per window.
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
	since := tx.Now().Add(-EscalateWindow)
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
	if missed < EscalateMissed {
		return nil
	}
	it := &rapport.InboxItem{PatientID: r.PatientID, Kind: rapport.InboxReply, Priority: rapport.PriorityHigh, InboundID: inbound,
		Summary: fmt.Sprintf("missed %d doses of %s in the last %d days (said in check-ins)", missed, drugName(r), int(EscalateWindow.Hours()/24))}
	if err := tx.CreateInboxItem(ctx, it); err != nil {
		return err
	}
	return tx.AppendEvents(ctx, regimenEvent(r, EventAdherenceEscalated, map[string]any{"missed": missed}))
}
