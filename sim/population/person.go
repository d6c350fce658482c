package population

import "time"

// Phone statuses of the truth file: what happens when the recorded number is
// tried.
const (
	PhoneOK           = "ok"           // reaches the person, on the line type recorded
	PhoneDisconnected = "disconnected" // well-formed, out of service
	PhoneReassigned   = "reassigned"   // well-formed, now someone else's
	PhoneLandline     = "landline"     // a landline recorded as a mobile: calls work, texts do not
	PhoneMalformed    = "malformed"    // not a number numbering plans accept
)

// Email statuses of the truth file.
const (
	EmailOK        = "ok"        // deliverable
	EmailTypo      = "typo"      // misspelt domain; Intended is what the person gave
	EmailAbandoned = "abandoned" // well-formed, but the mailbox is gone
)

// Preferred channels of [Traits].
const (
	ChannelSMS   = "sms"
	ChannelVoice = "voice"
	ChannelEmail = "email"
	ChannelWeb   = "web"
)

// Adherence classes.
const (
	Adherent    = "adherent"
	Partial     = "partial"
	NonAdherent = "non_adherent"
)

// Person is one generated person: who they really are (the ground truth)
// and the records the clinic's systems hold about them.
type Person struct {
	// Index is the person's position, 0 to n-1; ID is "person-" and Index+1.
	Index     int
	ID        string
	Sex       string // female or male
	Given     string
	Family    string
	BirthDate string // YYYY-MM-DD
	Age       int    // whole years at Params.AsOf
	Language  string // en or es
	Address   Address
	Internet  bool
	// Phones are the person's working lines, mobile first.
	Phones []Phone
	// Email is the person's working address, or "".
	Email     string
	Traits    Traits
	Adherence string

	// Records are what the clinic holds: the first is the person's main
	// record; a second, when present, is a duplicate.
	Records []Record

	// Clinical history, on the main record only; empty when generated for
	// patients only.
	Conditions    []Condition
	Encounters    []Encounter
	Prescriptions []Prescription
}

// Older reports whether the person is at least OlderAge.
func (p *Person) Older(params *Params) bool { return p.Age >= params.OlderAge }

// Address is a postal address and what follows from where it is.
type Address struct {
	Line     string
	City     string
	State    string
	ZIP      string
	TimeZone string
	Rural    bool
	// Area indexes Params.Areas.
	Area int
}

// Phone is a working line of the person.
type Phone struct {
	Number   phoneNumber
	LineType string // mobile or landline
}

// Traits are how the person behaves when contacted; the demo's simulator
// reads them from the truth file.
type Traits struct {
	// Responsiveness is the chance of answering a message at all.
	Responsiveness float64 `json:"responsiveness"`
	// PreferredChannel is sms, voice, email or web, among those the person
	// can use.
	PreferredChannel string `json:"preferred_channel"`
	// DeclinePropensity is the chance of declining an offer when answering.
	DeclinePropensity float64 `json:"decline_propensity"`
	// DeclineReason is the reason the person gives when declining.
	DeclineReason string `json:"decline_reason"`
	// SpontaneousEngagement is the chance, per week, of getting in touch
	// unprompted.
	SpontaneousEngagement float64 `json:"spontaneous_engagement"`
}

// Record is one patient record as the EHR and the CRM hold it.
type Record struct {
	// ID is the FHIR Patient id, CRMID the CRM's row id, MRN the medical
	// record number both systems share.
	ID    string
	CRMID string
	MRN   string
	// DuplicateOf is the ID of the person's main record, for a duplicate.
	DuplicateOf string
	Given       string
	Family      string
	BirthDate   string
	Address     Address
	// AddressStale says the person no longer lives at Address.
	AddressStale bool
	// InternetKnown says whether the record tells internet access.
	InternetKnown bool
	Phones        []RecordedPhone
	// Email is nil when the record has none.
	Email *RecordedEmail
}

// RecordedPhone is a phone number as a record holds it, with the truth.
type RecordedPhone struct {
	Raw string
	// Use is what the record says: mobile or home.
	Use string
	// Status is one of the Phone* constants; LineType the line's real type.
	Status   string
	LineType string
	// Actual is the E.164 number that now reaches the person on this line:
	// the recorded one when ok or landline, the intended one when
	// malformed, the person's new number when disconnected or reassigned.
	Actual string
}

// RecordedEmail is an email address as a record holds it, with the truth.
type RecordedEmail struct {
	Raw         string
	Status      string // one of the Email* constants
	Deliverable bool
	// Intended is the address the person gave (differs from Raw for typos).
	Intended string
}

// Condition is a chronic condition of the person.
type Condition struct {
	Params *ConditionParams
	Onset  time.Time
}

// Encounter is a finished ambulatory visit.
type Encounter struct {
	Start, End   time.Time
	Practitioner int // index into the practitioners
}

// Prescription is the current prescription of a drug and its fills.
type Prescription struct {
	Med          *MedicationParams
	Condition    *ConditionParams
	AuthoredOn   time.Time
	DaysSupply   int
	Refills      int
	Practitioner int
	// Fills are the times the pharmacy handed the drug over.
	Fills []time.Time
	// Stopped says the patient gave the medicine up after the last fill.
	Stopped bool
}
