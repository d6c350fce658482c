package population

import (
	"encoding/json"
	"time"
)

// TruthRecord is one line of truth.ndjson: a generated record and the facts
// behind it that the clinic's systems do not know. rapport never reads it;
// tests, benchmarks and the demo's simulator do.
type TruthRecord struct {
	RecordID string `json:"record_id"`
	CRMID    string `json:"crm_id"`
	MRN      string `json:"mrn"`
	PersonID string `json:"person_id"`
	// DuplicateOf is the record_id of the person's main record when this
	// record is a duplicate; empty otherwise.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// NameTypo and BirthDateTypo say the record's name or birth date differ
	// from the person's (duplicates only).
	NameTypo      bool `json:"name_typo,omitempty"`
	BirthDateTypo bool `json:"birth_date_typo,omitempty"`

	Given          string       `json:"given"`
	Family         string       `json:"family"`
	BirthDate      string       `json:"birth_date"`
	Sex            string       `json:"sex"`
	Age            int          `json:"age"`
	Language       string       `json:"language"`
	Rural          bool         `json:"rural"`
	Older          bool         `json:"older"`
	InternetAccess bool         `json:"internet_access"`
	Address        TruthAddress `json:"address"`
	// AddressStale says the record's address is one the person left.
	AddressStale bool `json:"address_stale"`

	Phones []TruthPhone `json:"phones"`
	// Email is nil when the record has no email.
	Email *TruthEmail `json:"email,omitempty"`

	Adherence  string   `json:"adherence"`
	Conditions []string `json:"conditions,omitempty"`
	Traits     Traits   `json:"traits"`
	// Prescriptions are the person's current prescriptions and where their
	// fills stand at the as-of date (main record only): the demo's
	// simulator continues the fills from there.
	Prescriptions []TruthPrescription `json:"prescriptions,omitempty"`
}

// TruthPrescription is a prescription of the export and its fill history,
// as far as the simulator needs it to draw the next fills.
type TruthPrescription struct {
	// RequestID is the MedicationRequest's id in the FHIR export.
	RequestID  string `json:"request_id"`
	RxNorm     string `json:"rxnorm"`
	Display    string `json:"display"`
	DaysSupply int    `json:"days_supply"`
	AsNeeded   bool   `json:"as_needed,omitempty"`
	// Quantity and Unit are one fill's amount, as the export's dispenses give it.
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	// Fills counts the fills before the as-of date; LastFill is the latest
	// (zero when none).
	Fills    int       `json:"fills"`
	LastFill time.Time `json:"last_fill"`
	// Stopped says the person gave the medicine up after the last fill.
	Stopped bool `json:"stopped,omitempty"`
}

// TruthAddress is where the person really lives.
type TruthAddress struct {
	Line     string `json:"line"`
	City     string `json:"city"`
	State    string `json:"state"`
	ZIP      string `json:"zip"`
	TimeZone string `json:"time_zone"`
}

// TruthPhone is a recorded phone and what it really is.
type TruthPhone struct {
	Raw         string `json:"raw"`
	RecordedUse string `json:"recorded_use"`
	Status      string `json:"status"`
	LineType    string `json:"line_type"`
	Actual      string `json:"actual"`
}

// TruthEmail is a recorded email and what it really is.
type TruthEmail struct {
	Raw         string `json:"raw"`
	Status      string `json:"status"`
	Deliverable bool   `json:"deliverable"`
	Intended    string `json:"intended"`
}

// Truth returns the truth of record k of p.
func (g *Generator) Truth(p *Person, k int) TruthRecord {
	rec := &p.Records[k]
	t := TruthRecord{
		RecordID: rec.ID, CRMID: rec.CRMID, MRN: rec.MRN, PersonID: p.ID, DuplicateOf: rec.DuplicateOf,
		NameTypo: rec.Given != p.Given || rec.Family != p.Family, BirthDateTypo: rec.BirthDate != p.BirthDate,
		Given: p.Given, Family: p.Family, BirthDate: p.BirthDate, Sex: p.Sex, Age: p.Age, Language: p.Language,
		Rural: p.Address.Rural, Older: p.Older(&g.p), InternetAccess: p.Internet,
		Address:      TruthAddress{Line: p.Address.Line, City: p.Address.City, State: p.Address.State, ZIP: p.Address.ZIP, TimeZone: p.Address.TimeZone},
		AddressStale: rec.AddressStale,
		Phones:       make([]TruthPhone, 0, len(rec.Phones)),
		Adherence:    p.Adherence, Traits: p.Traits,
	}
	for _, ph := range rec.Phones {
		t.Phones = append(t.Phones, TruthPhone{Raw: ph.Raw, RecordedUse: ph.Use, Status: ph.Status, LineType: ph.LineType, Actual: ph.Actual})
	}
	if e := rec.Email; e != nil {
		t.Email = &TruthEmail{Raw: e.Raw, Status: e.Status, Deliverable: e.Deliverable, Intended: e.Intended}
	}
	if k == 0 {
		for _, c := range p.Conditions {
			t.Conditions = append(t.Conditions, c.Params.Key)
		}
		for j := range p.Prescriptions {
			rx := &p.Prescriptions[j]
			q, unit := quantity(rx)
			tp := TruthPrescription{RequestID: requestID(rec, j), RxNorm: rx.Med.RxNorm, Display: rx.Med.Display, DaysSupply: rx.DaysSupply,
				AsNeeded: rx.Med.AsNeeded, Quantity: q, Unit: unit, Fills: len(rx.Fills), Stopped: rx.Stopped}
			if n := len(rx.Fills); n > 0 {
				tp.LastFill = rx.Fills[n-1]
			}
			t.Prescriptions = append(t.Prescriptions, tp)
		}
	}
	return t
}

func appendTruth(b []byte, t TruthRecord) ([]byte, error) {
	data, err := json.Marshal(t)
	if err != nil {
		return b, err
	}
	return append(b, data...), nil
}
