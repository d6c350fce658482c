package fhir

import (
	"strconv"

	"github.com/rapporthq/rapport"
)

type conditionJSON struct {
	ResourceType      string           `json:"resourceType"`
	ID                string           `json:"id"`
	ClinicalStatus    *codeableConcept `json:"clinicalStatus"`
	Code              *codeableConcept `json:"code"`
	Subject           *reference       `json:"subject"`
	OnsetDateTime     string           `json:"onsetDateTime"`
	AbatementDateTime string           `json:"abatementDateTime"`
}

func (in *conditionJSON) toDomain(r *resolver) (*rapport.Condition, rapport.Ref, error) {
	subject, err := r.subject("subject", in.Subject)
	if err != nil {
		return nil, subject, err
	}
	c := &rapport.Condition{Code: in.Code.code(), ClinicalStatus: in.ClinicalStatus.firstCode()}
	if err := dateTime("onsetDateTime", in.OnsetDateTime, &c.Onset); err != nil {
		return nil, subject, err
	}
	if err := dateTime("abatementDateTime", in.AbatementDateTime, &c.Abatement); err != nil {
		return nil, subject, err
	}
	return c, subject, nil
}

type encounterJSON struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Status       string            `json:"status"`
	Class        *coding           `json:"class"`
	Type         []codeableConcept `json:"type"`
	Subject      *reference        `json:"subject"`
	Participant  []struct {
		Individual *reference `json:"individual"`
	} `json:"participant"`
	Period   *period `json:"period"`
	Location []struct {
		Location *reference `json:"location"`
	} `json:"location"`
}

func (in *encounterJSON) toDomain(r *resolver) (*rapport.Encounter, rapport.Ref, error) {
	subject, err := r.subject("subject", in.Subject)
	if err != nil {
		return nil, subject, err
	}
	e := &rapport.Encounter{Status: in.Status}
	if in.Class != nil {
		e.Class = in.Class.Code
	}
	if len(in.Type) > 0 {
		e.Type = in.Type[0].code()
	}
	if in.Period != nil {
		if err := dateTime("period.start", in.Period.Start, &e.Start); err != nil {
			return nil, subject, err
		}
		if err := dateTime("period.end", in.Period.End, &e.End); err != nil {
			return nil, subject, err
		}
	}
	// The first participant that is a Practitioner (not a RelatedPerson or
	// PractitionerRole) is the one who saw the patient.
	for i, p := range in.Participant {
		ref, err := r.resolveTo("participant["+strconv.Itoa(i)+"].individual", p.Individual, "Practitioner")
		if err != nil {
			return nil, subject, err
		}
		if !ref.IsZero() {
			e.Practitioner = ref
			break
		}
	}
	if len(in.Location) > 0 {
		e.Location, err = r.resolveTo("location[0].location", in.Location[0].Location, "Location")
		if err != nil {
			return nil, subject, err
		}
	}
	return e, subject, nil
}

type appointmentJSON struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Status       string            `json:"status"`
	Description  string            `json:"description"`
	ServiceType  []codeableConcept `json:"serviceType"`
	Start        string            `json:"start"`
	End          string            `json:"end"`
	Participant  []struct {
		Actor *reference `json:"actor"`
	} `json:"participant"`
}

// toDomain maps an Appointment. Its patient (the Subject) is the first
// participant actor that refers to a Patient; the first Practitioner and
// Location actors become its practitioner and location.
func (in *appointmentJSON) toDomain(r *resolver) (*rapport.Appointment, rapport.Ref, error) {
	a := &rapport.Appointment{Status: in.Status, Description: in.Description}
	var subject rapport.Ref
	for i, p := range in.Participant {
		field := "participant[" + strconv.Itoa(i) + "].actor"
		typ, ref, err := r.resolve(field, p.Actor)
		if err != nil {
			return nil, subject, err
		}
		if ref.IsZero() {
			continue
		}
		switch typ {
		case "Patient":
			if subject.IsZero() {
				subject = ref
			}
		case "Practitioner":
			if a.Practitioner.IsZero() {
				a.Practitioner = ref
			}
		case "Location":
			if a.Location.IsZero() {
				a.Location = ref
			}
		}
	}
	if subject.IsZero() {
		return nil, subject, errField("participant", "no actor refers to a Patient")
	}
	if len(in.ServiceType) > 0 {
		a.ServiceType = in.ServiceType[0].code()
	}
	if err := dateTime("start", in.Start, &a.Start); err != nil {
		return nil, subject, err
	}
	if err := dateTime("end", in.End, &a.End); err != nil {
		return nil, subject, err
	}
	return a, subject, nil
}
