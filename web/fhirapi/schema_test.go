package fhirapi_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The official FHIR R4 JSON schema, loaded as fhir/schema_test.go does
// (copied: test helpers cannot be imported across packages). It is the
// 4.0.0 build; patchFHIRVersion adds "4.0.1" to its fhirVersion enums.
const schemaFile = "../../fhir/testdata/fhir.schema.json.gz"

var (
	schemaOnce     sync.Once
	schemaCompiler *jsonschema.Compiler
	schemaErr      error
	schemaMu       sync.Mutex
	schemas        = map[string]*jsonschema.Schema{}
)

func fhirSchema(t *testing.T, typ string) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		f, err := os.Open(schemaFile)
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			schemaErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(zr)
		if err != nil {
			schemaErr = err
			return
		}
		if n := patchFHIRVersion(doc); n != 4 {
			schemaErr = fmt.Errorf("found %d fhirVersion enums, want 4", n)
			return
		}
		schemaCompiler = jsonschema.NewCompiler()
		schemaErr = schemaCompiler.AddResource("fhir.schema.json", doc)
	})
	if schemaErr != nil {
		t.Fatalf("load FHIR schema: %v", schemaErr)
	}
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemas[typ]; ok {
		return s
	}
	s, err := schemaCompiler.Compile("fhir.schema.json#/definitions/" + typ)
	if err != nil {
		t.Fatalf("compile FHIR schema for %s: %v", typ, err)
	}
	schemas[typ] = s
	return s
}

func patchFHIRVersion(doc any) int {
	n := 0
	switch v := doc.(type) {
	case map[string]any:
		for k, x := range v {
			if enum, ok := x.([]any); ok && k == "enum" && slices.Contains(enum, any("4.0.0")) {
				v[k] = append(enum, "4.0.1")
				n++
				continue
			}
			n += patchFHIRVersion(x)
		}
	case []any:
		for _, x := range v {
			n += patchFHIRVersion(x)
		}
	}
	return n
}

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
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not JSON: %v", head.ResourceType, err)
	}
	if err := fhirSchema(t, head.ResourceType).Validate(inst); err != nil {
		t.Errorf("%s is not valid FHIR R4: %v\n%s", head.ResourceType, err, data)
	}
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
		if fhirSchema(t, typ).Validate(inst) == nil {
			t.Errorf("schema accepted invalid %s %s", typ, doc)
		}
	}
}
