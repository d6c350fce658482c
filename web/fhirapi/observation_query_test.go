package fhirapi

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
)

// FuzzObservationPatient: whatever query string a client sends, the
// patient parameter is read without panic, and what it yields is one
// valid FHIR id (a "Patient/" prefix taken off) or an EINVALID error.
func FuzzObservationPatient(f *testing.F) {
	for _, s := range []string{"patient=abc", "patient=Patient/abc", "", "patient=a&patient=b", "code=1&patient=a", "patient=%zz", "patient=Patient/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		pid, err := observationPatient(raw)
		if err != nil {
			if rapport.ErrorCode(err) != rapport.EINVALID {
				t.Fatalf("%q: %v, want EINVALID", raw, err)
			}
			return
		}
		if !fhir.ValidID(string(pid)) || strings.HasPrefix(string(pid), "Patient/") {
			t.Fatalf("%q: patient %q is not a bare FHIR id", raw, pid)
		}
	})
}
