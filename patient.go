package rapport

import (
	"strings"
	"time"

	"github.com/rapporthq/rapport/internal/zones"
)

// PatientID identifies a patient inside rapport. It is not an MRN: outside
// identifiers live in [Identifier].
type PatientID string

// Sex is the administrative sex as recorded by the provider.
type Sex string

const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexOther   Sex = "other"
	SexUnknown Sex = "unknown"
)

// Identifier is a business identifier issued by some system: an MRN, a
// social security number, a driver's licence.
type Identifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
	// Type is a short code for what the identifier is (MR, SS, DL, …), when known.
	Type string `json:"type,omitempty"`
}

// Address is a postal address.
type Address struct {
	Lines      []string `json:"lines,omitempty"`
	City       string   `json:"city,omitempty"`
	District   string   `json:"district,omitempty"`
	State      string   `json:"state,omitempty"`
	PostalCode string   `json:"postal_code,omitempty"`
	Country    string   `json:"country,omitempty"`
	// Flags are what the address check found (a ZIP code of another
	// state); the address itself is kept as written, normalised only in
	// form. See verify.Address.
	Flags []ContactFlag `json:"flags,omitempty"`
}

// IsZero reports whether no part of the address is known.
func (a Address) IsZero() bool {
	return len(a.Lines) == 0 && a.City == "" && a.District == "" && a.State == "" && a.PostalCode == "" && a.Country == ""
}

// Patient is a person the provider cares for.
type Patient struct {
	ID          PatientID    `json:"id"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Given       string       `json:"given"`
	Family      string       `json:"family"`
	// BirthDate is a calendar date, YYYY-MM-DD; partial dates (YYYY, YYYY-MM) are kept as given.
	BirthDate string `json:"birth_date,omitempty"`
	Sex       Sex    `json:"sex,omitempty"`
	// Language is a BCP 47 tag such as "en" or "es"; empty when unknown.
	Language string `json:"language,omitempty"`
	// TimeZone is an IANA zone name such as "America/Chicago"; empty when unknown.
	TimeZone string  `json:"time_zone,omitempty"`
	Address  Address `json:"address"`
	// Rural is true when the patient lives in a rural area: as the source
	// record says when it says so (RuralStated), else derived from RUCA.
	Rural bool `json:"rural"`
	// RuralStated is true when the source record said whether the patient
	// is rural (a CSV column, rapport's FHIR extension): that statement
	// wins over the ZIP code's RUCA code.
	RuralStated bool `json:"rural_stated,omitempty"`
	// RUCA is the USDA Rural-Urban Commuting Area primary code of the
	// patient's US ZIP code, 1 (metropolitan core) to 10 (rural); 0 when
	// unknown (no ZIP, not US, or a ZIP the table does not list).
	RUCA int `json:"ruca"`
	// InternetAccess is nil when unknown.
	InternetAccess *bool `json:"internet_access,omitempty"`
	// Deceased patients are kept but never contacted.
	Deceased bool `json:"deceased,omitempty"`
	// PreferredChannel is the channel the patient asked to be reached on, if any.
	PreferredChannel Channel `json:"preferred_channel,omitempty"`

	Contacts []ContactPoint `json:"contacts,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Name returns the patient's display name.
func (p *Patient) Name() string { return strings.TrimSpace(p.Given + " " + p.Family) }

// Age returns the patient's age in whole years at t, and false when the birth
// date is unknown or not a full date.
func (p *Patient) Age(t time.Time) (int, bool) {
	b, err := time.Parse("2006-01-02", p.BirthDate)
	if err != nil {
		return 0, false
	}
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || (t.Month() == b.Month() && t.Day() < b.Day()) {
		age--
	}
	return age, true
}

// Validate checks what every stored patient must satisfy. A patient may
// have no name, identifier or contact point (a newborn, valid FHIR R4): the
// record it came from identifies it, and it simply cannot be contacted.
func (p *Patient) Validate() error {
	if p.BirthDate != "" && !validPartialDate(p.BirthDate) {
		return Errorf(EINVALID, "birth_date %q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", p.BirthDate)
	}
	switch p.Sex {
	case "", SexFemale, SexMale, SexOther, SexUnknown:
	default:
		return Errorf(EINVALID, "sex %q is not one of female, male, other, unknown", p.Sex)
	}
	if p.TimeZone != "" && !knownZone(p.TimeZone) {
		return Errorf(EINVALID, "time_zone %q is not an IANA time zone", p.TimeZone)
	}
	for i, id := range p.Identifiers {
		if id.Value == "" {
			return Errorf(EINVALID, "identifier %d has no value", i)
		}
	}
	for i := range p.Contacts {
		if err := p.Contacts[i].Validate(); err != nil {
			return Errorf(EINVALID, "contact %d: %s", i, ErrorMessage(err))
		}
	}
	return nil
}

func knownZone(name string) bool {
	_, err := zones.Load(name)
	return err == nil
}

func validPartialDate(s string) bool {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}

// PatientFilter selects patients. Zero fields do not filter.
type PatientFilter struct {
	ID         *PatientID
	Identifier *Identifier
	// Phone matches a contact point's normalised (E.164) value.
	Phone  string
	Offset int
	Limit  int
}
