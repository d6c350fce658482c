package fhir

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

// checkItemError asserts that an item's error is an *ItemError that names
// the file and the item's line or entry.
func checkItemError(t *testing.T, it Item) {
	t.Helper()
	if it.Err == nil {
		return
	}
	var ie *ItemError
	if !errors.As(it.Err, &ie) {
		t.Fatalf("item error %T is not an *ItemError: %v", it.Err, it.Err)
	}
	prefix := fmt.Sprintf("%s entry %d", it.Name, it.Entry)
	if it.Line > 0 {
		prefix = fmt.Sprintf("%s line %d", it.Name, it.Line)
	}
	if !strings.HasPrefix(it.Err.Error(), prefix) || ie.Line != it.Line || (it.Line == 0 && ie.Entry != it.Entry) {
		t.Fatalf("item error %q does not start with %q", it.Err, prefix)
	}
	if it.Record != nil {
		t.Fatalf("item with an error has a record: %v", it.Err)
	}
}

func FuzzReadNDJSON(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Patient","id":"a","birthDate":"1990"}` + "\n\n" + `{"resourceType":"Encounter","subject":{"reference":"Patient/a"}}`))
	f.Add([]byte(`{"resourceType":"MedicationRequest","subject":{"reference":"urn:uuid:1"},"dosageInstruction":[{"timing":{"repeat":{"timeOfDay":["25:00:00"]}}}]}`))
	f.Add([]byte(`{"resourceType":"Appointment","participant":[{"actor":{"reference":"Patient?identifier=a|b"}}],"start":"2024-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"resourceType":"MedicationDispense","subject":{"reference":"Patient/1"},"daysSupply":{"value":1e300,"unit":"a"}}`))
	f.Add([]byte(`{"resourceType":"Location","position":{"latitude":91}}` + "\r\n" + `{"resourceType":"Condition","subject":{"reference":"Group/1"}}`))
	f.Add([]byte(`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},"relationship":[{"coding":[{"system":"` + rapport.RoleCodeSystem + `","code":"DAU"}]}],"name":[{"text":"R"}],"active":false,"extension":[{"url":"` + ExtCaregiverConsent + `","valueDateTime":"2026-01-01"},{"url":"` + ExtCaregiverScope + `","valueCode":"conversation"}]}`))
	for _, path := range []string{"testdata/synthea-bulk.ndjson", "testdata/related-persons.ndjson"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := 0
		err := ReadNDJSON(bytes.NewReader(data), "fuzz.ndjson", func(it Item) error {
			if it.Line <= lines || it.Name != "fuzz.ndjson" {
				t.Fatalf("item at line %d after line %d", it.Line, lines)
			}
			lines = it.Line
			checkItemError(t, it)
			checkCaregiver(t, it)
			return nil
		})
		if err != nil {
			t.Fatalf("ReadNDJSON failed on in-memory input: %v", err)
		}
	})
}

// checkCaregiver asserts what the importer relies on of a mapped
// RelatedPerson: a patient, a known scope and consent, a consent with its
// time, and someone to contact or name.
func checkCaregiver(t *testing.T, it Item) {
	t.Helper()
	c, ok := it.Record.(*rapport.Caregiver)
	if !ok {
		return
	}
	if it.Subject.IsZero() {
		t.Fatalf("%s: caregiver without a patient", it.Where())
	}
	if c.Scope != rapport.ScopeReminders && c.Scope != rapport.ScopeConversation {
		t.Fatalf("%s: scope %q", it.Where(), c.Scope)
	}
	if (c.Consent == rapport.ConsentGranted) == c.ConsentAt.IsZero() || c.Consent != rapport.ConsentGranted && c.Consent != rapport.ConsentNotRecorded {
		t.Fatalf("%s: consent %q at %v", it.Where(), c.Consent, c.ConsentAt)
	}
	if c.Name() == "" && len(c.Contacts) == 0 || c.Relationship == (rapport.Code{}) {
		t.Fatalf("%s: caregiver %+v has no name, contact or relationship", it.Where(), c)
	}
}

func FuzzReadBundle(f *testing.F) {
	f.Add([]byte(testBundle))
	f.Add([]byte(`{"resourceType":"Bundle","type":"searchset","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Encounter","subject":{"reference":"urn:uuid:1"}}}]}`))
	f.Add([]byte(`{"resourceType":"Bundle","type":"batch","entry":[{"fullUrl":"x","resource":null},{"fullUrl":"x","resource":{"resourceType":"Basic"}}]}`))
	f.Add([]byte(`{"resourceType":"Bundle","type":"history"}`))
	f.Add([]byte(`{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"RelatedPerson","patient":{"reference":"urn:uuid:p"},"relationship":[{"text":"aunt"}],"telecom":[{"system":"sms","value":"1"}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		next := 0
		err := ReadBundle(bytes.NewReader(data), "fuzz.json", func(it Item) error {
			if it.Entry != next || it.Line != 0 || it.Name != "fuzz.json" {
				t.Fatalf("item at entry %d, want %d", it.Entry, next)
			}
			next++
			checkItemError(t, it)
			checkCaregiver(t, it)
			return nil
		})
		if err != nil {
			var ie *ItemError
			if !errors.As(err, &ie) || ie.Entry != -1 || !strings.HasPrefix(err.Error(), "fuzz.json (Bundle): ") || next != 0 {
				t.Fatalf("bundle error %q does not name the file", err)
			}
		}
	})
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Bundle"}`))
	f.Add([]byte(`{"a":[{"b":{}}],"resourceType":"Patient"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := Sniff(bytes.NewReader(data))
		if err != nil && !errors.Is(err, ErrNotFHIR) {
			t.Fatalf("Sniff on in-memory input: %v", err)
		}
		if err == nil && format.Kind == KindBundle && format.ResourceType != "Bundle" {
			t.Fatalf("bundle of type %q", format.ResourceType)
		}
	})
}
