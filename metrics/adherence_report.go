package metrics

import "github.com/rapporthq/rapport/adherence"

// AdherenceDefinition is the sentence adherence reports open with: what
// PDC is, when a patient is adherent, and who is left out and why.
const AdherenceDefinition = "PDC (proportion of days covered, PQA's method) is the share of days, from a patient's first fill of a drug class in the period to the period's end, with a medicine of that class on hand; a patient is adherent at a PDC of 80% or more. " +
	"Patients with fills on fewer than two different dates in the period are excluded, not counted at 0%: PQA measures a treatment, and one trial fill is not one; as PQA specifies, insulin users are excluded from the diabetes measure and sacubitril/valsartan users from the RAS antagonists. " +
	"Hospital stays are not imported, so no inpatient days are left out. Drugs outside the three PQA classes are measured per drug with the same method; those are not PQA measures."

// Segments an adherence summary is broken down by.
const (
	SegmentRural       = "rural"
	SegmentUrban       = "urban"
	SegmentDecliner    = "decliner"     // declined an offer or never answered one
	SegmentNonDecliner = "non_decliner" // every other patient, outreach or not
)

// AdherenceReport is medication adherence over a period, per drug class.
type AdherenceReport struct {
	From       adherence.Date `json:"from"`
	To         adherence.Date `json:"to"`
	Definition string         `json:"definition"`
	// Patients counts those with a completed fill dated in the period.
	Patients int `json:"patients"`
	// Fills counts the completed fills dated in the period that were
	// measured; SkippedFills those without a usable days supply.
	Fills        int `json:"fills"`
	SkippedFills int `json:"skipped_fills"`
	// SelfReports counts the check-in answers (adherence.reported events)
	// in the period; 0 until check-ins run.
	SelfReports int `json:"self_reports"`
	// Classes are the PQA classes first (DR, RASA, STA), then other drugs.
	Classes []ClassAdherence `json:"classes"`
}

// ClassAdherence is one drug class's measure, overall and by segment.
type ClassAdherence struct {
	Class string `json:"class"`
	// Name is the class for people, or the drug's name for other drugs.
	Name string `json:"name"`
	// PQA reports a PQA measure (STA, RASA, DR); other drugs are not.
	PQA      bool                `json:"pqa"`
	Overall  adherence.Summary   `json:"overall"`
	Segments []adherence.Summary `json:"segments"`
}

// pqaNames names the PQA classes for people.
var pqaNames = map[string]string{
	adherence.ClassDiabetes: "Diabetes medications, all but insulin (PQA PDC-DR)",
	adherence.ClassRASA:     "RAS antagonists (PQA PDC-RASA)",
	adherence.ClassStatins:  "Statins (PQA PDC-STA)",
}
