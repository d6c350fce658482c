package population

import (
	"strconv"

	"github.com/rapporthq/rapport/fhir"
)

// Identifier systems of the generated clinic.
const (
	// MRNSystem is the system of medical record numbers, in FHIR and CSV.
	MRNSystem = "https://meridian-health.example/fhir/sid/mrn"
	// CRMSource names the CRM in the generated mapping (its `source`).
	CRMSource = "meridian-crm"
	npiSystem = "http://hl7.org/fhir/sid/us-npi"
)

// appendPatient appends rec as one FHIR R4 Patient (no newline).
func (g *Generator) appendPatient(b []byte, p *Person, rec *Record) []byte {
	b = append(b, `{"resourceType":"Patient","id":`...)
	b = appendStr(b, rec.ID)
	b = append(b, `,"extension":[{"url":"`+fhir.ExtPatientTimezone+`","valueCode":`...)
	b = appendStr(b, rec.Address.TimeZone)
	b = append(b, `},{"url":"`+fhir.ExtRural+`","valueBoolean":`...)
	b = strconv.AppendBool(b, rec.Address.Rural)
	b = append(b, '}')
	if rec.InternetKnown {
		b = append(b, `,{"url":"`+fhir.ExtInternetAccess+`","valueBoolean":`...)
		b = strconv.AppendBool(b, p.Internet)
		b = append(b, '}')
	}
	b = append(b, `],"identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"`+MRNSystem+`","value":`...)
	b = appendStr(b, rec.MRN)
	b = append(b, `}],"name":[{"use":"official","family":`...)
	b = appendStr(b, rec.Family)
	b = append(b, `,"given":[`...)
	b = appendStr(b, rec.Given)
	b = append(b, `]}]`...)
	if len(rec.Phones) > 0 || rec.Email != nil {
		b = append(b, `,"telecom":[`...)
		for i, ph := range rec.Phones {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"system":"phone","value":`...)
			b = appendStr(b, ph.Raw)
			b = append(b, `,"use":"`...)
			b = append(b, ph.Use...)
			b = append(b, `","rank":`...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, '}')
		}
		if rec.Email != nil {
			if len(rec.Phones) > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"system":"email","value":`...)
			b = appendStr(b, rec.Email.Raw)
			b = append(b, `,"use":"home"}`...)
		}
		b = append(b, ']')
	}
	b = append(b, `,"gender":"`...)
	b = append(b, p.Sex...)
	b = append(b, `","birthDate":"`...)
	b = append(b, rec.BirthDate...)
	b = append(b, `","address":[{"use":"home","type":"physical","line":[`...)
	b = appendStr(b, rec.Address.Line)
	b = append(b, `],"city":`...)
	b = appendStr(b, rec.Address.City)
	b = append(b, `,"state":"`...)
	b = append(b, rec.Address.State...)
	b = append(b, `","postalCode":"`...)
	b = append(b, rec.Address.ZIP...)
	b = append(b, `","country":"US"}],"communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"`...)
	if p.Language == "es" {
		b = append(b, `es","display":"Spanish"}],"text":"Spanish"}`...)
	} else {
		b = append(b, `en","display":"English"}],"text":"English"}`...)
	}
	return append(b, `,"preferred":true}]}`...)
}
