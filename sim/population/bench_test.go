package population

import (
	"context"
	"testing"
)

// BenchmarkGeneratePatients measures patients-only generation, as `rapport
// generate --resources patients` runs it, into a real file; b.N people.
func BenchmarkGeneratePatients(b *testing.B) {
	dir := b.TempDir()
	validExchanges("512") // warm one cache outside the timing; Write warms the rest
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := Write(context.Background(), dir, Config{People: b.N, Seed: 1, Params: DefaultParams(), Resources: PatientsOnly})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "patients/s")
	b.SetBytes(sum.Files[0].Bytes / int64(max(b.N, 1)))
}

// BenchmarkGenerateAll measures a full run: FHIR, CRM and truth.
func BenchmarkGenerateAll(b *testing.B) {
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := Write(context.Background(), dir, Config{People: b.N, Seed: 1, Params: DefaultParams()}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "people/s")
}

// BenchmarkPatientInMemory is the generation and JSON alone, without I/O.
func BenchmarkPatientInMemory(b *testing.B) {
	g, err := NewGenerator(1, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	var p Person
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.fill(i, false, &p)
		for k := range p.Records {
			buf = g.appendPatient(buf[:0], &p, &p.Records[k])
		}
	}
}
