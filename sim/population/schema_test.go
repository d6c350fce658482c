package population

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The official FHIR R4 JSON schema, kept by package fhir's tests.
const schemaFile = "../../fhir/testdata/fhir.schema.json.gz"

// TestFHIRValidatesAgainstSchema checks the first lines of each generated
// FHIR file against the official R4 JSON schema.
func TestFHIRValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Skipf("SKIPPED: FHIR schema not found: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(zr)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("fhir.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	dir := shared(t)
	files, _ := filepath.Glob(filepath.Join(dir, FHIRDir, "*.ndjson"))
	for _, path := range files {
		typ := strings.TrimSuffix(filepath.Base(path), ".000.ndjson")
		s, err := c.Compile("fhir.schema.json#/definitions/" + typ)
		if err != nil {
			t.Fatal(err)
		}
		eachLine(t, path, func(n int, line []byte) {
			if n > 300 {
				return
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
			if err != nil {
				t.Fatalf("%s line %d: %v", typ, n, err)
			}
			if err := s.Validate(inst); err != nil {
				t.Fatalf("%s line %d is not valid FHIR R4: %v\n%s", typ, n, err, line)
			}
		})
	}
	// The check can fail.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"resourceType":"Patient","gender":7}`))
	s, _ := c.Compile("fhir.schema.json#/definitions/Patient")
	if s.Validate(bad) == nil {
		t.Error("schema accepted an invalid Patient")
	}
}
