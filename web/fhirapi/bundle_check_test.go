package fhirapi

import "testing"

// Bundles of patients alone are the ones imported together with others.
func TestCheckBundlePatientsOnly(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       bool
	}{
		{"one patient", `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient","id":"a"},"request":{"method":"PUT","url":"Patient/a"}}]}`, true},
		{"two patients", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Patient"}}]}`, true},
		{"a patient and an encounter", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Encounter"}}]}`, false},
		{"a prescription", `{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"MedicationRequest"}}]}`, false},
		{"no entries", `{"resourceType":"Bundle","type":"collection","entry":[]}`, false},
		{"an entry without a resource", `{"resourceType":"Bundle","type":"collection","entry":[{"request":{"method":"POST"}}]}`, false},
		{"a resource type that is not a string", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":7}}]}`, false},
	} {
		got, err := checkBundle([]byte(tc.body))
		if err != nil || got != tc.want {
			t.Errorf("%s: patients only %v (error %v), want %v", tc.name, got, err, tc.want)
		}
	}
}
