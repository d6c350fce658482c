package fhir

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

type codingOut struct {
	System string `json:"system,omitempty"`
	Code   string `json:"code,omitempty"`
}

type conceptOut struct {
	Coding []codingOut `json:"coding,omitempty"`
}

type identifierOut struct {
	Type   *conceptOut `json:"type,omitempty"`
	System string      `json:"system,omitempty"`
	Value  string      `json:"value"`
}

type nameOut struct {
	Use    string   `json:"use,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
}

type telecomOut struct {
	System string `json:"system"`
	Value  string `json:"value"`
	Use    string `json:"use,omitempty"`
	Rank   int    `json:"rank,omitempty"`
}

type addressOut struct {
	Line       []string `json:"line,omitempty"`
	City       string   `json:"city,omitempty"`
	District   string   `json:"district,omitempty"`
	State      string   `json:"state,omitempty"`
	PostalCode string   `json:"postalCode,omitempty"`
	Country    string   `json:"country,omitempty"`
}

type extensionOut struct {
	URL          string `json:"url"`
	ValueCode    string `json:"valueCode,omitempty"`
	ValueBoolean *bool  `json:"valueBoolean,omitempty"`
}

type metaOut struct {
	LastUpdated string `json:"lastUpdated"`
}

type patientOut struct {
	ResourceType    string          `json:"resourceType"`
	ID              string          `json:"id,omitempty"`
	Meta            *metaOut        `json:"meta,omitempty"`
	Extension       []extensionOut  `json:"extension,omitempty"`
	Identifier      []identifierOut `json:"identifier,omitempty"`
	Name            []nameOut       `json:"name,omitempty"`
	Telecom         []telecomOut    `json:"telecom,omitempty"`
	Gender          string          `json:"gender,omitempty"`
	BirthDate       string          `json:"birthDate,omitempty"`
	DeceasedBoolean *bool           `json:"deceasedBoolean,omitempty"`
	Address         []addressOut    `json:"address,omitempty"`
	Communication   []struct {
		Language  conceptOut `json:"language"`
		Preferred bool       `json:"preferred"`
	} `json:"communication,omitempty"`
}

// identifierTypeSystem is the code system of the identifier type codes
// rapport reads (MR, SS, DL, PPN, …).
const identifierTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203"

// PatientResource returns p as FHIR R4 Patient JSON: id, identifiers (with
// their type code), the official name, telecom from the phone and email
// contact points (the normalised value when there is one, else the raw
// value), gender, birthDate, address, preferred communication language,
// deceasedBoolean when deceased, the timezone, rural and internet-access
// extensions, and meta.lastUpdated from UpdatedAt. It fails when p.ID is
// not a valid FHIR id (1–64 of A–Z, a–z, 0–9, '-', '.').
func PatientResource(p *rapport.Patient) ([]byte, error) {
	if !ValidID(string(p.ID)) {
		return nil, fmt.Errorf("patient id %q is not a FHIR id", p.ID)
	}
	out := patientOut{ResourceType: "Patient", ID: string(p.ID), Gender: string(p.Sex), BirthDate: p.BirthDate}
	if !p.UpdatedAt.IsZero() {
		out.Meta = &metaOut{LastUpdated: p.UpdatedAt.UTC().Format(time.RFC3339Nano)}
	}
	if p.TimeZone != "" {
		out.Extension = append(out.Extension, extensionOut{URL: ExtTimezone, ValueCode: p.TimeZone})
	}
	if p.Rural {
		out.Extension = append(out.Extension, extensionOut{URL: ExtRural, ValueBoolean: &p.Rural})
	}
	if p.InternetAccess != nil {
		out.Extension = append(out.Extension, extensionOut{URL: ExtInternetAccess, ValueBoolean: p.InternetAccess})
	}
	for _, id := range p.Identifiers {
		o := identifierOut{System: id.System, Value: id.Value}
		if id.Type != "" {
			o.Type = &conceptOut{Coding: []codingOut{{System: identifierTypeSystem, Code: id.Type}}}
		}
		out.Identifier = append(out.Identifier, o)
	}
	if p.Given != "" || p.Family != "" {
		out.Name = []nameOut{{Use: "official", Family: p.Family, Given: strings.Fields(p.Given)}}
	}
	for _, c := range p.Contacts {
		if t, ok := telecom(c); ok {
			out.Telecom = append(out.Telecom, t)
		}
	}
	if p.Deceased {
		out.DeceasedBoolean = &p.Deceased
	}
	if a := p.Address; !a.IsZero() {
		out.Address = []addressOut{{Line: a.Lines, City: a.City, District: a.District, State: a.State, PostalCode: a.PostalCode, Country: a.Country}}
	}
	if p.Language != "" {
		out.Communication = append(out.Communication, struct {
			Language  conceptOut `json:"language"`
			Preferred bool       `json:"preferred"`
		}{Language: conceptOut{Coding: []codingOut{{System: "urn:ietf:bcp:47", Code: p.Language}}}, Preferred: true})
	}
	return json.Marshal(out)
}

func telecom(c rapport.ContactPoint) (telecomOut, bool) {
	t := telecomOut{Value: c.Value, Use: string(c.Use), Rank: max(c.Rank, 0)}
	switch c.Kind {
	case rapport.ContactPhone:
		t.System = "phone"
	case rapport.ContactEmail:
		t.System = "email"
	default:
		return t, false
	}
	if t.Value == "" {
		t.Value = c.Raw
	}
	return t, t.Value != ""
}

// ValidID reports whether s is a FHIR resource id: 1 to 64 of A–Z, a–z,
// 0–9, '-' and '.'.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
