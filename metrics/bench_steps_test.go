package metrics_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/store"
)

// BenchmarkStepTransitions measures the journey engine's throughput: step
// transitions per second while RAPPORT_BENCH_STEP_PATIENTS (default 1000)
// patients go through the outreach journey on SQLite and the simulator
// answers every offer at once (half yes, half no with a reason). Timed:
// the launch, the first messages, every reply taken through the inbound
// pipeline into its waiting enrollment, and the outcomes. Transitions are
// the journey.step events the ledger holds at the end.
func BenchmarkStepTransitions(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_STEP_PATIENTS")); err == nil && v > 0 {
		n = v
	}
	var steps int
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		h := newHarness(b, store.SQLite, rapport.NewManualClock(t0), 10*time.Millisecond, 0)
		phones := h.hypertensives(n)
		b.StartTimer()
		start := time.Now()
		h.launch("", 0)
		i := 0
		for _, phone := range phones {
			body := "1"
			if i%2 == 1 {
				body = "2 too expensive"
			}
			i++
			if _, err := simulator.Reply(h.ctx, h.p, rapport.ChannelSMS, phone, ourNumber, body); err != nil {
				b.Fatal(err)
			}
		}
		h.idle()
		elapsed += time.Since(start)
		b.StopTimer()
		counts, err := h.db.CountEvents(h.ctx)
		if err != nil {
			b.Fatal(err)
		}
		if counts[rapport.EventJourneyOutcome] < n {
			b.Fatalf("%d outcomes for %d patients", counts[rapport.EventJourneyOutcome], n)
		}
		steps += counts[rapport.EventJourneyStep]
	}
	b.ReportMetric(float64(steps)/elapsed.Seconds(), "transitions/s")
	b.ReportMetric(float64(steps)/float64(b.N), "transitions/op")
}
