package rapport

// EventAdherenceReported is a patient's answer to a "did you take it?"
// check-in, written by the check-in flow; metrics read it as the
// self-reported adherence. Its payload is an [AdherenceReported].
const EventAdherenceReported EventKind = "adherence.reported"

// AdherenceReported is the payload of an [EventAdherenceReported] event.
type AdherenceReported struct {
	// DrugSystem and DrugCode name the drug asked about, as its prescription
	// does (RxNorm: "http://www.nlm.nih.gov/research/umls/rxnorm", "314076");
	// DrugName is its display, for drugs without a code.
	DrugSystem string `json:"drug_system,omitempty"`
	DrugCode   string `json:"drug_code,omitempty"`
	DrugName   string `json:"drug_name,omitempty"`
	// Dose keys the scheduled dose the answer is about, such as
	// "2026-12-05@08:00" (package dosing's key): answers with the same key are one dose, and the
	// latest stands ("not yet", then "taken", is a dose taken).
	Dose string `json:"dose,omitempty"`
	// Answer is "taken", "not_yet" or "skipped".
	Answer string `json:"answer"`
	// SkipReason is why a dose was skipped, when the patient said
	// ("side_effects", "forgot", "ran_out", "cost", "other").
	SkipReason string `json:"skip_reason,omitempty"`
}
