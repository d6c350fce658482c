package rapport

import "time"

// Code is a coded concept: a system such as SNOMED CT, ICD-10 or RxNorm, a
// code in it, and its display text.
type Code struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// Ref points at a practitioner or location as the source system named it,
// before rapport resolves it to its own id: by the source's resource id, or
// by a business identifier (FHIR conditional references do that).
type Ref struct {
	// Source names the system whose resource ids ResourceID belongs to.
	Source string `json:"source,omitempty"`
	// ResourceID is the source's id of the resource ("Practitioner/123" → "123").
	ResourceID string `json:"resource_id,omitempty"`
	// Identifier names the resource by a business identifier instead.
	Identifier *Identifier `json:"identifier,omitempty"`
	// Display is the source's text for the referenced resource, if any.
	Display string `json:"display,omitempty"`
}

// IsZero reports whether the reference points at nothing.
func (r Ref) IsZero() bool { return r.ResourceID == "" && r.Identifier == nil }

// Condition is a diagnosis or problem of a patient.
type Condition struct {
	ID             string    `json:"id"`
	PatientID      PatientID `json:"patient_id"`
	Code           Code      `json:"code"`
	ClinicalStatus string    `json:"clinical_status,omitempty"`
	Onset          time.Time `json:"onset,omitzero"`
	Abatement      time.Time `json:"abatement,omitzero"`
}

// Encounter is a visit: its status and times, who saw the patient and where.
type Encounter struct {
	ID             string    `json:"id"`
	PatientID      PatientID `json:"patient_id"`
	Status         string    `json:"status"`
	Class          string    `json:"class,omitempty"`
	Type           Code      `json:"type"`
	Start          time.Time `json:"start,omitzero"`
	End            time.Time `json:"end,omitzero"`
	PractitionerID string    `json:"practitioner_id,omitempty"`
	LocationID     string    `json:"location_id,omitempty"`
	// Practitioner and Location keep the source's references until resolved.
	Practitioner Ref `json:"practitioner"`
	Location     Ref `json:"location"`
}

// Appointment is a booked visit.
type Appointment struct {
	ID             string    `json:"id"`
	PatientID      PatientID `json:"patient_id"`
	Status         string    `json:"status"`
	Description    string    `json:"description,omitempty"`
	ServiceType    Code      `json:"service_type"`
	Start          time.Time `json:"start,omitzero"`
	End            time.Time `json:"end,omitzero"`
	PractitionerID string    `json:"practitioner_id,omitempty"`
	LocationID     string    `json:"location_id,omitempty"`
	Practitioner   Ref       `json:"practitioner"`
	Location       Ref       `json:"location"`
}

// Dosage is when a medication is to be taken, in FHIR Timing terms:
// Frequency times per Period PeriodUnit (s, min, h, d, wk, mo, a).
type Dosage struct {
	Text       string  `json:"text,omitempty"`
	Frequency  int     `json:"frequency,omitempty"`
	Period     float64 `json:"period,omitempty"`
	PeriodUnit string  `json:"period_unit,omitempty"`
	AsNeeded   bool    `json:"as_needed,omitempty"`
	// TimesOfDay are "HH:MM" local times, when the prescriber named them.
	TimesOfDay []string `json:"times_of_day,omitempty"`
	DoseValue  float64  `json:"dose_value,omitempty"`
	DoseUnit   string   `json:"dose_unit,omitempty"`
}

// MedicationRequest is a prescription.
type MedicationRequest struct {
	ID             string    `json:"id"`
	PatientID      PatientID `json:"patient_id"`
	Status         string    `json:"status"`
	Intent         string    `json:"intent,omitempty"`
	Medication     Code      `json:"medication"`
	AuthoredOn     time.Time `json:"authored_on,omitzero"`
	Dosage         Dosage    `json:"dosage"`
	DaysSupply     int       `json:"days_supply,omitempty"`
	Quantity       float64   `json:"quantity,omitempty"`
	Refills        int       `json:"refills,omitempty"`
	PractitionerID string    `json:"practitioner_id,omitempty"`
	Practitioner   Ref       `json:"practitioner"`
}

// MedicationDispense is a fill of a prescription at a pharmacy.
type MedicationDispense struct {
	ID         string    `json:"id"`
	PatientID  PatientID `json:"patient_id"`
	RequestID  string    `json:"request_id,omitempty"`
	Request    Ref       `json:"request"`
	Status     string    `json:"status"`
	Medication Code      `json:"medication"`
	Quantity   float64   `json:"quantity,omitempty"`
	DaysSupply int       `json:"days_supply,omitempty"`
	Prepared   time.Time `json:"prepared,omitzero"`
	HandedOver time.Time `json:"handed_over,omitzero"`
}

// Practitioner is a clinician.
type Practitioner struct {
	ID          string       `json:"id"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Given       string       `json:"given,omitempty"`
	Family      string       `json:"family,omitempty"`
	Prefix      string       `json:"prefix,omitempty"`
	Phone       string       `json:"phone,omitempty"`
	Email       string       `json:"email,omitempty"`
}

// Location is a place where care is given.
type Location struct {
	ID          string       `json:"id"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Name        string       `json:"name"`
	Address     Address      `json:"address"`
	Phone       string       `json:"phone,omitempty"`
	Latitude    float64      `json:"latitude,omitempty"`
	Longitude   float64      `json:"longitude,omitempty"`
}
