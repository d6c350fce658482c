package importer_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/benchstat"
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
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				db := dbtest.Open(b, d, clock())
				im := &importer.Importer{DB: db, Source: "bench"}
				before := benchstat.CPUTime()
				b.StartTimer()
				sum, err := im.ImportFHIR(context.Background(), path)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu += benchstat.CPUTime() - before
				patients += sum.ByType["Patient"].Created
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(patients)/b.Elapsed().Seconds(), "patients/s")
			// CPU per patient (this process, user and system) does not depend
			// on what else the machine runs; on PostgreSQL the server's share
			// is not counted.
			b.ReportMetric(float64(cpu.Microseconds())/float64(patients), "cpu-µs/patient")
		})
	}
}

var _ = store.SQLite
