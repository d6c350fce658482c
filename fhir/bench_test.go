package fhir

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/benchstat"
)

// BenchmarkReadNDJSONPatients reads Synthea's 1,000-patient bulk file and
// reports patients mapped per second of wall time, and per second of CPU
// time (steadier on a shared machine). The std variant decodes Patients
// with encoding/json only, for comparison with the gjson fast path.
func BenchmarkReadNDJSONPatients(b *testing.B) {
	path := filepath.Join(syntheaDir, "bulk-1000-patients", "Patient.000.ndjson")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("no benchmark input: %v (the shared Synthea data is absent)", err)
	}
	b.Run("fast", func(b *testing.B) { benchPatients(b, data, true) })
	b.Run("std", func(b *testing.B) { benchPatients(b, data, false) })
}

func benchPatients(b *testing.B, data []byte, fast bool) {
	defer func(old bool) { fastPatients = old }(fastPatients)
	fastPatients = fast
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	patients := 0
	cpu0 := benchstat.CPUTime()
	for b.Loop() {
		err := ReadNDJSON(bytes.NewReader(data), "Patient.000.ndjson", func(it Item) error {
			if it.Err != nil {
				b.Fatal(it.Err)
			}
			if _, ok := it.Record.(*rapport.Patient); ok {
				patients++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(patients)/b.Elapsed().Seconds(), "patients/s")
	b.ReportMetric(float64(patients)/(benchstat.CPUTime()-cpu0).Seconds(), "patients/cpu-s")
}
