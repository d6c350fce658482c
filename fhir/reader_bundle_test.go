package fhir

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

const testBundle = `{
  "resourceType": "Bundle", "type": "transaction",
  "entry": [
    {"fullUrl": "urn:uuid:e1", "resource": {"resourceType": "Encounter", "id": "e1", "status": "finished",
      "class": {"code": "AMB"}, "type": [{"coding": [{"system": "http://snomed.info/sct", "code": "185349003", "display": "Check up"}]}],
      "subject": {"reference": "urn:uuid:p1"},
      "participant": [{"individual": {"reference": "RelatedPerson/r"}}, {"individual": {"reference": "urn:uuid:pr1", "display": "Dr. Who"}}],
      "period": {"start": "2024-05-01T09:00:00-05:00", "end": "2024-05-01T09:30:00-05:00"},
      "location": [{"location": {"reference": "urn:uuid:loc1"}}]},
     "request": {"method": "POST", "url": "Encounter"}},
    {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "name": [{"family": "Ng", "given": ["Ann"]}]},
     "request": {"method": "POST", "url": "Patient"}},
    {"fullUrl": "urn:uuid:pr1", "resource": {"resourceType": "Practitioner", "id": "pr-1",
      "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "160"}],
      "name": [{"family": "Hilpert", "given": ["Sharyl"], "prefix": ["Dr."]}],
      "telecom": [{"system": "email", "value": "s@example.com"}, {"system": "phone", "value": "555-0100"}]}},
    {"fullUrl": "urn:uuid:c1", "resource": {"resourceType": "Condition", "id": "c1", "subject": {"reference": "urn:uuid:missing"}}},
    {"request": {"method": "DELETE", "url": "Patient/old"}},
    {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Basic", "id": "dup"}},
    {"fullUrl": "urn:uuid:m1", "resource": {"resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
      "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril 10 MG"}]},
      "subject": {"reference": "urn:uuid:p1"}, "authoredOn": "2024-05-01", "requester": {"reference": "urn:uuid:pr1"},
      "dosageInstruction": [{"text": "1 tablet daily", "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d", "timeOfDay": ["08:00:00", "20:00:00"]}},
        "asNeededBoolean": false, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet"}}]}],
      "dispenseRequest": {"numberOfRepeatsAllowed": 3, "quantity": {"value": 60}, "expectedSupplyDuration": {"value": 4, "unit": "weeks", "code": "wk"}}}},
    {"fullUrl": "urn:uuid:a1", "resource": {"resourceType": "Appointment", "id": "a1", "status": "booked", "description": "Follow-up",
      "serviceType": [{"coding": [{"code": "124"}], "text": "General practice"}], "start": "2024-06-01T10:00:00Z", "end": "2024-06-01T10:20:00Z",
      "participant": [{"actor": {"reference": "urn:uuid:loc1"}}, {"actor": {"reference": "urn:uuid:p1"}}, {"actor": {"reference": "urn:uuid:pr1"}}]}},
    {"fullUrl": "urn:uuid:d1", "resource": {"resourceType": "MedicationDispense", "id": "d1", "status": "completed",
      "medicationReference": {"reference": "#med", "display": "Lisinopril"}, "subject": {"reference": "urn:uuid:p1"},
      "authorizingPrescription": [{"reference": "urn:uuid:m1"}], "quantity": {"value": 30}, "daysSupply": {"value": 30, "code": "d"},
      "whenPrepared": "2024-05-02", "whenHandedOver": "2024-05-02T15:00:00Z"}},
    {"fullUrl": "urn:uuid:loc1", "resource": {"resourceType": "Location", "id": "loc1", "name": "Clinic",
      "address": {"line": ["1 Main St"], "city": "Salem", "state": "MA"}, "telecom": [{"system": "phone", "value": "9787411215"}],
      "position": {"latitude": 42.5, "longitude": -70.9}}}
  ]
}`

func readBundleString(t *testing.T, s string) ([]Item, error) {
	t.Helper()
	var items []Item
	err := ReadBundle(strings.NewReader(s), "bundle.json", func(it Item) error {
		items = append(items, it)
		return nil
	})
	return items, err
}

func TestReadBundle(t *testing.T) {
	t.Parallel()
	items, err := readBundleString(t, testBundle)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 10 {
		t.Fatalf("got %d items, want 10", len(items))
	}
	for i, it := range items {
		if it.Entry != i || it.Line != 0 || it.Name != "bundle.json" {
			t.Errorf("item %d is at %s", i, it.Where())
		}
	}
	patient := rapport.Ref{ResourceID: "p1"}

	// A forward reference to a patient with no id resolves to the uuid of its fullUrl.
	enc, ok := items[0].Record.(*rapport.Encounter)
	if !ok || items[0].Subject != patient {
		t.Fatalf("entry 0 = %+v", items[0])
	}
	if enc.Status != "finished" || enc.Class != "AMB" || enc.Type.Code != "185349003" ||
		!enc.Start.Equal(time.Date(2024, 5, 1, 14, 0, 0, 0, time.UTC)) || enc.End.Sub(enc.Start) != 30*time.Minute ||
		enc.Practitioner != (rapport.Ref{ResourceID: "pr-1", Display: "Dr. Who"}) || enc.Location != (rapport.Ref{ResourceID: "loc1"}) {
		t.Errorf("encounter = %+v", enc)
	}
	if p, ok := items[1].Record.(*rapport.Patient); !ok || items[1].ID != "p1" || p.Name() != "Ann Ng" {
		t.Errorf("entry 1 = %+v", items[1])
	}
	if pr, ok := items[2].Record.(*rapport.Practitioner); !ok || pr.Prefix != "Dr." || pr.Given != "Sharyl" || pr.Phone != "555-0100" ||
		pr.Email != "s@example.com" || len(pr.Identifiers) != 1 || pr.Identifiers[0].Value != "160" {
		t.Errorf("entry 2 = %+v", items[2].Record)
	}
	wantErr := map[int]string{
		3: `bundle.json entry 3 (Condition/c1): subject: "urn:uuid:missing" is not the fullUrl of any entry in this bundle`,
		5: `bundle.json entry 5 (Basic/dup): entry[5].fullUrl: "urn:uuid:p1" is also the fullUrl of entry 1`,
	}
	for i, it := range items {
		if w, bad := wantErr[i]; bad != (it.Err != nil) || bad && it.Err.Error() != w {
			t.Errorf("entry %d: err = %v, want %q", i, it.Err, w)
		}
	}
	if it := items[4]; it.Record != nil || it.Err != nil || it.ResourceType != "Patient" || it.ID != "old" || !it.Deleted {
		t.Errorf("DELETE entry = %+v, want Patient/old deleted", it)
	}

	m, ok := items[6].Record.(*rapport.MedicationRequest)
	if !ok || items[6].Subject != patient {
		t.Fatalf("entry 6 = %+v", items[6])
	}
	wantDosage := rapport.Dosage{Text: "1 tablet daily", Frequency: 2, Period: 1, PeriodUnit: "d", TimesOfDay: []string{"08:00", "20:00"}, DoseValue: 1, DoseUnit: "tablet"}
	if m.Medication.Code != "314076" || m.Status != "active" || m.Intent != "order" || m.DaysSupply != 28 || m.Refills != 3 || m.Quantity != 60 ||
		m.Practitioner.ResourceID != "pr-1" || !m.AuthoredOn.Equal(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)) ||
		m.Dosage.Text != wantDosage.Text || m.Dosage.Frequency != 2 || m.Dosage.PeriodUnit != "d" || strings.Join(m.Dosage.TimesOfDay, ",") != "08:00,20:00" ||
		m.Dosage.DoseValue != 1 || m.Dosage.DoseUnit != "tablet" {
		t.Errorf("medication request = %+v", m)
	}
	a, ok := items[7].Record.(*rapport.Appointment)
	if !ok || items[7].Subject != patient || a.Practitioner.ResourceID != "pr-1" || a.Location.ResourceID != "loc1" ||
		a.ServiceType != (rapport.Code{Code: "124", Display: "General practice"}) || a.Description != "Follow-up" || a.End.Sub(a.Start) != 20*time.Minute {
		t.Errorf("appointment = %+v %+v", items[7], a)
	}
	d, ok := items[8].Record.(*rapport.MedicationDispense)
	if !ok || items[8].Subject != patient || d.Request.ResourceID != "m1" || d.Medication.Display != "Lisinopril" || d.Quantity != 30 ||
		d.DaysSupply != 30 || d.Prepared.IsZero() || d.HandedOver.Hour() != 15 {
		t.Errorf("dispense = %+v", d)
	}
	l, ok := items[9].Record.(*rapport.Location)
	if !ok || l.Name != "Clinic" || l.Address.City != "Salem" || l.Phone != "9787411215" || l.Latitude != 42.5 || l.Longitude != -70.9 {
		t.Errorf("location = %+v", items[9].Record)
	}
}

func TestReadBundleRejectsFile(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"resourceType":"Bundle","type":"document","entry":[]}`: `bundle.json (Bundle): type: "document" is not one of collection, transaction, batch, searchset`,
		`{"resourceType":"Patient"}`:                             `bundle.json (Bundle): resourceType: "Patient" is not Bundle`,
		`{"resourceType":"Bundle",`:                              `bundle.json (Bundle): not valid JSON`,
		`{"resourceType":"Bundle","type":"batch","entry":{}}`:    `bundle.json (Bundle): entry: got JSON object, want an array`,
	} {
		items, err := readBundleString(t, in)
		var ie *ItemError
		if len(items) != 0 || !errors.As(err, &ie) || ie.Entry != -1 || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %d items, err %v; want %q", in, len(items), err, want)
		}
	}
}

func TestReadBundleEntryErrors(t *testing.T) {
	t.Parallel()
	items, err := readBundleString(t, `{"resourceType":"Bundle","type":"collection","entry":[
		{"fullUrl": 7},
		{"resource": {"resourceType": "Patient", "id": 5}},
		{"resource": {"resourceType": "patient"}},
		{"resource": {"resourceType": "Patient", "id": "g", "gender": "robot"}},
		{"resource": null},
		{"fullUrl": "urn:uuid:q", "resource": {"resourceType": "Encounter", "subject": {"reference": "Group/1"}}}
	]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`bundle.json entry 0: entry[0].fullUrl: got JSON number, want a string`,
		`bundle.json entry 1: entry[1].resource.id: got JSON number, want a string`,
		`bundle.json entry 2: entry[2].resource.resourceType: "patient" is not a FHIR resource type`,
		`bundle.json entry 3 (Patient/g): gender: "robot" is not one of male, female, other, unknown`,
		``,
		`bundle.json entry 5 (Encounter/q): subject: refers to a Group, not a Patient`,
	}
	for i, it := range items {
		got := ""
		if it.Err != nil {
			got = it.Err.Error()
		}
		if got != want[i] || (it.Err != nil) == (it.Record != nil) && it.Err != nil {
			t.Errorf("entry %d: err = %q, want %q", i, got, want[i])
		}
	}
}
