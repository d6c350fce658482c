package fhir

import (
	"strconv"

	"github.com/rapporthq/rapport"
)

// Extension URLs rapport reads on RelatedPerson. FHIR has no element for
// what a caregiver may be told nor for the patient's agreement that they
// are contacted, so without them a caregiver is reminders-only and its
// consent is not recorded (it is not contacted until staff record it).
const (
	// ExtCaregiverScope (valueCode "reminders" or "conversation") is how
	// much the person may be told: reminders and missed-dose alerts only,
	// or the whole conversation. See [rapport.CaregiverScope].
	ExtCaregiverScope = "https://rapport.dev/fhir/StructureDefinition/caregiver-scope"
	// ExtCaregiverConsent (valueDateTime) is when the patient agreed that
	// the person is contacted about them.
	ExtCaregiverConsent = "https://rapport.dev/fhir/StructureDefinition/caregiver-consent"
)

// inactiveReason is the revocation reason of a RelatedPerson with active
// false.
const inactiveReason = "inactive in the source record"

type relatedPersonJSON struct {
	ResourceType  string                 `json:"resourceType"`
	ID            string                 `json:"id"`
	Extension     []relatedExtension     `json:"extension"`
	Identifier    []identifier           `json:"identifier"`
	Active        *bool                  `json:"active"`
	Patient       *reference             `json:"patient"`
	Relationship  []codeableConcept      `json:"relationship"`
	Name          []humanName            `json:"name"`
	Telecom       []contactPoint         `json:"telecom"`
	Period        *period                `json:"period"`
	Communication []patientCommunication `json:"communication"`
}

type relatedExtension struct {
	URL           string  `json:"url"`
	ValueCode     *string `json:"valueCode"`
	ValueDateTime *string `json:"valueDateTime"`
}

// toDomain maps a RelatedPerson to a caregiver of its patient. A person
// the source marks inactive comes back revoked by the import, with a zero
// RevokedAt for the importer to stamp (the mapping reads no clock).
func (in *relatedPersonJSON) toDomain(r *resolver) (*rapport.Caregiver, rapport.Ref, error) {
	subject, err := r.subject("patient", in.Patient)
	if err != nil {
		return nil, subject, err
	}
	c := &rapport.Caregiver{Identifiers: identifiers(in.Identifier), Relationship: relationship(in.Relationship),
		Contacts: contacts(in.Telecom), Scope: rapport.ScopeReminders, Consent: rapport.ConsentNotRecorded}
	if n := pickName(in.Name); n != nil {
		c.Given, c.Family = n.given(), n.Family
		if c.Given == "" && c.Family == "" {
			c.Given = n.Text
		}
	}
	if c.Language, err = language(in.Communication); err != nil {
		return nil, subject, err
	}
	if in.Period != nil {
		if err := dateTime("period.start", in.Period.Start, &c.PeriodStart); err != nil {
			return nil, subject, err
		}
		if err := dateTime("period.end", in.Period.End, &c.PeriodEnd); err != nil {
			return nil, subject, err
		}
		if !c.PeriodEnd.IsZero() && c.PeriodEnd.Before(c.PeriodStart) {
			return nil, subject, errField("period.end", "%q is before period.start", in.Period.End)
		}
	}
	if in.Active != nil && !*in.Active {
		c.RevokedBy, c.RevokeReason = rapport.SourceImport, inactiveReason
	}
	if err := in.extensions(c); err != nil {
		return nil, subject, err
	}
	if c.Relationship.Code == "" && c.Relationship.Display == "" {
		return nil, subject, errField("relationship", "missing: rapport needs to know who the person is to the patient")
	}
	if c.Name() == "" && len(c.Contacts) == 0 {
		return nil, subject, errField("name", "no name and no telecom: nobody to contact")
	}
	return c, subject, nil
}

func (in *relatedPersonJSON) extensions(c *rapport.Caregiver) error {
	for i, e := range in.Extension {
		field := "extension[" + strconv.Itoa(i) + "]"
		switch e.URL {
		case ExtCaregiverScope:
			if e.ValueCode == nil {
				return errField(field, "%s has no valueCode", e.URL)
			}
			switch s := rapport.CaregiverScope(*e.ValueCode); s {
			case rapport.ScopeReminders, rapport.ScopeConversation:
				c.Scope = s
			default:
				return errField(field+".valueCode", "%q is not one of reminders, conversation", *e.ValueCode)
			}
		case ExtCaregiverConsent:
			if e.ValueDateTime == nil {
				return errField(field, "%s has no valueDateTime", e.URL)
			}
			if err := dateTime(field+".valueDateTime", *e.ValueDateTime, &c.ConsentAt); err != nil {
				return err
			}
			c.Consent, c.ConsentSource = rapport.ConsentGranted, rapport.SourceImport
		}
	}
	return nil
}

// relationship takes the first v3-RoleCode coding of any of the concepts
// (the personal relationship), else the first concept as it is; a known
// code without a display gets the standard one.
func relationship(ccs []codeableConcept) rapport.Code {
	var out rapport.Code
	found := false
	for _, cc := range ccs {
		for _, cd := range cc.Coding {
			if cd.System == rapport.RoleCodeSystem && cd.Code != "" {
				out, found = rapport.Code{System: cd.System, Code: cd.Code, Display: cd.Display}, true
				break
			}
		}
		if found {
			break
		}
	}
	if !found && len(ccs) > 0 {
		out = ccs[0].code()
	}
	if out.Display == "" && out.System == rapport.RoleCodeSystem {
		out.Display = rapport.RoleDisplay(out.Code)
	}
	return out
}
