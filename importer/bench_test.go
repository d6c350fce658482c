package importer_test

import (
	"context"
	"os"
	"testing"

	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// BenchmarkImportNDJSON imports the Patient NDJSON file named by
// RAPPORT_BENCH_NDJSON (generate one with `rapport generate --resources
// patients`) into a fresh database per iteration, and reports patients/s.
func BenchmarkImportNDJSON(b *testing.B) {
	path := os.Getenv("RAPPORT_BENCH_NDJSON")
	if path == "" {
		b.Skip("RAPPORT_BENCH_NDJSON is not set: see BENCHMARKS.md for how to generate the input")
	}
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			var patients int
			for b.Loop() {
				b.StopTimer()
				db := dbtest.Open(b, d, clock())
				im := &importer.Importer{DB: db, Source: "bench"}
				b.StartTimer()
				sum, err := im.ImportFHIR(context.Background(), path)
				if err != nil {
					b.Fatal(err)
				}
				patients += sum.ByType["Patient"].Created
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(patients)/b.Elapsed().Seconds(), "patients/s")
		})
	}
}

var _ = store.SQLite
