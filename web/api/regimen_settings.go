package api

import (
	"context"
	"net/http"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// RegimenSettings is the body of PATCH /api/v1/regimens/{id}: the care
// team's rules for a regimen, changed after it was entered or imported.
// A field left out keeps its value.
type RegimenSettings struct {
	// EscalateAfterMissed missed doses within EscalateWindowDays go to the
	// inbox; 0 turns it off.
	EscalateAfterMissed *int `json:"escalate_after_missed"`
	EscalateWindowDays  int  `json:"escalate_window_days"`
	// AlertCaregivers texts consenting caregivers after a missed dose; it
	// needs check-ins.
	AlertCaregivers *bool `json:"alert_caregivers"`
	// ReadingPriority is the inbox priority of the patient's out-of-range
	// readings this regimen concerns: normal, high or urgent; "" takes
	// the reading's level. An urgent reading stays urgent.
	ReadingPriority *rapport.Priority `json:"reading_priority"`
}

// apply sets the rules s names on reg and stores them. On a regimen with
// no escalation, a window alone takes the default count.
func (s RegimenSettings) apply(ctx context.Context, tx *store.Tx, reg *store.Regimen) error {
	if s.EscalateAfterMissed != nil || s.EscalateWindowDays != 0 {
		missed, window := reg.EscalateMissed, reg.EscalateWindow
		if missed == 0 && s.EscalateAfterMissed == nil {
			missed = reminders.EscalateMissed
		}
		if window <= 0 {
			window = reminders.EscalateWindow
		}
		if s.EscalateAfterMissed != nil {
			missed = *s.EscalateAfterMissed
		}
		if s.EscalateWindowDays != 0 {
			window = time.Duration(s.EscalateWindowDays) * 24 * time.Hour
		}
		if err := reminders.SetEscalation(ctx, tx, reg, missed, window); err != nil {
			return err
		}
	}
	if s.AlertCaregivers != nil && *s.AlertCaregivers != reg.AlertCaregivers {
		if err := reminders.SetCaregiverAlerts(ctx, tx, reg, *s.AlertCaregivers); err != nil {
			return err
		}
	}
	if s.ReadingPriority != nil && *s.ReadingPriority != reg.ReadingPriority {
		return readings.SetPriority(ctx, tx, reg, *s.ReadingPriority)
	}
	return nil
}

// patchRegimen answers PATCH /api/v1/regimens/{id}: 200 with the regimen
// and its new rules, 404 for an unknown one, 400 naming the field at
// fault (nothing changes then). Audited.
func (a *api) patchRegimen(w http.ResponseWriter, r *http.Request) {
	var req RegimenSettings
	if !decode(w, r, &req) {
		return
	}
	a.changeRegimen(w, r, func(tx *store.Tx) (*store.Regimen, error) {
		reg, err := tx.FindRegimen(r.Context(), r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return reg, req.apply(r.Context(), tx, reg)
	})
}
