package fhir

import (
	"bufio"
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// readItems reads NDJSON text and returns its items.
func readItems(t *testing.T, name, doc string) []Item {
	t.Helper()
	var out []Item
	if err := ReadNDJSON(strings.NewReader(doc), name, func(it Item) error { out = append(out, it); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRelatedPersonMapping(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/related-persons.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	items := readItems(t, "related-persons.ndjson", string(data))
	if len(items) != 3 {
		t.Fatalf("%d items, want 3", len(items))
	}
	for _, it := range items {
		if it.Err != nil {
			t.Fatalf("%s: %v", it.Where(), it.Err)
		}
		if it.ResourceType != "RelatedPerson" || it.Subject.ResourceID != "p-ana" {
			t.Errorf("%s: type %s subject %+v", it.Where(), it.ResourceType, it.Subject)
		}
	}
	consentAt := time.Date(2026, 11, 2, 16, 15, 0, 0, time.UTC)
	want := []*rapport.Caregiver{
		{Identifiers: []rapport.Identifier{{System: "http://hospital.example/related", Value: "R-1001"}}, Given: "Rosa Elena", Family: "Núñez",
			Relationship: rapport.Code{System: rapport.RoleCodeSystem, Code: "DAU", Display: "daughter"},
			Contacts: []rapport.ContactPoint{
				{Kind: rapport.ContactPhone, Raw: "(512) 555-0142", Use: rapport.UseMobile, Rank: 1, Source: rapport.SourceImport},
				{Kind: rapport.ContactEmail, Raw: "rosa@example.org", Source: rapport.SourceImport}},
			Language: "es", Scope: rapport.ScopeConversation, Consent: rapport.ConsentGranted, ConsentAt: consentAt, ConsentSource: rapport.SourceImport,
			PeriodStart: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Given: "Jorge Núñez", Relationship: rapport.Code{System: rapport.RoleCodeSystem, Code: "HUSB", Display: "husband"},
			Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "+1 361 555 0188", Use: rapport.UseHome, Source: rapport.SourceImport}},
			Scope:    rapport.ScopeReminders, Consent: rapport.ConsentNotRecorded},
		{Given: "Pat", Relationship: rapport.Code{Display: "neighbour who drives her to the pharmacy"}, Scope: rapport.ScopeReminders,
			Consent: rapport.ConsentNotRecorded, PeriodStart: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
			RevokedBy: rapport.SourceImport, RevokeReason: inactiveReason},
	}
	for i, it := range items {
		got := it.Record.(*rapport.Caregiver)
		for _, tp := range []*time.Time{&got.ConsentAt, &got.PeriodStart, &got.PeriodEnd} {
			if !tp.IsZero() {
				*tp = tp.UTC() // offsets as written: compare instants
			}
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%s:\n got %+v\nwant %+v", it.Where(), got, want[i])
		}
	}
}

// TestRelatedPersonTestdataValid: the sample is valid FHIR R4, so the
// extensions rapport defines are shaped as FHIR requires.
func TestRelatedPersonTestdataValid(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/related-persons.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		assertValid(t, "RelatedPerson", bytes.Clone(sc.Bytes()))
	}
}

func TestRelatedPersonInBundle(t *testing.T) {
	t.Parallel()
	doc := `{"resourceType":"Bundle","type":"transaction","entry":[
	  {"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","id":"p1"}},
	  {"fullUrl":"urn:uuid:r1","resource":{"resourceType":"RelatedPerson","patient":{"reference":"urn:uuid:p1"},
	    "relationship":[{"coding":[{"system":"` + rapport.RoleCodeSystem + `","code":"GUARD"}]}],"name":[{"family":"Lee"}]}}]}`
	var got *rapport.Caregiver
	var subject rapport.Ref
	err := ReadBundle(strings.NewReader(doc), "b.json", func(it Item) error {
		if it.Err != nil {
			t.Errorf("%v", it.Err)
		}
		if c, ok := it.Record.(*rapport.Caregiver); ok {
			got, subject = c, it.Subject
		}
		return nil
	})
	if err != nil || got == nil {
		t.Fatalf("read: %v, caregiver %v", err, got)
	}
	if subject.ResourceID != "p1" || got.Relationship.Display != "guardian" || got.Family != "Lee" {
		t.Errorf("subject %+v, caregiver %+v", subject, got)
	}
}

func TestRelatedPersonErrors(t *testing.T) {
	t.Parallel()
	rel := `"relationship":[{"coding":[{"system":"` + rapport.RoleCodeSystem + `","code":"SON"}]}]`
	tests := map[string]string{
		`{"resourceType":"RelatedPerson",` + rel + `,"name":[{"family":"X"}]}`:                                                                                                                     `patient: no Patient reference`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Group/1"},` + rel + `,"name":[{"family":"X"}]}`:                                                                                   `patient: refers to a Group, not a Patient`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},"name":[{"family":"X"}]}`:                                                                                             `relationship: missing`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},` + rel + `}`:                                                                                                         `name: no name and no telecom`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},` + rel + `,"name":[{"family":"X"}],"period":{"start":"2025-02-01","end":"2025-01-01"}}`:                              `period.end: "2025-01-01" is before period.start`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},` + rel + `,"name":[{"family":"X"}],"period":{"start":"soon"}}`:                                                       `period.start: "soon" is not a FHIR dateTime`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},` + rel + `,"name":[{"family":"X"}],"communication":[{"language":{"text":"1"}}]}`:                                     `communication.language: "1" is not a BCP 47`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},` + rel + `,"name":[{"family":"X"}],"extension":[{"url":"` + ExtCaregiverScope + `","valueCode":"all"}]}`:             `extension[0].valueCode: "all" is not one of reminders, conversation`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},` + rel + `,"name":[{"family":"X"}],"extension":[{"url":"` + ExtCaregiverConsent + `","valueBoolean":true}]}`:         `extension[0]: ` + ExtCaregiverConsent + ` has no valueDateTime`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},` + rel + `,"name":[{"family":"X"}],"extension":[{"url":"` + ExtCaregiverConsent + `","valueDateTime":"yesterday"}]}`: `extension[0].valueDateTime: "yesterday" is not a FHIR dateTime`,
		`{"resourceType":"RelatedPerson","patient":{"reference":"Patient/1"},"relationship":{"text":"x"}}`:                                                                                         `relationship: got JSON object, want an array`,
	}
	for doc, want := range tests {
		items := readItems(t, "rp.ndjson", doc)
		if len(items) != 1 || items[0].Err == nil || items[0].Record != nil {
			t.Errorf("%s: no error", doc)
			continue
		}
		if msg := items[0].Err.Error(); !strings.HasPrefix(msg, "rp.ndjson line 1 (RelatedPerson") || !strings.Contains(msg, want) {
			t.Errorf("error %q does not name the line and say %q", msg, want)
		}
	}
}
