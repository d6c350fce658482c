package fhirapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/fhirschema"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// assertFHIR checks that data is a valid FHIR R4 resource, of the type it
// names, and returns that type.
func assertFHIR(t *testing.T, data []byte) string {
	t.Helper()
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.ResourceType == "" {
		t.Fatalf("answer is not a FHIR resource (%v):\n%s", err, data)
	}
	fhirschema.Assert(t, head.ResourceType, data)
	return head.ResourceType
}

// TestSchemaRejects makes sure the schema check can fail at all.
func TestSchemaRejects(t *testing.T) {
	t.Parallel()
	for typ, doc := range map[string]string{
		"OperationOutcome":    `{"resourceType":"OperationOutcome","issue":[{"severity":"bad","code":"invalid"}]}`,
		"Bundle":              `{"resourceType":"Bundle","type":"bogus"}`,
		"CapabilityStatement": `{"resourceType":"CapabilityStatement","status":"bogus","kind":"instance"}`,
	} {
		inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if fhirschema.Schema(t, typ).Validate(inst) == nil {
			t.Errorf("schema accepted invalid %s %s", typ, doc)
		}
	}
}
