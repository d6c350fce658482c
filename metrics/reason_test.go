package metrics_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

func TestReasonLabel(t *testing.T) {
	t.Parallel()
	for reason, want := range map[string]string{"distrust_privacy": "distrust or privacy", "no_internet_device": "no internet or device",
		"no_need": "no need", "unstated": "no reason given", "other": "another reason", "new_reason": "new reason"} {
		if got := metrics.ReasonLabel(reason); got != want {
			t.Errorf("ReasonLabel(%q) = %q, want %q", reason, got, want)
		}
	}
}

// A manager reads examples as words: the same answer twice is one
// example, and a bare keypad number shows as the option it chose.
func TestComputeReasonExamples(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(40 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		l := &ledger{t: t, ctx: context.Background(), db: db, ids: map[string]rapport.PatientID{}}
		l.patients(person("P1", "", "en", false), person("P2", "", "en", false), person("P3", "", "en", false), person("P4", "", "en", false))
		for i, c := range []struct{ who, verbatim string }{{"P1", "5"}, {"P2", "Not now"}, {"P3", "not  now"}, {"P4", "5"}} {
			l.ev(c.who, t0.Add(time.Duration(i)*time.Hour), rapport.EventJourneyOutcome, "", "c1",
				map[string]any{"outcome": "declined", "reason": "no_time", "verbatim": c.verbatim})
		}
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{Campaign: "c1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.DeclineReasonDetails) != 1 {
			t.Fatalf("reasons %+v, want one", r.DeclineReasonDetails)
		}
		d := r.DeclineReasonDetails[0]
		if d.Count != 4 || d.Label != "no time" {
			t.Errorf("reason %+v, want 4 patients labelled no time", d)
		}
		if want := []string{"chose “no time” (answered 5)", "“Not now”"}; !reflect.DeepEqual(d.Examples, want) {
			t.Errorf("examples %q, want %q", d.Examples, want)
		}
		if len(d.Verbatims) != len(d.Examples) || len(d.VerbatimPatients) != len(d.Examples) {
			t.Errorf("verbatims %q and their patients %v do not match the examples", d.Verbatims, d.VerbatimPatients)
		}
	})
}

func TestPrintable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"no thanks", "no thanks"},
		{"mañana, por favor 👍", "mañana, por favor 👍"},
		{"\x1b[2Jwiped", `\x1b[2Jwiped`},
		{"line\nbreak\ttab", `line\x0abreak\x09tab`},
		{"bell\a", `bell\x07`},
	} {
		if got := metrics.Printable(tc.in); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
