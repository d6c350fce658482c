package fhir

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/fhirschema"
)

func assertValid(t *testing.T, typ string, data []byte) {
	t.Helper()
	fhirschema.Assert(t, typ, data)
}

// syntheaPatient reads the Patient of the test bundle.
func syntheaPatient(t *testing.T) *rapport.Patient {
	t.Helper()
	f, err := os.Open("testdata/synthea-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p *rapport.Patient
	err = ReadBundle(f, "synthea-bundle.json", func(it Item) error {
		if it.Err != nil {
			t.Errorf("item error: %v", it.Err)
		}
		if rec, ok := it.Record.(*rapport.Patient); ok {
			p = rec
		}
		return nil
	})
	if err != nil || p == nil {
		t.Fatalf("read test bundle: %v, patient %v", err, p)
	}
	return p
}

func TestPatientResourceRoundTrip(t *testing.T) {
	t.Parallel()
	p := syntheaPatient(t)
	p.ID = "p-1"
	p.UpdatedAt = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	p.TimeZone = "America/Chicago"
	p.Rural = true
	no := false
	p.InternetAccess = &no
	p.Contacts = append(p.Contacts, rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "(555) 010-0000", Value: "+15550100000", Use: rapport.UseMobile, Rank: 1})
	data, err := PatientResource(p)
	if err != nil {
		t.Fatal(err)
	}
	assertValid(t, "Patient", data)

	// Reading the output back gives the same patient, contact points aside
	// (the output carries the normalised value, the input the raw one).
	var back *rapport.Patient
	err = ReadNDJSON(bytes.NewReader(data), "out.ndjson", func(it Item) error {
		if it.Err != nil {
			t.Fatal(it.Err)
		}
		back = it.Record.(*rapport.Patient)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if back.Name() != p.Name() || back.BirthDate != p.BirthDate || back.Sex != p.Sex || back.Language != p.Language ||
		back.TimeZone != p.TimeZone || back.Rural != p.Rural || back.InternetAccess == nil || *back.InternetAccess ||
		len(back.Identifiers) != len(p.Identifiers) || back.Address.City != p.Address.City || len(back.Contacts) != len(p.Contacts) {
		t.Errorf("round trip changed the patient:\n in  %+v\n out %+v", p, back)
	}
	if last := back.Contacts[len(back.Contacts)-1]; last.Raw != "+15550100000" {
		t.Errorf("telecom value = %q, want the normalised number", last.Raw)
	}
}

func TestPatientResourceRejectsBadID(t *testing.T) {
	t.Parallel()
	if _, err := PatientResource(&rapport.Patient{ID: "has space"}); err == nil {
		t.Error("PatientResource accepted an id with a space")
	}
}

func TestSearchsetBundleValid(t *testing.T) {
	t.Parallel()
	p := syntheaPatient(t)
	p.ID = "abc.1"
	e, err := PatientEntry(p, "https://rapport.example/fhir/R4/")
	if err != nil {
		t.Fatal(err)
	}
	if e.FullURL != "https://rapport.example/fhir/R4/Patient/abc.1" {
		t.Errorf("fullUrl = %q", e.FullURL)
	}
	for _, s := range []Searchset{
		{Self: "https://rapport.example/fhir/R4/Patient?phone=%2B15550100000", Total: 0},
		{Self: "https://rapport.example/fhir/R4/Patient?identifier=x|1", Next: "https://rapport.example/fhir/R4/Patient?identifier=x|1&_offset=1", Total: 2, Entries: []Entry{e}},
	} {
		data, err := SearchsetBundle(s)
		if err != nil {
			t.Fatal(err)
		}
		assertValid(t, "Bundle", data)
		// The bundle reads back as a searchset with its patient.
		n := 0
		if err := ReadBundle(bytes.NewReader(data), "search.json", func(it Item) error {
			if it.Err != nil || it.ID != "abc.1" {
				t.Errorf("entry read back as %+v", it)
			}
			n++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n != len(s.Entries) {
			t.Errorf("read %d entries back, want %d", n, len(s.Entries))
		}
	}
}

func TestOperationOutcomeValid(t *testing.T) {
	t.Parallel()
	for _, sev := range []string{"fatal", "error", "warning", "information"} {
		assertValid(t, "OperationOutcome", OperationOutcome(sev, "invalid", `entry 3: birthDate: "19x0" is not a FHIR date`))
	}
}

func TestCapabilityStatementValid(t *testing.T) {
	t.Parallel()
	c := ServerCapabilities(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "0.1.0", "https://rapport.example/fhir/R4")
	data, err := CapabilityStatement(c)
	if err != nil {
		t.Fatal(err)
	}
	assertValid(t, "CapabilityStatement", data)
	for _, want := range []string{`"fhirVersion":"4.0.1"`, `"kind":"instance"`, `"status":"active"`, `"date":"2026-11-25T00:00:00Z"`,
		`"type":"Patient"`, `{"code":"read"}`, `{"code":"search-type"}`, `"name":"identifier","type":"token"`, `"name":"phone","type":"token"`,
		`{"code":"transaction"}`, `{"code":"batch"}`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("capability statement lacks %s:\n%s", want, data)
		}
	}
	// Nothing beyond what is passed in.
	for _, not := range []string{"create", "update", "delete", "Encounter"} {
		if strings.Contains(string(data), not) {
			t.Errorf("capability statement claims %q:\n%s", not, data)
		}
	}
	bare, _ := CapabilityStatement(Capabilities{Date: c.Date})
	assertValid(t, "CapabilityStatement", bare)
}
