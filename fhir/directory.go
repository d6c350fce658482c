package fhir

import "github.com/rapporthq/rapport"

type practitionerJSON struct {
	ResourceType string         `json:"resourceType"`
	ID           string         `json:"id"`
	Identifier   []identifier   `json:"identifier"`
	Name         []humanName    `json:"name"`
	Telecom      []contactPoint `json:"telecom"`
}

// toDomain maps a Practitioner: identifiers (such as the NPI), the official
// (else first) name with its prefixes, and the first phone and email.
func (in *practitionerJSON) toDomain() *rapport.Practitioner {
	p := &rapport.Practitioner{Identifiers: identifiers(in.Identifier)}
	if n := pickName(in.Name); n != nil {
		p.Given, p.Family, p.Prefix = n.given(), n.Family, n.prefix()
	}
	p.Phone, p.Email = firstTelecom(in.Telecom, "phone"), firstTelecom(in.Telecom, "email")
	return p
}

type locationJSON struct {
	ResourceType string         `json:"resourceType"`
	ID           string         `json:"id"`
	Identifier   []identifier   `json:"identifier"`
	Name         string         `json:"name"`
	Telecom      []contactPoint `json:"telecom"`
	Address      *address       `json:"address"`
	Position     *struct {
		Longitude float64 `json:"longitude"`
		Latitude  float64 `json:"latitude"`
	} `json:"position"`
}

// toDomain maps a Location: identifiers, name, address, first phone and
// position.
func (in *locationJSON) toDomain() (*rapport.Location, error) {
	l := &rapport.Location{Identifiers: identifiers(in.Identifier), Name: in.Name, Address: in.Address.domain(), Phone: firstTelecom(in.Telecom, "phone")}
	if p := in.Position; p != nil {
		if p.Latitude < -90 || p.Latitude > 90 {
			return nil, errField("position.latitude", "%g is out of range", p.Latitude)
		}
		if p.Longitude < -180 || p.Longitude > 180 {
			return nil, errField("position.longitude", "%g is out of range", p.Longitude)
		}
		l.Latitude, l.Longitude = p.Latitude, p.Longitude
	}
	return l, nil
}

// firstTelecom returns the value of the first contact point of system (for
// "phone", "sms" counts too) that is not marked old.
func firstTelecom(in []contactPoint, system string) string {
	for _, t := range in {
		if t.Value != "" && t.Use != "old" && (t.System == system || system == "phone" && t.System == "sms") {
			return t.Value
		}
	}
	return ""
}
