package population

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/fhirschema"
)

// TestFHIRValidatesAgainstSchema checks the first lines of each generated
// FHIR file against the official R4 JSON schema.
func TestFHIRValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	dir := shared(t)
	files, _ := filepath.Glob(filepath.Join(dir, FHIRDir, "*.ndjson"))
	if len(files) == 0 {
		t.Fatal("no FHIR files generated")
	}
	for _, path := range files {
		typ := strings.TrimSuffix(filepath.Base(path), ".000.ndjson")
		eachLine(t, path, func(n int, line []byte) {
			if n > 300 {
				return
			}
			if err := fhirschema.Check(t, typ, line); err != nil {
				t.Fatalf("%s line %d is not valid FHIR R4: %v\n%s", typ, n, err, line)
			}
		})
	}
}
