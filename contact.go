package rapport

import "time"

// ContactKind says what a contact point reaches.
type ContactKind string

const (
	ContactPhone  ContactKind = "phone"
	ContactEmail  ContactKind = "email"
	ContactPostal ContactKind = "postal"
)

// ContactUse is what the patient uses a contact point for.
type ContactUse string

const (
	UseMobile ContactUse = "mobile"
	UseHome   ContactUse = "home"
	UseWork   ContactUse = "work"
	UseOther  ContactUse = ""
)

// ContactStatus is what rapport knows about whether a contact point works.
type ContactStatus string

const (
	StatusUnverified  ContactStatus = "unverified"
	StatusValid       ContactStatus = "valid"
	StatusInvalid     ContactStatus = "invalid"
	StatusUnreachable ContactStatus = "unreachable"
	StatusStale       ContactStatus = "stale"
	StatusOptedOut    ContactStatus = "opted_out"
)

// ContactSource says who told rapport about a contact point or its status.
type ContactSource string

const (
	SourceImport  ContactSource = "import"
	SourcePatient ContactSource = "patient"
	SourceStaff   ContactSource = "staff"
	SourceHygiene ContactSource = "hygiene"
)

// LineType is a phone number's line type as far as numbering plans tell.
type LineType string

const (
	LineMobile      LineType = "mobile"
	LineLandline    LineType = "landline"
	LineFixedMobile LineType = "fixed_or_mobile"
	LineVoIP        LineType = "voip"
	LineTollFree    LineType = "toll_free"
	LineUnknown     LineType = "unknown"
)

// ContactPoint is a phone number, email address or postal address of a
// patient, kept as entered beside its normalised form, with what is known of
// whether it works.
type ContactPoint struct {
	ID        string      `json:"id"`
	PatientID PatientID   `json:"patient_id"`
	Kind      ContactKind `json:"kind"`
	// Raw is the value exactly as entered in the source.
	Raw string `json:"raw"`
	// Value is the normalised value: E.164 for phones, lower-cased address for
	// email. It is empty when the raw value could not be normalised.
	Value string     `json:"value"`
	Use   ContactUse `json:"use,omitempty"`
	// LineType and Region are known for phones that parse.
	LineType LineType `json:"line_type,omitempty"`
	Region   string   `json:"region,omitempty"`
	// Rank orders contact points of one kind, 1 first; 0 when not ranked.
	Rank int `json:"rank,omitempty"`

	Status ContactStatus `json:"status"`
	// StatusReason is the evidence behind the last status change, such as
	// "area code 555 is not assigned" or "twilio error 30006".
	StatusReason string        `json:"status_reason,omitempty"`
	StatusAt     time.Time     `json:"status_at"`
	Source       ContactSource `json:"source"`

	// Flags are warnings found when the contact point was judged, each with
	// its evidence: a role or disposable address, a fictional number, a
	// likely typo. A flag alone does not make a contact point unusable.
	Flags []ContactFlag `json:"flags,omitempty"`
	// Suggestion is a probable correction of Raw ("ana@gmail.com" for
	// "ana@gmial.com"), offered to staff and the source CRM; rapport never
	// writes to it by itself.
	Suggestion string `json:"suggestion,omitempty"`
	// What delivery taught (see staleness.go). SharedBy counts the people
	// whose records hold the same value, this one included, when they are 2
	// or more (0 otherwise; a person's merged records count once): a shared
	// number or inbox (a family landline), whose replies are routed with care. ConfirmedAt is the last time an answer to a message rapport
	// sent proved the address works (zero: never); SoftFailures counts the
	// deliveries that failed for a passing reason since then, the last at
	// SoftFailedAt. AddedAt is when rapport first heard of the contact point.
	SharedBy     int       `json:"shared_by,omitempty"`
	ConfirmedAt  time.Time `json:"confirmed_at,omitzero"`
	SoftFailures int       `json:"soft_failures,omitempty"`
	SoftFailedAt time.Time `json:"soft_failed_at,omitzero"`
	AddedAt      time.Time `json:"added_at,omitzero"`
}

// FlagCode names a kind of warning about a contact detail.
type FlagCode string

const (
	// FlagFictional: a number reserved for films and examples (NANP
	// 555-0100 to 555-0199, Ofcom's drama ranges).
	FlagFictional FlagCode = "fictional"
	// FlagReserved: a number in a range no subscriber can hold (an N11
	// service code, a reserved area code, directory assistance).
	FlagReserved FlagCode = "reserved"
	// FlagRole: an address of a function (info@, noreply@), read by
	// whoever holds the role, if anyone.
	FlagRole FlagCode = "role"
	// FlagDisposable: an address at a throwaway-mailbox service.
	FlagDisposable FlagCode = "disposable"
	// FlagTypo: the value looks misspelt; the contact point's Suggestion
	// holds the probable correction.
	FlagTypo FlagCode = "typo"
	// FlagPostalMismatch: a postal address whose ZIP code belongs to
	// another state than the one written.
	FlagPostalMismatch FlagCode = "postal_mismatch"
	// FlagUnknownPostal: a US postal code that is not a ZIP code, or one
	// the USDA table does not list.
	FlagUnknownPostal FlagCode = "unknown_postal_code"
)

// ContactFlag is one warning with its evidence, such as {role, "info@ is
// a role address"}.
type ContactFlag struct {
	Code   FlagCode `json:"code"`
	Reason string   `json:"reason"`
}

// HasFlag reports whether flags hold one of code.
func HasFlag(flags []ContactFlag, code FlagCode) bool {
	for _, f := range flags {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Shared reports whether other patients' records hold this value too.
func (c *ContactPoint) Shared() bool { return c.SharedBy > 1 }

// Usable reports whether a message may be tried on this contact point. A
// stale contact point stays usable: it is re-verified by the next answered
// message (or the contact-reverify journey), not dropped.
func (c *ContactPoint) Usable() bool {
	switch c.Status {
	case StatusInvalid, StatusUnreachable, StatusOptedOut:
		return false
	}
	return c.Value != ""
}

// Validate checks the fields every stored contact point needs.
func (c *ContactPoint) Validate() error {
	switch c.Kind {
	case ContactPhone, ContactEmail, ContactPostal:
	default:
		return Errorf(EINVALID, "kind %q is not one of phone, email, postal", c.Kind)
	}
	if c.Raw == "" {
		return Errorf(EINVALID, "%s contact has no value", c.Kind)
	}
	switch c.Status {
	case StatusUnverified, StatusValid, StatusInvalid, StatusUnreachable, StatusStale, StatusOptedOut:
	default:
		return Errorf(EINVALID, "status %q is not a contact status", c.Status)
	}
	switch c.Use {
	case UseMobile, UseHome, UseWork, UseOther:
	default:
		return Errorf(EINVALID, "use %q is not one of mobile, home, work", c.Use)
	}
	return nil
}
