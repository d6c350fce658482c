package importer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestOrderFHIRFiles: the files of a folder are imported with what others
// refer to first, whatever their names' order, so that no reference waits
// for a later file (each waiting reference is written twice).
func TestOrderFHIRFiles(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // file name → its first resource's type
		want  []string          // resource types in import order
	}{
		{
			name: "a bulk export, named alphabetically",
			files: map[string]string{
				"Condition.000.ndjson": "Condition", "Encounter.000.ndjson": "Encounter", "Location.000.ndjson": "Location",
				"MedicationDispense.000.ndjson": "MedicationDispense", "MedicationRequest.000.ndjson": "MedicationRequest",
				"Patient.000.ndjson": "Patient", "Practitioner.000.ndjson": "Practitioner",
			},
			want: []string{"Location", "Practitioner", "Patient", "MedicationRequest", "Condition", "Encounter", "MedicationDispense"},
		},
		{
			name: "bundles after the resources they may refer to, before other files",
			files: map[string]string{
				"a.json": "Bundle", "b.ndjson": "MedicationDispense", "c.ndjson": "MedicationRequest", "d.ndjson": "Organization",
			},
			want: []string{"Organization", "MedicationRequest", "Bundle", "MedicationDispense"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, typ := range tt.files {
				body := `{"resourceType":"` + typ + `","id":"x"}` + "\n"
				if typ == "Bundle" {
					body = `{"resourceType":"Bundle","type":"collection","entry":[]}`
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			files, err := (&Importer{}).orderFHIRFiles([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				got = append(got, f.format.ResourceType)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("import order %v, want %v", got, tt.want)
			}
		})
	}
}
