package journey_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport/journey"
)

// FuzzParse feeds journey files to the parser: it must never panic, and
// every error it returns must be FieldErrors naming the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(validJourney))
	paths, _ := filepath.Glob("../journeys/*.yaml")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("id: x\nversion: 1\ntrigger: {campaign: true}\nsteps:\n  - id: a\n    delay: {for: 3x}\n"))
	f.Add([]byte("steps: [{id: a, next: a}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := journey.Parse("fuzz.yaml", data)
		if err == nil {
			if d == nil || d.ID == "" || len(d.Steps) == 0 {
				t.Fatalf("a valid journey without id or steps: %+v", d)
			}
			return
		}
		var fe *journey.FieldError
		if !errors.As(err, &fe) || fe.File != "fuzz.yaml" {
			t.Fatalf("error %v is not a FieldError of fuzz.yaml", err)
		}
	})
}
