package fhir

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

// mapPatient reads one Patient JSON through both decoders.
func mapPatient(t *testing.T, doc string) (*rapport.Patient, error) {
	t.Helper()
	for _, fast := range []bool{true, false} {
		var in patientJSON
		if fast && !in.decodeFast([]byte(doc)) {
			continue
		}
		if !fast {
			if err := json.Unmarshal([]byte(doc), &in); err != nil {
				t.Fatal(err)
			}
		}
		p, err := in.toDomain()
		if fast {
			decodeBoth(t, []byte(doc))
		}
		return p, err
	}
	panic("unreachable")
}

func TestPatientMapping(t *testing.T) {
	t.Parallel()
	p, err := mapPatient(t, `{"resourceType":"Patient","id":"x",
	  "extension":[{"url":"`+ExtPatientTimezone+`","valueCode":"America/Chicago"},{"url":"`+ExtRural+`","valueBoolean":true},
	    {"url":"`+ExtInternetAccess+`","valueBoolean":false},{"url":"http://other","valueString":"ignored"}],
	  "identifier":[{"type":{"coding":[{"code":"MR"}]},"system":"http://hospital","value":"123"},{"system":"no-value"},{"system":"http://hl7.org/fhir/sid/us-ssn","value":"999-1"}],
	  "name":[{"use":"nickname","given":["Bob"]},{"use":"official","family":"Smith","given":["Robert","James"],"prefix":["Mr."]}],
	  "telecom":[{"system":"phone","value":"555-806-9773","use":"home"},{"system":"fax","value":"1"},{"system":"sms","value":"+1 555 0100","use":"mobile","rank":1},
	    {"system":"email","value":"Bob@Example.com","use":"work"},{"system":"phone","value":"000","use":"old"},{"system":"phone"}],
	  "gender":"male","birthDate":"1943-03",
	  "deceasedDateTime":"2020-01-01T00:00:00Z",
	  "address":[{"line":["1 Main St","Apt 2"],"city":"Salem","district":"Essex","state":"MA","postalCode":"01970","country":"US"},{"city":"Other"}],
	  "communication":[{"language":{"coding":[{"code":"en-US"}]}},{"language":{"coding":[{"code":"es"}]},"preferred":true}]}`)
	if err != nil {
		t.Fatal(err)
	}
	no := false
	want := &rapport.Patient{
		Identifiers: []rapport.Identifier{{System: "http://hospital", Value: "123", Type: "MR"}, {System: "http://hl7.org/fhir/sid/us-ssn", Value: "999-1"}},
		Given:       "Robert James", Family: "Smith", BirthDate: "1943-03", Sex: rapport.SexMale, Language: "es",
		TimeZone: "America/Chicago", Rural: true, RuralStated: true, InternetAccess: &no, Deceased: true,
		Address: rapport.Address{Lines: []string{"1 Main St", "Apt 2"}, City: "Salem", District: "Essex", State: "MA", PostalCode: "01970", Country: "US"},
		Contacts: []rapport.ContactPoint{
			{Kind: rapport.ContactPhone, Raw: "555-806-9773", Use: rapport.UseHome, Source: rapport.SourceImport},
			{Kind: rapport.ContactPhone, Raw: "+1 555 0100", Use: rapport.UseMobile, Rank: 1, Source: rapport.SourceImport},
			{Kind: rapport.ContactEmail, Raw: "Bob@Example.com", Use: rapport.UseWork, Source: rapport.SourceImport},
		},
	}
	got, _ := json.Marshal(p)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("patient:\n got  %s\n want %s", got, exp)
	}
}

func TestPatientMappingErrors(t *testing.T) {
	t.Parallel()
	for doc, want := range map[string]string{
		`{"resourceType":"Patient","birthDate":"19x0"}`:                                                     `birthDate: "19x0" is not a FHIR date`,
		`{"resourceType":"Patient","birthDate":"1990-01-01T00:00:00Z"}`:                                     `birthDate: "1990-01-01T00:00:00Z" is not a FHIR date`,
		`{"resourceType":"Patient","gender":"M"}`:                                                           `gender: "M" is not one of`,
		`{"resourceType":"Patient","deceasedDateTime":"yesterday"}`:                                         `deceasedDateTime: "yesterday" is not a FHIR dateTime`,
		`{"resourceType":"Patient","communication":[{"language":{"coding":[{"code":"e1"}]}}]}`:              `communication.language: "e1" is not a BCP 47 language tag`,
		`{"resourceType":"Patient","extension":[{"url":"` + ExtTimezone + `","valueCode":"Mars/Olympus"}]}`: `extension(` + ExtTimezone + `): "Mars/Olympus" is not an IANA time zone`,
		`{"resourceType":"Patient","extension":[{"url":"` + ExtRural + `","valueString":"yes"}]}`:           `extension(` + ExtRural + `): has no valueBoolean`,
		`{"resourceType":"Patient","extension":[{"url":"` + ExtPatientTimezone + `","valueString":"UTC"}]}`: `has no valueCode`,
		`{"resourceType":"Patient","extension":[{"url":"` + ExtInternetAccess + `","valueBoolean":null}]}`:  `has no valueBoolean`,
	} {
		_, err := mapPatient(t, doc)
		if err == nil || !strings.HasPrefix(err.Error(), want) && !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", doc, err, want)
		}
	}
}

func TestPatientDeceasedBoolean(t *testing.T) {
	t.Parallel()
	for doc, want := range map[string]bool{
		`{"resourceType":"Patient","deceasedBoolean":true}`:  true,
		`{"resourceType":"Patient","deceasedBoolean":false}`: false,
		`{"resourceType":"Patient"}`:                         false,
	} {
		if p, err := mapPatient(t, doc); err != nil || p.Deceased != want {
			t.Errorf("%s: deceased = %v, %v", doc, p.Deceased, err)
		}
	}
}
