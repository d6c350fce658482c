package rapport

import (
	"strings"
	"time"
)

// CaregiverScope is how much of a patient's care a caregiver may be told.
type CaregiverScope string

const (
	// ScopeReminders: dose and refill reminders and missed-dose alerts only.
	ScopeReminders CaregiverScope = "reminders"
	// ScopeConversation: the whole conversation, check-ins included.
	ScopeConversation CaregiverScope = "conversation"
)

// ProxyMessage is a kind of message a caregiver may receive on a patient's
// behalf; [Caregiver.MayReceive] decides which kinds its scope allows.
type ProxyMessage string

const (
	ProxyDoseReminder   ProxyMessage = "dose_reminder"
	ProxyRefillReminder ProxyMessage = "refill_reminder"
	ProxyMissedDose     ProxyMessage = "missed_dose"
	ProxyCheckIn        ProxyMessage = "check_in"
	ProxyConversation   ProxyMessage = "conversation"
)

// EventCaregiverRevoked is the ledger event of a caregiver's role ended by
// the patient or staff; its payload names the caregiver and who revoked.
const EventCaregiverRevoked EventKind = "caregiver.revoked"

// EventCaregiverOptedOut is the ledger event of a caregiver's STOP; its
// payload names the caregiver and the inbound message.
const EventCaregiverOptedOut EventKind = "caregiver.opted_out"

// EventCaregiverOptedIn is the ledger event of a caregiver's START after a
// STOP; its payload names the caregiver and the inbound message.
const EventCaregiverOptedIn EventKind = "caregiver.opted_in"

// CaregiverConsent is whether the patient agreed that a caregiver is
// contacted about them.
type CaregiverConsent string

const (
	// ConsentNotRecorded: nobody said; the caregiver is not contacted.
	ConsentNotRecorded CaregiverConsent = "not_recorded"
	ConsentGranted     CaregiverConsent = "granted"
	ConsentRefused     CaregiverConsent = "refused"
)

// RoleCodeSystem is the FHIR code system of personal relationships
// (v3-RoleCode) that caregivers' relationships are usually coded in.
const RoleCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"

// roleDisplays are the displays of the v3-RoleCode personal relationships
// met most often, for codes a source sends without one.
var roleDisplays = map[string]string{
	"MTH": "mother", "FTH": "father", "PRN": "parent", "SPS": "spouse", "HUSB": "husband", "WIFE": "wife",
	"DOMPART": "domestic partner", "CHILD": "child", "DAU": "daughter", "SON": "son", "SIB": "sibling",
	"SIS": "sister", "BRO": "brother", "GRPRN": "grandparent", "GRNDCHILD": "grandchild", "FRND": "friend",
	"NBOR": "neighbor", "GUARD": "guardian", "FAMMEMB": "family member", "EXT": "extended family member",
	"ROOM": "roommate", "SIGOTHR": "significant other", "ONESELF": "self",
}

// RoleDisplay returns the display of a v3-RoleCode personal relationship
// code, or "" for codes it does not know.
func RoleDisplay(code string) string { return roleDisplays[code] }

// Caregiver is a person who helps a patient — a daughter, a spouse, a
// guardian — with their own contact points, language and consent. A
// caregiver hears about the patient only within its Scope, only once the
// patient agreed (Consent), and never after it was revoked.
type Caregiver struct {
	ID        string    `json:"id"`
	PatientID PatientID `json:"patient_id"`
	// Identifiers are business identifiers the source gave the person.
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Given       string       `json:"given"`
	Family      string       `json:"family"`
	// Relationship is the person's relationship to the patient, usually a
	// v3-RoleCode (MTH, SPS, DAU, GUARD…).
	Relationship Code `json:"relationship"`
	// Contacts are the caregiver's own: they never reach the patient's
	// record. Their PatientID is empty.
	Contacts []ContactPoint `json:"contacts,omitempty"`
	// Language is a BCP 47 primary tag such as "en" or "es"; empty when unknown.
	Language string         `json:"language,omitempty"`
	Scope    CaregiverScope `json:"scope"`

	Consent       CaregiverConsent `json:"consent"`
	ConsentAt     time.Time        `json:"consent_at,omitzero"`
	ConsentSource ContactSource    `json:"consent_source,omitempty"`

	// PeriodStart and PeriodEnd bound when the relationship holds, when
	// the source says so.
	PeriodStart time.Time `json:"period_start,omitzero"`
	PeriodEnd   time.Time `json:"period_end,omitzero"`

	// RevokedAt is set once the patient, staff or the source ended the
	// caregiver's role; RevokedBy says which.
	RevokedAt    time.Time     `json:"revoked_at,omitzero"`
	RevokedBy    ContactSource `json:"revoked_by,omitempty"`
	RevokeReason string        `json:"revoke_reason,omitempty"`
	// OptedOutAt is set when the caregiver texted STOP: the caregiver's own
	// decision, apart from the patient's consent, and nothing more goes to them.
	OptedOutAt time.Time `json:"opted_out_at,omitzero"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Name returns the caregiver's display name.
func (c *Caregiver) Name() string { return strings.TrimSpace(c.Given + " " + c.Family) }

// Revoked reports whether the caregiver's role was ended.
func (c *Caregiver) Revoked() bool { return !c.RevokedAt.IsZero() }

// Allows reports whether a caregiver of scope s may receive a message of
// kind m: reminders and missed-dose alerts for either scope, check-ins
// and free conversation only for the conversation scope.
func (s CaregiverScope) Allows(m ProxyMessage) bool {
	switch m {
	case ProxyDoseReminder, ProxyRefillReminder, ProxyMissedDose:
		return s == ScopeReminders || s == ScopeConversation
	case ProxyCheckIn, ProxyConversation:
		return s == ScopeConversation
	}
	return false // a kind added later is refused until a scope names it
}

// MayReceive reports whether a message of kind m about the patient may go
// to the caregiver at now: the patient consented, the caregiver did not
// opt out, the role is neither revoked nor outside its period, and the
// scope allows the kind.
func (c *Caregiver) MayReceive(m ProxyMessage, now time.Time) bool {
	if c.Consent != ConsentGranted || c.Revoked() || !c.OptedOutAt.IsZero() {
		return false
	}
	if !c.PeriodStart.IsZero() && now.Before(c.PeriodStart) || !c.PeriodEnd.IsZero() && !now.Before(c.PeriodEnd) {
		return false
	}
	return c.Scope.Allows(m)
}

// Validate checks what every stored caregiver must satisfy, naming the
// field at fault.
func (c *Caregiver) Validate() error {
	if c.PatientID == "" {
		return Errorf(EINVALID, "patient_id: a caregiver belongs to a patient")
	}
	if c.Name() == "" && len(c.Contacts) == 0 {
		return Errorf(EINVALID, "name: a caregiver needs a name or a contact point")
	}
	if c.Relationship.Code == "" && c.Relationship.Display == "" {
		return Errorf(EINVALID, "relationship: missing (a v3-RoleCode such as DAU, SPS, GUARD)")
	}
	if c.Relationship.System == RoleCodeSystem && c.Relationship.Code != "" && !validRoleCode(c.Relationship.Code) {
		return Errorf(EINVALID, "relationship: %q is not a v3-RoleCode", c.Relationship.Code)
	}
	if c.Language != "" && !primaryLanguage(c.Language) {
		return Errorf(EINVALID, "language: %q is not a primary language subtag such as en or es", c.Language)
	}
	switch c.Scope {
	case ScopeReminders, ScopeConversation:
	default:
		return Errorf(EINVALID, "scope: %q is not one of reminders, conversation", c.Scope)
	}
	switch c.Consent {
	case ConsentNotRecorded:
	case ConsentGranted, ConsentRefused:
		if c.ConsentAt.IsZero() {
			return Errorf(EINVALID, "consent_at: a %s consent needs the time it was given", c.Consent)
		}
		if !validSource(c.ConsentSource) {
			return Errorf(EINVALID, "consent_source: %q is not one of import, patient, staff", c.ConsentSource)
		}
	default:
		return Errorf(EINVALID, "consent: %q is not one of granted, refused, not_recorded", c.Consent)
	}
	if !c.PeriodStart.IsZero() && !c.PeriodEnd.IsZero() && c.PeriodEnd.Before(c.PeriodStart) {
		return Errorf(EINVALID, "period: ends before it starts")
	}
	switch {
	case c.Revoked() && c.RevokedBy == "":
		return Errorf(EINVALID, "revoked_by: a revocation needs who made it (import, patient or staff)")
	case !c.Revoked() && c.RevokedBy != "":
		return Errorf(EINVALID, "revoked_by: %q without revoked_at", c.RevokedBy)
	case c.RevokedBy != "" && !validSource(c.RevokedBy):
		return Errorf(EINVALID, "revoked_by: %q is not one of import, patient, staff", c.RevokedBy)
	}
	for i := range c.Contacts {
		if err := c.Contacts[i].Validate(); err != nil {
			return Errorf(EINVALID, "contacts[%d]: %s", i, ErrorMessage(err))
		}
	}
	return nil
}

// validRoleCode accepts the v3-RoleCode shape (upper-case letters), not
// only the codes [RoleDisplay] knows: the code system has over a hundred.
func validRoleCode(code string) bool {
	for _, r := range code {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return len(code) <= 16
}

// primaryLanguage reports whether s is a lower-case BCP 47 primary
// language subtag, the form messages are templated in ("es", not "es-MX").
func primaryLanguage(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return len(s) >= 2 && len(s) <= 8
}

func validSource(s ContactSource) bool {
	return s == SourceImport || s == SourcePatient || s == SourceStaff
}

// Revoke ends the caregiver's role at now, by the patient or staff (or the
// source, when it marks the person inactive). A revoked caregiver stays
// revoked: revoking again is ECONFLICT.
func (c *Caregiver) Revoke(now time.Time, by ContactSource, reason string) error {
	if c.Revoked() {
		return Errorf(ECONFLICT, "caregiver %s was revoked already", c.ID)
	}
	if !validSource(by) {
		return Errorf(EINVALID, "revoked_by: %q is not one of patient, staff, import", by)
	}
	c.RevokedAt, c.RevokedBy, c.RevokeReason = now, by, reason
	return nil
}

// Reimported returns what to keep when the source sends again a caregiver
// stored as old: the source's picture of the person (name, relationship,
// contact points, language, period, scope) wins, but what the patient or
// staff decided stays — a revocation, and a consent recorded by them
// unless the source now states one. The source only lifts a revocation it
// made itself (the person was inactive and is active again). When the
// source now names another patient, nothing the first patient decided
// carries over.
func (c Caregiver) Reimported(old *Caregiver) Caregiver {
	c.ID, c.CreatedAt = old.ID, old.CreatedAt
	// The caregiver's own STOP holds whatever the source says, and for
	// whichever patient: it was the person's answer to being written to.
	c.OptedOutAt = old.OptedOutAt
	if c.PatientID != old.PatientID {
		return c
	}
	if old.Revoked() && (old.RevokedBy != SourceImport || c.Revoked()) {
		c.RevokedAt, c.RevokedBy, c.RevokeReason = old.RevokedAt, old.RevokedBy, old.RevokeReason
	}
	if c.Consent == ConsentNotRecorded && old.Consent != ConsentNotRecorded && old.ConsentSource != SourceImport {
		c.Consent, c.ConsentAt, c.ConsentSource = old.Consent, old.ConsentAt, old.ConsentSource
	}
	return c
}
