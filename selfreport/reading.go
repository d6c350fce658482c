package selfreport

import (
	"math"
)

// Kind is what a reading measures.
type Kind string

const (
	BloodPressure Kind = "blood_pressure"
	Glucose       Kind = "glucose"
	Weight        Kind = "weight"
	HeartRate     Kind = "heart_rate"
)

// UCUM units of the readings, as FHIR Observations carry them.
const (
	UnitMmHg   = "mm[Hg]"
	UnitMgDL   = "mg/dL"
	UnitMmolL  = "mmol/L"
	UnitKg     = "kg"
	UnitLb     = "[lb_av]"
	UnitPerMin = "/min"
)

// mgPerMmol converts blood glucose: 1 mmol/L is 18.016 mg/dL (glucose's
// molar mass, 180.16 g/mol, over 10).
const mgPerMmol = 18.016

// Reading is a measurement a patient texted.
type Reading struct {
	Kind Kind
	// Systolic and Diastolic are in mm[Hg], for a blood pressure.
	Systolic, Diastolic int
	// Pulse is in beats per minute: given with a blood pressure ("142/90
	// p 72"), 0 when not, or the value of a heart rate reading.
	Pulse int
	// Value is a glucose in mg/dL or a weight in Unit.
	Value float64
	// Unit is the UCUM unit of Value (or of Systolic and Diastolic).
	Unit string
	// FromUnit is the unit the patient wrote when Value was converted to
	// Unit ("mmol/L" for a glucose stored in mg/dL), else "".
	FromUnit string
}

// span is a plausible range: values outside it are typos, not readings.
type span struct{ min, max float64 }

// plausible ranges by field and unit: wide enough for any living patient,
// narrow enough to catch a doubled or dropped digit ("1420/90").
var plausible = map[string]span{
	"systolic":  {50, 300},
	"diastolic": {20, 200},
	"pulse":     {20, 250},
	"glucose":   {20, 800},  // mg/dL; meters read HI past 600
	"weight kg": {2, 400},   // kg
	"weight lb": {4.5, 880}, // lb
}

// check returns an [*ImplausibleError] when v is outside the field's range.
func check(field, key, unit string, v float64) error {
	s := plausible[key]
	if v < s.min || v > s.max || math.IsNaN(v) {
		return &ImplausibleError{Field: field, Value: v, Unit: unit, Min: s.min, Max: s.max}
	}
	return nil
}

// Validate checks a reading's values against the plausible ranges of its
// kind, and that a systolic pressure is above the diastolic. The error is
// an [*ImplausibleError] naming the field.
func (r Reading) Validate() error {
	switch r.Kind {
	case BloodPressure:
		if err := check("systolic", "systolic", UnitMmHg, float64(r.Systolic)); err != nil {
			return err
		}
		if err := check("diastolic", "diastolic", UnitMmHg, float64(r.Diastolic)); err != nil {
			return err
		}
		if r.Diastolic >= r.Systolic {
			// "90/142": the two numbers swapped, or one mistyped.
			return &ImplausibleError{Field: "diastolic", Value: float64(r.Diastolic), Unit: UnitMmHg,
				Min: plausible["diastolic"].min, Max: float64(r.Systolic - 1)}
		}
		if r.Pulse != 0 {
			return check("pulse", "pulse", UnitPerMin, float64(r.Pulse))
		}
	case HeartRate:
		return check("pulse", "pulse", UnitPerMin, float64(r.Pulse))
	case Glucose:
		return check("glucose", "glucose", UnitMgDL, r.Value)
	case Weight:
		if r.Unit == UnitKg {
			return check("weight", "weight kg", UnitKg, r.Value)
		}
		return check("weight", "weight lb", UnitLb, r.Value)
	}
	return nil
}
