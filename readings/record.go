package readings

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// Ledger event kinds of readings.
const (
	// EventReadingRecorded: a patient's reading was stored; its payload
	// names the panel, kind, level and inbound message, not the values.
	EventReadingRecorded rapport.EventKind = "reading.recorded"
	// EventThresholdsChanged: staff set a patient's thresholds.
	EventThresholdsChanged rapport.EventKind = "thresholds.changed"
)

// Report is a reading as it came: whose, when, by what way (sms, voice,
// email, api) and in which inbound message, if any.
type Report struct {
	PatientID rapport.PatientID
	Reading   selfreport.Reading
	At        time.Time
	Source    string
	InboundID string
}

// Recorded is what [Record] did: the reading's level by the patient's
// thresholds (given, with defaults filled in) and why, its panel id, and
// the inbox item an out-of-range reading made (nil for a normal one).
type Recorded struct {
	Level      selfreport.Level
	Why        string
	Thresholds selfreport.Thresholds
	Panel      string
	Item       *rapport.InboxItem
}

// Record grades a reading by the patient's thresholds, stores it as
// observations (one per LOINC value, sharing a panel), appends
// reading.recorded to the ledger, and puts a reading above normal in the
// care-team inbox, naming the patient's active regimens it concerns (see
// [Concerns]), with the highest priority they set (reading_priority) or
// else its level's; an urgent reading stays urgent.
func Record(ctx context.Context, tx *store.Tx, r Report) (Recorded, error) {
	t, err := Thresholds(ctx, tx, r.PatientID)
	if err != nil {
		return Recorded{}, err
	}
	level, why := selfreport.Evaluate(r.Reading, t)
	var os []*store.Observation
	for _, o := range r.Reading.Observations() {
		// A panel has no value of its own: its components are the rows.
		parts := o.Components
		if len(parts) == 0 {
			parts = []selfreport.Observation{o}
		}
		for _, c := range parts {
			os = append(os, &store.Observation{PatientID: r.PatientID, Code: c.Code, Value: c.Value, Unit: c.Unit, EffectiveAt: r.At,
				Source: r.Source, InboundID: r.InboundID, Level: string(level)})
		}
	}
	if len(os) == 0 {
		return Recorded{}, rapport.Errorf(rapport.EINVALID, "reading: kind %q has no observations", r.Reading.Kind)
	}
	// The first row's id names the panel the others share.
	if err := tx.CreateObservations(ctx, os[:1]); err != nil {
		return Recorded{}, err
	}
	for _, o := range os[1:] {
		o.Panel = os[0].Panel
	}
	if err := tx.CreateObservations(ctx, os[1:]); err != nil {
		return Recorded{}, err
	}
	out := Recorded{Level: level, Why: why, Thresholds: t, Panel: os[0].Panel}
	payload, _ := json.Marshal(map[string]string{"panel": out.Panel, "kind": string(r.Reading.Kind), "level": string(level),
		"source": r.Source, "inbound": r.InboundID})
	if err := tx.AppendEvents(ctx, rapport.Event{PatientID: r.PatientID, At: r.At, Kind: EventReadingRecorded, Payload: payload}); err != nil {
		return Recorded{}, err
	}
	if level.Priority() == "" {
		return out, nil // in range: no item, whatever a regimen says
	}
	regs, err := tx.PatientRegimens(ctx, r.PatientID)
	if err != nil {
		return Recorded{}, fmt.Errorf("reading of patient %s: %w", r.PatientID, err)
	}
	regs = concerned(r.Reading.Kind, regs)
	// Staff-facing and audited: the value is what they act on.
	out.Item = &rapport.InboxItem{PatientID: r.PatientID, Kind: rapport.InboxCareTask, Priority: priority(level, regs), InboundID: r.InboundID,
		Summary: summary(r.Reading, level, why, regs)}
	if err := tx.CreateInboxItem(ctx, out.Item); err != nil {
		return Recorded{}, err
	}
	return out, nil
}
