package fhir

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// ucumSystem is the code system of FHIR quantities' units.
const ucumSystem = "http://unitsofmeasure.org"

// Observation is a measurement a patient reported, as [ObservationEntry]
// writes it: a value with its UCUM unit, or components (a blood pressure
// panel's systolic and diastolic) and no value of its own.
type Observation struct {
	ID         string
	PatientID  rapport.PatientID
	Code       rapport.Code
	Value      float64
	Unit       string
	Effective  time.Time
	Components []Observation // Code, Value and Unit only
}

type quantityOut struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"`
	System string  `json:"system,omitempty"`
	Code   string  `json:"code,omitempty"`
}

type codingFullOut struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

type codeableOut struct {
	Coding []codingFullOut `json:"coding"`
}

type referenceOut struct {
	Reference string `json:"reference"`
}

type componentOut struct {
	Code          codeableOut  `json:"code"`
	ValueQuantity *quantityOut `json:"valueQuantity,omitempty"`
}

type observationOut struct {
	ResourceType      string         `json:"resourceType"`
	ID                string         `json:"id"`
	Status            string         `json:"status"`
	Category          []codeableOut  `json:"category"`
	Code              codeableOut    `json:"code"`
	Subject           referenceOut   `json:"subject"`
	EffectiveDateTime string         `json:"effectiveDateTime"`
	ValueQuantity     *quantityOut   `json:"valueQuantity,omitempty"`
	Component         []componentOut `json:"component,omitempty"`
}

// vitalSigns is the category of every reported reading: FHIR's vital
// signs profile covers blood pressure, heart rate and weight, and a
// patient's own glucose meter reading sits with them.
var vitalSigns = codeableOut{Coding: []codingFullOut{{System: "http://terminology.hl7.org/CodeSystem/observation-category", Code: "vital-signs", Display: "Vital Signs"}}}

func valueQuantity(v float64, unit string) *quantityOut {
	return &quantityOut{Value: v, Unit: unit, System: ucumSystem, Code: unit}
}

func codeable(c rapport.Code) codeableOut {
	return codeableOut{Coding: []codingFullOut{{System: c.System, Code: c.Code, Display: c.Display}}}
}

// ObservationEntry returns o as a bundle entry: a final Observation of the
// patient, and the fullUrl base + "/Observation/" + id.
func ObservationEntry(o Observation, base string) (Entry, error) {
	if !ValidID(o.ID) || o.PatientID == "" || o.Code.Code == "" {
		return Entry{}, fmt.Errorf("observation %q: want a FHIR id, a patient and a code", o.ID)
	}
	out := observationOut{ResourceType: "Observation", ID: o.ID, Status: "final", Category: []codeableOut{vitalSigns}, Code: codeable(o.Code),
		Subject: referenceOut{Reference: "Patient/" + string(o.PatientID)}, EffectiveDateTime: o.Effective.UTC().Format(time.RFC3339)}
	if len(o.Components) == 0 {
		out.ValueQuantity = valueQuantity(o.Value, o.Unit)
	}
	for _, c := range o.Components {
		out.Component = append(out.Component, componentOut{Code: codeable(c.Code), ValueQuantity: valueQuantity(c.Value, c.Unit)})
	}
	res, err := json.Marshal(out)
	if err != nil {
		return Entry{}, fmt.Errorf("observation %s: %w", o.ID, err)
	}
	return Entry{FullURL: strings.TrimRight(base, "/") + "/Observation/" + o.ID, Resource: res}, nil
}
