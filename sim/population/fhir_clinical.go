package population

import (
	"strconv"
	"strings"
	"time"
)

const (
	rxnormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm"
	ucum         = "http://unitsofmeasure.org"
)

func practitionerID(k int) string { return "prac-" + strconv.Itoa(k+1) }
func locationID(area int) string  { return "loc-" + strconv.Itoa(area+1) }

// appendEncounter appends the k-th encounter of the main record rec.
func (g *Generator) appendEncounter(b []byte, p *Person, rec *Record, k int) []byte {
	e := &p.Encounters[k]
	b = append(b, `{"resourceType":"Encounter","id":`...)
	b = appendStr(b, rec.ID+"-e"+strconv.Itoa(k+1))
	b = append(b, `,"status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB","display":"ambulatory"},"type":[{"coding":[`...)
	if k > 0 && len(p.Conditions) > 0 {
		b = appendCoding(b, "http://snomed.info/sct", "390906007", "Follow-up encounter (procedure)")
	} else {
		b = appendCoding(b, "http://snomed.info/sct", "185349003", "Encounter for check up (procedure)")
	}
	b = append(b, `]}],"subject":`...)
	b = appendRef(b, "Patient", rec.ID)
	b = append(b, `,"participant":[{"individual":`...)
	b = appendRef(b, "Practitioner", practitionerID(e.Practitioner))
	b = append(b, `}],"period":{"start":`...)
	b = appendDateTime(b, e.Start)
	b = append(b, `,"end":`...)
	b = appendDateTime(b, e.End)
	b = append(b, `},"location":[{"location":`...)
	b = appendRef(b, "Location", locationID(p.Address.Area))
	return append(b, `}]}`...)
}

// appendCondition appends the k-th condition of the main record rec.
func (g *Generator) appendCondition(b []byte, p *Person, rec *Record, k int) []byte {
	c := &p.Conditions[k]
	b = append(b, `{"resourceType":"Condition","id":`...)
	b = appendStr(b, rec.ID+"-c"+strconv.Itoa(k+1))
	b = append(b, `,"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]}`+
		`,"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]}`+
		`,"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"problem-list-item","display":"Problem List Item"}]}]`+
		`,"code":{"coding":[`...)
	b = appendCoding(b, "http://snomed.info/sct", c.Params.SNOMED, c.Params.SNOMEDDisplay)
	b = append(b, ',')
	b = appendCoding(b, "http://hl7.org/fhir/sid/icd-10-cm", c.Params.ICD10, c.Params.ICD10Display)
	b = append(b, `],"text":`...)
	b = appendStr(b, c.Params.SNOMEDDisplay)
	b = append(b, `},"subject":`...)
	b = appendRef(b, "Patient", rec.ID)
	b = append(b, `,"onsetDateTime":"`...)
	y, m, d := c.Onset.Date()
	b = appendDate(b, y, int(m), d)
	return append(b, `"}`...)
}

func requestID(rec *Record, k int) string { return rec.ID + "-m" + strconv.Itoa(k+1) }

// appendMedication appends the medicationCodeableConcept of m.
func appendMedication(b []byte, m *MedicationParams) []byte {
	b = append(b, `"medicationCodeableConcept":{"coding":[`...)
	b = appendCoding(b, rxnormSystem, m.RxNorm, m.Display)
	b = append(b, `],"text":`...)
	b = appendStr(b, m.Display)
	return append(b, '}')
}

// quantity is how much one fill of rx holds: doses a day times days for a
// scheduled drug, one pack for one taken as needed.
func quantity(rx *Prescription) (float64, string) {
	if rx.Med.AsNeeded {
		if rx.Med.DoseUnit == "puff" {
			return 1, "inhaler"
		}
		return 1, "package"
	}
	return rx.Med.DoseValue * float64(len(rx.Med.TimesOfDay)*rx.DaysSupply), rx.Med.DoseUnit
}

// appendRequest appends the k-th prescription of the main record rec.
func (g *Generator) appendRequest(b []byte, p *Person, rec *Record, k int) []byte {
	rx := &p.Prescriptions[k]
	m := rx.Med
	b = append(b, `{"resourceType":"MedicationRequest","id":`...)
	b = appendStr(b, requestID(rec, k))
	b = append(b, `,"status":"active","intent":"order",`...)
	b = appendMedication(b, m)
	b = append(b, `,"subject":`...)
	b = appendRef(b, "Patient", rec.ID)
	b = append(b, `,"authoredOn":`...)
	b = appendDateTime(b, rx.AuthoredOn)
	b = append(b, `,"requester":`...)
	b = appendRef(b, "Practitioner", practitionerID(rx.Practitioner))
	b = append(b, `,"dosageInstruction":[{"text":`...)
	b = appendStr(b, dosageText(m))
	if m.AsNeeded {
		b = append(b, `,"timing":{"repeat":{"frequency":1,"period":4,"periodUnit":"h"}},"asNeededBoolean":true`...)
	} else {
		b = append(b, `,"timing":{"repeat":{"frequency":`...)
		b = strconv.AppendInt(b, int64(len(m.TimesOfDay)), 10)
		b = append(b, `,"period":1,"periodUnit":"d","timeOfDay":[`...)
		for i, t := range m.TimesOfDay {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, t...)
			b = append(b, `:00"`...)
		}
		b = append(b, `]}}`...)
	}
	b = append(b, `,"doseAndRate":[{"doseQuantity":{"value":`...)
	b = appendFloat(b, m.DoseValue)
	b = append(b, `,"unit":`...)
	b = appendStr(b, m.DoseUnit)
	b = append(b, `}}]}],"dispenseRequest":{"numberOfRepeatsAllowed":`...)
	b = strconv.AppendInt(b, int64(rx.Refills), 10)
	q, unit := quantity(rx)
	b = append(b, `,"quantity":{"value":`...)
	b = appendFloat(b, q)
	b = append(b, `,"unit":`...)
	b = appendStr(b, unit)
	b = append(b, `},"expectedSupplyDuration":`...)
	b = appendDays(b, rx.DaysSupply)
	return append(b, `}}`...)
}

func appendDays(b []byte, days int) []byte {
	b = append(b, `{"value":`...)
	b = strconv.AppendInt(b, int64(days), 10)
	return append(b, `,"unit":"days","system":"`+ucum+`","code":"d"}`...)
}

// dosageText is the sig as a prescriber writes it.
func dosageText(m *MedicationParams) string {
	dose := strconv.FormatFloat(m.DoseValue, 'f', -1, 64) + " " + m.DoseUnit
	if m.DoseValue != 1 {
		dose += "s"
	}
	if m.AsNeeded {
		return "Inhale " + dose + " every 4 to 6 hours as needed for shortness of breath"
	}
	how := "once daily"
	switch len(m.TimesOfDay) {
	case 1:
	case 2:
		how = "twice daily"
	default:
		how = strconv.Itoa(len(m.TimesOfDay)) + " times daily"
	}
	return "Take " + dose + " by mouth " + how + " at " + strings.Join(m.TimesOfDay, " and ")
}

// appendDispense appends fill j of prescription k of the main record rec.
func (g *Generator) appendDispense(b []byte, p *Person, rec *Record, k, j int) []byte {
	rx := &p.Prescriptions[k]
	handed := rx.Fills[j]
	b = append(b, `{"resourceType":"MedicationDispense","id":`...)
	b = appendStr(b, requestID(rec, k)+"-f"+strconv.Itoa(j+1))
	b = append(b, `,"status":"completed",`...)
	b = appendMedication(b, rx.Med)
	b = append(b, `,"subject":`...)
	b = appendRef(b, "Patient", rec.ID)
	b = append(b, `,"authorizingPrescription":[`...)
	b = appendRef(b, "MedicationRequest", requestID(rec, k))
	q, unit := quantity(rx)
	b = append(b, `],"quantity":{"value":`...)
	b = appendFloat(b, q)
	b = append(b, `,"unit":`...)
	b = appendStr(b, unit)
	b = append(b, `},"daysSupply":`...)
	b = appendDays(b, rx.DaysSupply)
	b = append(b, `,"whenPrepared":`...)
	b = appendDateTime(b, handed.Add(-time.Duration(30+handed.Minute())*time.Minute))
	b = append(b, `,"whenHandedOver":`...)
	b = appendDateTime(b, handed)
	return append(b, '}')
}
