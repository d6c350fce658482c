package hygiene_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/linkage/linkagetest"
	"github.com/rapporthq/rapport/store"
)

// BenchmarkRun times a hygiene run on SQLite over a generated list
// (RAPPORT_HYGIENE_BENCH_PEOPLE persons, default 10,000, 5% with a second
// record, two contact points each): "full" fits the linkage model as the
// first run does; "monthly" is a later run with nothing changed, which
// still re-validates every contact point and compares nobody.
//
//	RAPPORT_HYGIENE_BENCH_PEOPLE=100000 go test ./hygiene -run '^$' -bench Run -benchtime 1x
func BenchmarkRun(b *testing.B) {
	people := 10_000
	if v, err := strconv.Atoi(os.Getenv("RAPPORT_HYGIENE_BENCH_PEOPLE")); err == nil && v > 0 {
		people = v
	}
	clock := rapport.NewManualClock(start)
	db := dbtest.Open(b, store.SQLite, clock)
	ctx := context.Background()
	pop := linkagetest.Generate(linkagetest.Params{People: people, DupRate: 0.05, HouseholdRate: 0.1, Seed: 1})
	for s := 0; s < len(pop.Records); s += 1000 {
		var ps []*rapport.Patient
		for _, r := range pop.Records[s:min(s+1000, len(pop.Records))] {
			ps = append(ps, patientOf(r))
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreatePatients(ctx, ps) }); err != nil {
			b.Fatal(err)
		}
	}
	run := func(b *testing.B) *hygiene.Report {
		clock.Advance(time.Hour)
		r, err := hygiene.Run(ctx, hygiene.Deps{DB: db}, clock.Now())
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.SQLDB().ExecContext(ctx, "DELETE FROM hygiene_runs"); err != nil {
				b.Fatal(err)
			}
			r := run(b)
			b.ReportMetric(float64(r.Validation.Checked), "contacts")
			b.ReportMetric(float64(r.Duplicates.Patients), "patients")
		}
	})
	b.Run("monthly", func(b *testing.B) {
		for b.Loop() {
			run(b)
		}
	})
}
