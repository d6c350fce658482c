package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/benchstat"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/deltafile"
)

// BenchmarkImportDelta is the nightly sync (issue 16): a database holding
// RAPPORT_BENCH_DELTA_PATIENTS generated people (default 20,000) takes one
// file in which every 40th of its patients has one phone digit changed,
// with as many new patients (package deltafile). Each iteration changes the digit again and
// brings other new patients (another seed), so every record is a real
// change. It reports records/s and the process's CPU-µs per record (on
// PostgreSQL the server's share is not counted).
func BenchmarkImportDelta(b *testing.B) {
	people := deltaPeople(b)
	dir := b.TempDir()
	base := generatePatients(b, filepath.Join(dir, "base"), people, 7)
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := dbtest.Open(b, d, clock())
			im := &importer.Importer{DB: db, Source: "bench"}
			ctx := context.Background()
			if _, err := im.ImportFHIR(ctx, base); err != nil {
				b.Fatal(err)
			}
			var records, round int
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				round++
				delta := filepath.Join(dir, string(d)+"-delta.ndjson")
				fresh := generatePatients(b, filepath.Join(dir, string(d), strconv.Itoa(round)), people/40, int64(1000+round))
				if err := deltafile.Write(base, fresh, delta, round); err != nil {
					b.Fatal(err)
				}
				before := benchstat.CPUTime()
				b.StartTimer()
				sum, err := im.ImportFHIR(ctx, delta)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu += benchstat.CPUTime() - before
				if c := sum.ByType["Patient"]; c.Updated == 0 || c.Created == 0 {
					b.Fatalf("delta %d: %+v; want updates and creations", round, c)
				}
				records += sum.ByType["Patient"].Updated + sum.ByType["Patient"].Created
				b.StartTimer()
			}
			b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(records), "cpu-µs/record")
		})
	}
}

// generatePatients writes the Patient NDJSON of n generated people and returns its path.
func generatePatients(b *testing.B, dir string, n int, seed int64) string {
	b.Helper()
	path, err := deltafile.Patients(dir, n, seed)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkImportUnchanged is the nightly full dump that changed nothing
// (issue 16: "a full re-import of the unchanged patients"): a database
// holding RAPPORT_BENCH_DELTA_PATIENTS generated people (default 20,000)
// imports the same file again each iteration. Every record must come out
// unchanged; it reports records/s and the process's CPU-µs per record.
func BenchmarkImportUnchanged(b *testing.B) {
	people := deltaPeople(b)
	base := generatePatients(b, filepath.Join(b.TempDir(), "base"), people, 7)
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := dbtest.Open(b, d, clock())
			im := &importer.Importer{DB: db, Source: "bench"}
			ctx := context.Background()
			first, err := im.ImportFHIR(ctx, base)
			if err != nil {
				b.Fatal(err)
			}
			want := first.ByType["Patient"].Created // the population writes some people twice
			var records int
			before := benchstat.CPUTime()
			for b.Loop() {
				sum, err := im.ImportFHIR(ctx, base)
				if err != nil {
					b.Fatal(err)
				}
				if c := sum.ByType["Patient"]; c.Unchanged != want || c.Updated+c.Created+c.Rejected != 0 {
					b.Fatalf("re-import: %+v; want all %d unchanged", c, want)
				}
				records += want
			}
			cpu := benchstat.CPUTime() - before
			b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(records), "cpu-µs/record")
		})
	}
}

// deltaPeople is RAPPORT_BENCH_DELTA_PATIENTS, the people the database of
// the nightly-sync benchmarks holds: 20,000 unless set.
func deltaPeople(b *testing.B) int {
	s := os.Getenv("RAPPORT_BENCH_DELTA_PATIENTS")
	if s == "" {
		return 20_000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		b.Fatalf("RAPPORT_BENCH_DELTA_PATIENTS=%q: want a positive number", s)
	}
	return n
}
