package hygiene

import (
	"time"

	"github.com/rapporthq/rapport"
)

// The FHIR R4 shapes the export writes: only the elements it fills. They
// are written by hand rather than with a generated FHIR model because the
// export uses a dozen fields of two resources.
type (
	fhirPatient struct {
		ResourceType string           `json:"resourceType"`
		ID           string           `json:"id"`
		Identifier   []fhirIdentifier `json:"identifier,omitempty"`
		Telecom      []fhirTelecom    `json:"telecom,omitempty"`
	}
	fhirIdentifier struct {
		System string `json:"system,omitempty"`
		Value  string `json:"value"`
	}
	fhirTelecom struct {
		System string      `json:"system"`
		Value  string      `json:"value"`
		Use    string      `json:"use,omitempty"`
		Rank   int         `json:"rank,omitempty"`
		Period *fhirPeriod `json:"period,omitempty"`
	}
	fhirPeriod struct {
		Start string `json:"start,omitempty"`
		End   string `json:"end,omitempty"`
	}
	fhirFlag struct {
		ResourceType string      `json:"resourceType"`
		Status       string      `json:"status"`
		Category     []fhirCode  `json:"category"`
		Code         fhirCode    `json:"code"`
		Subject      fhirRef     `json:"subject"`
		Period       *fhirPeriod `json:"period,omitempty"`
	}
	fhirCode struct {
		Coding []fhirCoding `json:"coding,omitempty"`
		Text   string       `json:"text"`
	}
	fhirCoding struct {
		System  string `json:"system"`
		Code    string `json:"code"`
		Display string `json:"display,omitempty"`
	}
	fhirRef struct {
		Reference string `json:"reference"`
	}
)

// adminCategory is Flag's "administrative" category.
var adminCategory = []fhirCode{{Coding: []fhirCoding{{System: "http://terminology.hl7.org/CodeSystem/flag-category", Code: "admin", Display: "Administrative"}}, Text: "Administrative"}}

// dead: the contact point is known not to reach the patient. Stale (not
// confirmed lately) and opted-out (it works; the patient said no) are not.
func dead(c *rapport.ContactPoint) bool {
	return c.Status == rapport.StatusInvalid || c.Status == rapport.StatusUnreachable
}

// patientUpdate is p as the CRM should now see its telecom: the numbers
// and addresses that still reach the patient first, ranked 1, 2, … in
// rapport's order; then the dead ones, ended (period.end at the evidence
// date).
func patientUpdate(p *rapport.Patient) fhirPatient {
	out := fhirPatient{ResourceType: "Patient", ID: string(p.ID)}
	for _, id := range p.Identifiers {
		out.Identifier = append(out.Identifier, fhirIdentifier{System: id.System, Value: id.Value})
	}
	rank := 0
	for pass := range 2 {
		for i := range p.Contacts {
			c := &p.Contacts[i]
			if c.Kind == rapport.ContactPostal || c.Raw == "" || (pass == 1) != dead(c) {
				continue
			}
			t := fhirTelecom{System: string(c.Kind), Value: c.Raw, Use: telecomUse(c)}
			if !dead(c) {
				rank++
				t.Rank = rank
			} else {
				t.Period = &fhirPeriod{End: c.StatusAt.UTC().Format(time.RFC3339)}
			}
			out.Telecom = append(out.Telecom, t)
		}
	}
	return out
}

func telecomUse(c *rapport.ContactPoint) string {
	if c.Kind == rapport.ContactPhone && c.LineType == rapport.LineLandline {
		return "home" // a landline is not a mobile, whatever the source said
	}
	switch c.Use {
	case rapport.UseMobile, rapport.UseHome, rapport.UseWork:
		return string(c.Use)
	}
	return ""
}

func contactFlag(pid rapport.PatientID, c *rapport.ContactPoint) fhirFlag {
	text := "contact invalid: " + string(c.Kind) + " " + c.Raw
	if c.StatusReason != "" {
		text += " (" + c.StatusReason + ")"
	}
	return fhirFlag{ResourceType: "Flag", Status: "active", Category: adminCategory, Code: fhirCode{Text: text},
		Subject: fhirRef{Reference: "Patient/" + string(pid)}, Period: &fhirPeriod{Start: c.StatusAt.UTC().Format(time.RFC3339)}}
}

func duplicateFlag(pid, other rapport.PatientID, now time.Time) fhirFlag {
	return fhirFlag{ResourceType: "Flag", Status: "active", Category: adminCategory,
		Code:    fhirCode{Text: "possible duplicate of Patient/" + string(other)},
		Subject: fhirRef{Reference: "Patient/" + string(pid)}, Period: &fhirPeriod{Start: now.UTC().Format(time.RFC3339)}}
}
