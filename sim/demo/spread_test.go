package demo

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/sim/behaviour"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	runs := []*Result{
		{Seed: 1, Rapport: metrics.Report{EngagedDecliners: 10, CommonLift: metrics.Lift{Estimate: 0.02}}},
		{Seed: 2, Rapport: metrics.Report{EngagedDecliners: 20, CommonLift: metrics.Lift{Estimate: -0.01}}},
		{Seed: 3, Rapport: metrics.Report{EngagedDecliners: 30, CommonLift: metrics.Lift{Estimate: 0.05}}},
	}
	s := Summarize("default", runs)
	for _, c := range []struct {
		name           string
		mean, min, max float64
	}{
		{"engaged decliners, rapport", 20, 10, 30},
		{"lift common outcome pp, rapport", 2, -1, 5},
	} {
		f, ok := s.Figure(c.name)
		if !ok || !approx(f.Mean, c.mean) || !approx(f.Min, c.min) || !approx(f.Max, c.max) || len(f.Runs) != 3 {
			t.Errorf("%s: %+v, want mean %g in [%g, %g]", c.name, f, c.mean, c.min, c.max)
		}
	}
}

// In the pessimistic world listening to decliners changes no mind and no
// message makes anyone book: rapport must show no gain on the common
// outcome — its interval includes 0, or lies below it.
func TestNullWorldShowsNoGain(t *testing.T) {
	t.Parallel()
	p, err := behaviour.NamedParams("pessimistic")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := Run(context.Background(), Config{Patients: 300, Days: 30, Seed: 5, Model: &p,
		DB: "sqlite:" + filepath.Join(dir, "r.db"), BaselineDB: "sqlite:" + filepath.Join(dir, "b.db")})
	if err != nil {
		t.Fatal(err)
	}
	// Nor does a refill reminder: the reminded fill as the same people do
	// in the baseline arm, where nobody is reminded.
	if d := adherentAfter(res, GroupReminded) - adherentAfter(res, GroupBaseline); d != 0 {
		t.Errorf("null world: reminded minus baseline adherent share %+.2f pp, want 0", d)
	}
	if g, ok := res.Adherence.Group(GroupReminded); !ok || g.After.Measured == 0 {
		t.Errorf("null world: no reminded patient measured (%+v): the comparison above proves nothing", g)
	}
	l := res.Rapport.CommonLift
	if !l.Measurable || l.CILow > 0 {
		t.Errorf("null world: common-outcome lift %+v, want an interval including 0 or below it", l)
	}
	t.Logf("null world: common-outcome lift %+.1f pp [%+.1f, %+.1f]; any engagement %+.1f pp", 100*l.Estimate, 100*l.CILow, 100*l.CIHigh, 100*res.Rapport.Lift.Estimate)
}
func approx(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
