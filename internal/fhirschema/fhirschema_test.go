package fhirschema

import "testing"

// TestRejects makes sure the schema check can fail at all.
func TestRejects(t *testing.T) {
	t.Parallel()
	for typ, doc := range map[string]string{
		"Patient":          `{"resourceType":"Patient","gender":7}`,
		"OperationOutcome": `{"resourceType":"OperationOutcome","issue":[{"severity":"bad"}]}`,
		"Bundle":           `{"resourceType":"Bundle","type":"bogus"}`,
	} {
		if Check(t, typ, []byte(doc)) == nil {
			t.Errorf("schema accepted invalid %s %s", typ, doc)
		}
	}
	if err := Check(t, "Patient", []byte(`{"resourceType":"Patient","gender":"female","birthDate":"1950-01-02"}`)); err != nil {
		t.Errorf("schema refused a valid Patient: %v", err)
	}
}
