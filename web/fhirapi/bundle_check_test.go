package fhirapi

import (
	"slices"
	"testing"
)

// The entries' resource types decide whether a Bundle is imported together
// with others (importer.Together).
func TestCheckBundleTypes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"one patient", `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient","id":"a"},"request":{"method":"PUT","url":"Patient/a"}}]}`, []string{"Patient"}},
		{"a patient and an encounter", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Encounter"}}]}`, []string{"Patient", "Encounter"}},
		{"no entries", `{"resourceType":"Bundle","type":"collection","entry":[]}`, []string{}},
		{"an entry without a resource", `{"resourceType":"Bundle","type":"collection","entry":[{"request":{"method":"POST"}}]}`, []string{""}},
		{"a resource type that is not a string", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":7}}]}`, []string{""}},
	} {
		got, err := checkBundle([]byte(tc.body))
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: types %q (error %v), want %q", tc.name, got, err, tc.want)
		}
	}
}
