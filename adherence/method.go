package adherence

import "github.com/rapporthq/rapport"

// DefaultThreshold is PQA's adherence threshold for diabetes, RAS antagonist
// and statin classes: a PDC of 80% or more.
const DefaultThreshold = 0.80

// Method fixes how patients are measured: the period and the rules that vary
// between specifications. The zero values of the rules follow the current
// PQA specification.
type Method struct {
	Period Period
	// Threshold is the PDC at or above which a patient is adherent; 0 means
	// [DefaultThreshold]. PQA uses 0.90 for antiretrovirals.
	Threshold float64
	// MinTreatmentDays, when positive, excludes patients whose index date
	// leaves fewer days than this to the period's end. Older PQA
	// specifications asked for an index date at least 91 days before the
	// end; the current ones do not, so 0 turns the rule off.
	MinTreatmentDays int
}

// Validate returns an EINVALID error for a period that ends before it
// starts, a threshold outside [0, 1] or a negative MinTreatmentDays.
func (m Method) Validate() error {
	if err := m.Period.Validate(); err != nil {
		return err
	}
	if m.Threshold < 0 || m.Threshold > 1 {
		return rapport.Errorf(rapport.EINVALID, "method: threshold must be between 0 and 1")
	}
	if m.MinTreatmentDays < 0 {
		return rapport.Errorf(rapport.EINVALID, "method: min_treatment_days must not be negative")
	}
	return nil
}

func (m Method) threshold() float64 {
	if m.Threshold == 0 {
		return DefaultThreshold
	}
	return m.Threshold
}
