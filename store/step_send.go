package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
)

// StepSend is the one message a campaign step sent to an address on a
// channel (its key is [rapport.StepKey]).
type StepSend struct {
	Key       string
	MessageID rapport.MessageID
	PatientID rapport.PatientID
}

// FindStepSends returns which message holds each of keys, for those taken.
func (tx *Tx) FindStepSends(ctx context.Context, keys []string) (map[string]StepSend, error) {
	out := map[string]StepSend{}
	err := eachRowIn(ctx, tx.q, keys, "SELECT step_key, message_id, patient_id FROM step_sends WHERE step_key IN (%s)", func(rs rows) error {
		var s StepSend
		if err := rs.Scan(&s.Key, &s.MessageID, &s.PatientID); err != nil {
			return err
		}
		out[s.Key] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find step sends: %w", err)
	}
	return out, nil
}

// CreateStepSends takes the keys for their messages. A key another
// transaction took first fails the whole transaction (ECONFLICT): the
// caller's job retries and its planning then sees the key taken.
func (tx *Tx) CreateStepSends(ctx context.Context, ss []StepSend) error {
	if len(ss) == 0 {
		return nil
	}
	err := insertRows(ctx, tx.q, "INSERT INTO step_sends (step_key, message_id, patient_id, created_at) VALUES ", "", 4, len(ss), func(i int, a []any) []any {
		return append(a, ss[i].Key, string(ss[i].MessageID), string(ss[i].PatientID), same{tx.now})
	})
	if err != nil {
		return rapport.Errorf(rapport.ECONFLICT, "campaign step already sent to an address (%v)", err)
	}
	return nil
}

// mergeSettingsKey is the org_settings key of [rapport.MergeSettings].
const mergeSettingsKey = "merge"

// MergeSettings returns the organisation's automatic-merge setting: off
// unless it was turned on.
func (tx *Tx) MergeSettings(ctx context.Context) (rapport.MergeSettings, error) {
	var s rapport.MergeSettings
	var v string
	err := tx.q.queryRow(ctx, "SELECT value FROM org_settings WHERE key = ?", mergeSettingsKey).Scan(&v)
	if IsNotFound(err) {
		return s, nil
	} else if err != nil {
		return s, fmt.Errorf("merge settings: %w", err)
	}
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return s, fmt.Errorf("merge settings: %w", err)
	}
	return s, nil
}

// SetMergeSettings stores the organisation's automatic-merge setting.
func (tx *Tx) SetMergeSettings(ctx context.Context, s rapport.MergeSettings) error {
	if s.Threshold < 0 || s.Threshold > 1 {
		return rapport.Errorf(rapport.EINVALID, "merge settings: threshold %g is not between 0 and 1", s.Threshold)
	}
	if _, err := tx.q.exec(ctx, "INSERT INTO org_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		mergeSettingsKey, mustJSON(s)); err != nil {
		return fmt.Errorf("set merge settings: %w", err)
	}
	return nil
}
