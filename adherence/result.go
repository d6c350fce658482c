package adherence

// Exclusion says why a patient has no PDC for a class. A patient left out of
// the measure is not a patient at 0%: summaries count them apart.
type Exclusion string

// Reasons a patient is left out of a class's measure.
const (
	// ExcludedNoFills: no fill of the class is dated within the period.
	ExcludedNoFills Exclusion = "no_fills"
	// ExcludedOneFillDate: fills on fewer than two different dates in the
	// period (PQA's denominator asks for two, so a single trial fill does
	// not make a non-adherent patient).
	ExcludedOneFillDate Exclusion = "one_fill_date"
	// ExcludedShortTreatment: the index date falls fewer than
	// [Method.MinTreatmentDays] days before the period ends.
	ExcludedShortTreatment Exclusion = "short_treatment"
	// ExcludedAllInpatient: every day from the index date on was spent in
	// hospital, leaving no day to measure.
	ExcludedAllInpatient Exclusion = "all_inpatient"
	// ExcludedInsulin: the patient had insulin in the period, which PQA's
	// diabetes measure leaves out (see [Excludes]).
	ExcludedInsulin Exclusion = "insulin"
	// ExcludedSacubitril: the patient had sacubitril/valsartan in the
	// period, which PQA's RAS antagonist measure leaves out.
	ExcludedSacubitril Exclusion = "sacubitril_valsartan"
)

// Result is one patient's measures for one drug class.
type Result struct {
	Class string `json:"class"`
	// Excluded is empty when the patient is measured, else the reason.
	Excluded Exclusion `json:"excluded,omitempty"`
	// IndexDate is the first fill of the class in the period (PQA's index
	// prescription start date); zero when there is none.
	IndexDate Date `json:"index_date"`
	// Days is the denominator: days from IndexDate to the period's end, both
	// included, less days in hospital.
	Days int `json:"days"`
	// Covered is the numerator: days in Days with the class's drug on hand.
	Covered int `json:"covered"`
	// Supplied is the days supply of the class's fills dated from IndexDate
	// to the period's end, whole, as dispensed (MPR's numerator).
	Supplied int `json:"supplied"`
	// PDC is Covered / Days, in [0, 1].
	PDC float64 `json:"pdc"`
	// MPR is Supplied / Days, capped at 1.
	MPR float64 `json:"mpr"`
	// Adherent reports PDC at or above the method's threshold.
	Adherent bool `json:"adherent"`
	// SelfReport is the check-in answers about the class's drugs, when the
	// caller attached them (see [AttachSelfReports]).
	SelfReport SelfReportRate `json:"self_report"`
}

// Measured reports whether the patient counts in the class's measure.
func (r Result) Measured() bool { return r.Excluded == "" }

// RawMPR returns Supplied / Days before the cap: above 1 when the patient
// holds more than the period needs (stockpiling, early refills).
func (r Result) RawMPR() float64 {
	if r.Days == 0 {
		return 0
	}
	return float64(r.Supplied) / float64(r.Days)
}

// Bucket returns the PDC decile 0..9: 0 for [0%, 10%), …, 9 for [90%, 100%].
// It is computed from the integer counts, so 70% falls in bucket 7 whatever
// the float rounding of 0.7.
func (r Result) Bucket() int {
	if r.Days == 0 {
		return 0
	}
	return min(r.Covered*10/r.Days, 9)
}
