package selfreport

import (
	"fmt"

	"github.com/rapporthq/rapport"
)

// Level is how far a reading is from where the patient's care team wants it.
type Level string

const (
	LevelNormal Level = "normal"
	// LevelHigh goes to the care-team inbox.
	LevelHigh Level = "high"
	// LevelUrgent goes to the inbox at once: a hypertensive crisis, a
	// glucose dangerously low or high.
	LevelUrgent Level = "urgent"
)

// Priority is the inbox priority of a level: urgent and high as named, ""
// for a normal reading, which makes no inbox item.
func (l Level) Priority() rapport.Priority {
	switch l {
	case LevelUrgent:
		return rapport.PriorityUrgent
	case LevelHigh:
		return rapport.PriorityHigh
	}
	return ""
}

// Thresholds are a patient's limits for their readings. A zero field takes
// the default of [DefaultThresholds], so a regimen sets only what differs.
// Blood pressure limits are inclusive (≥), glucose limits exclusive. As
// JSON (a patient's stored thresholds, the API) the fields are snake_case.
type Thresholds struct {
	SystolicUrgent    int     `json:"systolic_urgent,omitempty"`     // mmHg: urgent at or above
	DiastolicUrgent   int     `json:"diastolic_urgent,omitempty"`    // mmHg: urgent at or above
	SystolicHigh      int     `json:"systolic_high,omitempty"`       // mmHg: high at or above
	DiastolicHigh     int     `json:"diastolic_high,omitempty"`      // mmHg: high at or above
	GlucoseLowUrgent  float64 `json:"glucose_low_urgent,omitempty"`  // mg/dL: urgent below
	GlucoseHighUrgent float64 `json:"glucose_high_urgent,omitempty"` // mg/dL: urgent above
	GlucoseHigh       float64 `json:"glucose_high,omitempty"`        // mg/dL: high above
}

// DefaultThresholds: blood pressure urgent at 180 systolic or 120 diastolic
// (a hypertensive crisis), high at 140/90; glucose urgent below 70 or
// above 300, high above 180.
func DefaultThresholds() Thresholds {
	return Thresholds{SystolicUrgent: 180, DiastolicUrgent: 120, SystolicHigh: 140, DiastolicHigh: 90,
		GlucoseLowUrgent: 70, GlucoseHighUrgent: 300, GlucoseHigh: 180}
}

// WithDefaults returns t with its zero fields set from [DefaultThresholds].
func (t Thresholds) WithDefaults() Thresholds {
	d := DefaultThresholds()
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setf := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	set(&t.SystolicUrgent, d.SystolicUrgent)
	set(&t.DiastolicUrgent, d.DiastolicUrgent)
	set(&t.SystolicHigh, d.SystolicHigh)
	set(&t.DiastolicHigh, d.DiastolicHigh)
	setf(&t.GlucoseLowUrgent, d.GlucoseLowUrgent)
	setf(&t.GlucoseHighUrgent, d.GlucoseHighUrgent)
	setf(&t.GlucoseHigh, d.GlucoseHigh)
	return t
}

// Validate checks thresholds with their defaults filled in: no negative
// limit, each high limit at or below its urgent one, and the low glucose
// limit below the high one. The error is EINVALID and names the field.
func (t Thresholds) Validate() error {
	f := t.WithDefaults()
	switch {
	case t.SystolicUrgent < 0, t.DiastolicUrgent < 0, t.SystolicHigh < 0, t.DiastolicHigh < 0,
		t.GlucoseLowUrgent < 0, t.GlucoseHighUrgent < 0, t.GlucoseHigh < 0:
		return rapport.Errorf(rapport.EINVALID, "thresholds: a limit is negative")
	case f.SystolicHigh > f.SystolicUrgent:
		return rapport.Errorf(rapport.EINVALID, "thresholds: systolic_high %d is above systolic_urgent %d", f.SystolicHigh, f.SystolicUrgent)
	case f.DiastolicHigh > f.DiastolicUrgent:
		return rapport.Errorf(rapport.EINVALID, "thresholds: diastolic_high %d is above diastolic_urgent %d", f.DiastolicHigh, f.DiastolicUrgent)
	case f.GlucoseHigh > f.GlucoseHighUrgent:
		return rapport.Errorf(rapport.EINVALID, "thresholds: glucose_high %g is above glucose_high_urgent %g", f.GlucoseHigh, f.GlucoseHighUrgent)
	case f.GlucoseLowUrgent >= f.GlucoseHigh:
		return rapport.Errorf(rapport.EINVALID, "thresholds: glucose_low_urgent %g is not below glucose_high %g", f.GlucoseLowUrgent, f.GlucoseHigh)
	}
	return nil
}

// Evaluate grades a reading against a patient's thresholds (zero fields
// taking the defaults) and says why in words for the care team, naming
// the limit crossed: "systolic ≥ 180". Weights and heart rates have no
// thresholds here and are normal; a weight's change over days needs the
// patient's history.
func Evaluate(r Reading, t Thresholds) (Level, string) {
	t = t.WithDefaults()
	switch r.Kind {
	case BloodPressure:
		switch {
		case r.Systolic >= t.SystolicUrgent:
			return LevelUrgent, fmt.Sprintf("systolic ≥ %d", t.SystolicUrgent)
		case r.Diastolic >= t.DiastolicUrgent:
			return LevelUrgent, fmt.Sprintf("diastolic ≥ %d", t.DiastolicUrgent)
		case r.Systolic >= t.SystolicHigh:
			return LevelHigh, fmt.Sprintf("systolic ≥ %d", t.SystolicHigh)
		case r.Diastolic >= t.DiastolicHigh:
			return LevelHigh, fmt.Sprintf("diastolic ≥ %d", t.DiastolicHigh)
		}
	case Glucose:
		switch {
		case r.Value < t.GlucoseLowUrgent:
			return LevelUrgent, fmt.Sprintf("glucose < %g mg/dL (low)", t.GlucoseLowUrgent)
		case r.Value > t.GlucoseHighUrgent:
			return LevelUrgent, fmt.Sprintf("glucose > %g mg/dL", t.GlucoseHighUrgent)
		case r.Value > t.GlucoseHigh:
			return LevelHigh, fmt.Sprintf("glucose > %g mg/dL", t.GlucoseHigh)
		}
	}
	return LevelNormal, ""
}
