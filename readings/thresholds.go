package readings

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// Thresholds returns a patient's thresholds as staff set them, zero
// fields (and a patient with none) taking [selfreport.DefaultThresholds].
func Thresholds(ctx context.Context, tx *store.Tx, pid rapport.PatientID) (selfreport.Thresholds, error) {
	raw, err := tx.PatientThresholds(ctx, pid)
	if err != nil || raw == nil {
		return selfreport.DefaultThresholds(), err
	}
	var t selfreport.Thresholds
	if err := json.Unmarshal(raw, &t); err != nil {
		return selfreport.Thresholds{}, fmt.Errorf("thresholds of patient %s: %w", pid, err)
	}
	return t.WithDefaults(), nil
}

// SetThresholds validates and stores a patient's thresholds (zero fields
// meaning the defaults) and appends thresholds.changed to the ledger. A
// bad limit is EINVALID naming the field.
func SetThresholds(ctx context.Context, tx *store.Tx, pid rapport.PatientID, t selfreport.Thresholds, by string) error {
	if err := t.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("thresholds of patient %s: %w", pid, err)
	}
	if err := tx.SetPatientThresholds(ctx, pid, raw, by); err != nil {
		return err
	}
	payload, _ := json.Marshal(map[string]any{"by": by, "thresholds": t})
	return tx.AppendEvents(ctx, rapport.Event{PatientID: pid, Kind: EventThresholdsChanged, Payload: payload})
}
