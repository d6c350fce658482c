package fhir

import (
	"math"

	"github.com/rapporthq/rapport"
)

type dosageJSON struct {
	Text   string `json:"text"`
	Timing *struct {
		Repeat *struct {
			Frequency  int      `json:"frequency"`
			Period     float64  `json:"period"`
			PeriodUnit string   `json:"periodUnit"`
			TimeOfDay  []string `json:"timeOfDay"`
		} `json:"repeat"`
	} `json:"timing"`
	AsNeededBoolean bool `json:"asNeededBoolean"`
	DoseAndRate     []struct {
		DoseQuantity *quantity `json:"doseQuantity"`
	} `json:"doseAndRate"`
}

type medicationRequestJSON struct {
	ResourceType              string           `json:"resourceType"`
	ID                        string           `json:"id"`
	Status                    string           `json:"status"`
	Intent                    string           `json:"intent"`
	MedicationCodeableConcept *codeableConcept `json:"medicationCodeableConcept"`
	MedicationReference       *reference       `json:"medicationReference"`
	Subject                   *reference       `json:"subject"`
	AuthoredOn                string           `json:"authoredOn"`
	Requester                 *reference       `json:"requester"`
	DosageInstruction         []dosageJSON     `json:"dosageInstruction"`
	DispenseRequest           *struct {
		NumberOfRepeatsAllowed int       `json:"numberOfRepeatsAllowed"`
		Quantity               *quantity `json:"quantity"`
		ExpectedSupplyDuration *quantity `json:"expectedSupplyDuration"`
	} `json:"dispenseRequest"`
}

func (in *medicationRequestJSON) toDomain(r *resolver) (*rapport.MedicationRequest, rapport.Ref, error) {
	subject, err := r.subject("subject", in.Subject)
	if err != nil {
		return nil, subject, err
	}
	m := &rapport.MedicationRequest{Status: in.Status, Intent: in.Intent, Medication: medication(in.MedicationCodeableConcept, in.MedicationReference)}
	if err := dateTime("authoredOn", in.AuthoredOn, &m.AuthoredOn); err != nil {
		return nil, subject, err
	}
	if len(in.DosageInstruction) > 0 {
		if m.Dosage, err = in.DosageInstruction[0].toDomain("dosageInstruction[0]"); err != nil {
			return nil, subject, err
		}
	}
	if d := in.DispenseRequest; d != nil {
		if d.NumberOfRepeatsAllowed < 0 {
			return nil, subject, errField("dispenseRequest.numberOfRepeatsAllowed", "%d is negative", d.NumberOfRepeatsAllowed)
		}
		m.Refills = d.NumberOfRepeatsAllowed
		if d.Quantity != nil && d.Quantity.Value != nil {
			m.Quantity = *d.Quantity.Value
		}
		if m.DaysSupply, err = days("dispenseRequest.expectedSupplyDuration", d.ExpectedSupplyDuration); err != nil {
			return nil, subject, err
		}
	}
	if m.Practitioner, err = r.resolveTo("requester", in.Requester, "Practitioner"); err != nil {
		return nil, subject, err
	}
	return m, subject, nil
}

// medication is the coded medication, or the display of a reference to a
// Medication resource (rapport does not import Medication resources).
func medication(cc *codeableConcept, ref *reference) rapport.Code {
	if cc != nil {
		return cc.code()
	}
	if ref != nil {
		return rapport.Code{Display: ref.Display}
	}
	return rapport.Code{}
}

func (in *dosageJSON) toDomain(field string) (rapport.Dosage, error) {
	d := rapport.Dosage{Text: in.Text, AsNeeded: in.AsNeededBoolean}
	if in.Timing != nil && in.Timing.Repeat != nil {
		rep := in.Timing.Repeat
		d.Frequency, d.Period, d.PeriodUnit = rep.Frequency, rep.Period, rep.PeriodUnit
		switch rep.PeriodUnit {
		case "", "s", "min", "h", "d", "wk", "mo", "a":
		default:
			return d, errField(field+".timing.repeat.periodUnit", "%q is not one of s, min, h, d, wk, mo, a", rep.PeriodUnit)
		}
		for _, t := range rep.TimeOfDay {
			hm, ok := timeOfDay(t)
			if !ok {
				return d, errField(field+".timing.repeat.timeOfDay", "%q is not a FHIR time (hh:mm:ss)", t)
			}
			d.TimesOfDay = append(d.TimesOfDay, hm)
		}
	}
	if len(in.DoseAndRate) > 0 && in.DoseAndRate[0].DoseQuantity != nil {
		q := in.DoseAndRate[0].DoseQuantity
		if q.Value != nil {
			d.DoseValue = *q.Value
		}
		d.DoseUnit = q.Unit
		if d.DoseUnit == "" {
			d.DoseUnit = q.Code
		}
	}
	return d, nil
}

// timeOfDay turns a FHIR time "hh:mm:ss[.fff]" into "hh:mm".
func timeOfDay(s string) (string, bool) {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return "", false
	}
	h, ok1 := num(s[0:2])
	m, ok2 := num(s[3:5])
	sec, ok3 := num(s[6:8])
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 59 {
		return "", false
	}
	if rest := s[8:]; rest != "" {
		if _, ok := num(rest[1:]); rest[0] != '.' || !ok {
			return "", false
		}
	}
	return s[:5], true
}

// days converts a duration Quantity into whole days, rounding to the
// nearest day.
func days(field string, q *quantity) (int, error) {
	if q == nil || q.Value == nil {
		return 0, nil
	}
	unit := q.Code
	if unit == "" {
		unit = q.Unit
	}
	var perDay float64
	switch unit {
	case "d", "day", "days", "":
		perDay = 1
	case "wk", "week", "weeks":
		perDay = 7
	case "mo", "month", "months":
		perDay = 30
	case "a", "year", "years":
		perDay = 365
	case "h", "hour", "hours":
		perDay = 1.0 / 24
	default:
		return 0, errField(field, "unit %q is not a duration unit", unit)
	}
	v := *q.Value * perDay
	if v < 0 || v > 100*365 || math.IsNaN(v) {
		return 0, errField(field, "%g %s is not a plausible supply", *q.Value, unit)
	}
	return int(math.Round(v)), nil
}

type medicationDispenseJSON struct {
	ResourceType              string           `json:"resourceType"`
	ID                        string           `json:"id"`
	Status                    string           `json:"status"`
	MedicationCodeableConcept *codeableConcept `json:"medicationCodeableConcept"`
	MedicationReference       *reference       `json:"medicationReference"`
	Subject                   *reference       `json:"subject"`
	AuthorizingPrescription   []reference      `json:"authorizingPrescription"`
	Quantity                  *quantity        `json:"quantity"`
	DaysSupply                *quantity        `json:"daysSupply"`
	WhenPrepared              string           `json:"whenPrepared"`
	WhenHandedOver            string           `json:"whenHandedOver"`
}

func (in *medicationDispenseJSON) toDomain(r *resolver) (*rapport.MedicationDispense, rapport.Ref, error) {
	subject, err := r.subject("subject", in.Subject)
	if err != nil {
		return nil, subject, err
	}
	m := &rapport.MedicationDispense{Status: in.Status, Medication: medication(in.MedicationCodeableConcept, in.MedicationReference)}
	if len(in.AuthorizingPrescription) > 0 {
		if m.Request, err = r.resolveTo("authorizingPrescription[0]", &in.AuthorizingPrescription[0], "MedicationRequest"); err != nil {
			return nil, subject, err
		}
	}
	if in.Quantity != nil && in.Quantity.Value != nil {
		m.Quantity = *in.Quantity.Value
	}
	if m.DaysSupply, err = days("daysSupply", in.DaysSupply); err != nil {
		return nil, subject, err
	}
	if err := dateTime("whenPrepared", in.WhenPrepared, &m.Prepared); err != nil {
		return nil, subject, err
	}
	if err := dateTime("whenHandedOver", in.WhenHandedOver, &m.HandedOver); err != nil {
		return nil, subject, err
	}
	return m, subject, nil
}
