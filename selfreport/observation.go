package selfreport

import "github.com/rapporthq/rapport"

// LOINCSystem is the code system of the observations' codes.
const LOINCSystem = "http://loinc.org"

// LOINC codes of the readings.
var (
	LOINCBloodPressurePanel = rapport.Code{System: LOINCSystem, Code: "85354-9", Display: "Blood pressure panel with all children optional"}
	LOINCSystolic           = rapport.Code{System: LOINCSystem, Code: "8480-6", Display: "Systolic blood pressure"}
	LOINCDiastolic          = rapport.Code{System: LOINCSystem, Code: "8462-4", Display: "Diastolic blood pressure"}
	LOINCGlucose            = rapport.Code{System: LOINCSystem, Code: "2339-0", Display: "Glucose [Mass/volume] in Blood"}
	LOINCBodyWeight         = rapport.Code{System: LOINCSystem, Code: "29463-7", Display: "Body weight"}
	LOINCHeartRate          = rapport.Code{System: LOINCSystem, Code: "8867-4", Display: "Heart rate"}
)

// Code returns the LOINC code of a kind of reading: the blood pressure
// panel for a blood pressure.
func (k Kind) Code() rapport.Code {
	switch k {
	case BloodPressure:
		return LOINCBloodPressurePanel
	case Glucose:
		return LOINCGlucose
	case Weight:
		return LOINCBodyWeight
	case HeartRate:
		return LOINCHeartRate
	}
	return rapport.Code{}
}

// Observation is a reading in the shape of a FHIR Observation: a LOINC code
// with a quantity, or with components (a blood pressure's systolic and
// diastolic) and no quantity of its own.
type Observation struct {
	Code       rapport.Code
	Value      float64 // zero for a panel
	Unit       string  // UCUM; "" for a panel
	Components []Observation
}

// Observations returns what a reading stores: a blood pressure panel
// (85354-9) with systolic (8480-6) and diastolic (8462-4) components, and
// its pulse as a heart rate (8867-4) beside it when given; a glucose
// (2339-0) in mg/dL; a body weight (29463-7) in the unit the patient used;
// a heart rate.
func (r Reading) Observations() []Observation {
	switch r.Kind {
	case BloodPressure:
		out := []Observation{{Code: LOINCBloodPressurePanel, Components: []Observation{
			{Code: LOINCSystolic, Value: float64(r.Systolic), Unit: UnitMmHg},
			{Code: LOINCDiastolic, Value: float64(r.Diastolic), Unit: UnitMmHg},
		}}}
		if r.Pulse > 0 {
			out = append(out, Observation{Code: LOINCHeartRate, Value: float64(r.Pulse), Unit: UnitPerMin})
		}
		return out
	case HeartRate:
		return []Observation{{Code: LOINCHeartRate, Value: float64(r.Pulse), Unit: UnitPerMin}}
	case Glucose, Weight:
		return []Observation{{Code: r.Kind.Code(), Value: r.Value, Unit: r.Unit}}
	}
	return nil
}
