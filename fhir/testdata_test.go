package fhir

import (
	"os"
	"testing"

	"github.com/rapporthq/rapport"
)

// TestTestdataBulk reads the small Synthea bulk sample shipped in testdata,
// so that the mapping of Synthea's conditional references is tested even
// where the shared data folder is absent.
func TestTestdataBulk(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/synthea-bulk.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	types := map[string]int{}
	err = ReadNDJSON(f, "synthea-bulk.ndjson", func(it Item) error {
		if it.Err != nil {
			t.Errorf("item error: %v", it.Err)
			return nil
		}
		types[it.ResourceType]++
		switch r := it.Record.(type) {
		case *rapport.Encounter:
			if it.Subject.ResourceID == "" {
				t.Errorf("%s: subject not resolved", it.Where())
			}
			if id := r.Practitioner.Identifier; id == nil || id.System != "http://hl7.org/fhir/sid/us-npi" || id.Value == "" {
				t.Errorf("%s: practitioner = %+v, want an NPI identifier ref", it.Where(), r.Practitioner)
			}
			if id := r.Location.Identifier; id == nil || id.System != "https://github.com/synthetichealth/synthea" || r.Location.Display == "" {
				t.Errorf("%s: location = %+v, want a Synthea identifier ref", it.Where(), r.Location)
			}
		case *rapport.MedicationRequest:
			if r.Practitioner.Identifier == nil || r.Dosage.Frequency == 0 || r.Medication.Code == "" || r.AuthoredOn.IsZero() {
				t.Errorf("%s: medication request = %+v", it.Where(), r)
			}
		case *rapport.Patient:
			if r.Family == "" || r.BirthDate == "" || len(r.Identifiers) < 4 || len(r.Contacts) == 0 || r.Language == "" {
				t.Errorf("%s: patient = %+v", it.Where(), r)
			}
		case *rapport.Location:
			if r.Name == "" || r.Latitude == 0 || r.Address.City == "" {
				t.Errorf("%s: location = %+v", it.Where(), r)
			}
		case *rapport.Practitioner:
			if r.Family == "" || r.Prefix == "" || len(r.Identifiers) == 0 {
				t.Errorf("%s: practitioner = %+v", it.Where(), r)
			}
		case nil:
			if Mapped(it.ResourceType) {
				t.Errorf("%s: no record for a mapped type", it.Where())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"Patient", "Encounter", "Condition", "MedicationRequest", "Practitioner", "Location", "Organization"} {
		if types[typ] == 0 {
			t.Errorf("no %s read from the sample: %v", typ, types)
		}
	}
}
