package journeys_test

import (
	"testing"

	"github.com/rapporthq/rapport/journey"
)

const monthlyCheck = `id: monthly-hello
version: 1
name: Monthly hello
trigger:
  schedule: {every: 30d}
segment: has_mobile
steps:
  - id: hello
    send:
      purpose: care
      content:
        fallback: en
        by_lang:
          en: {body: "Hello {first_name}, {org} here: reply if you need anything."}
          es: {body: "Hola {first_name}, le escribe {org}: responda si necesita algo."}
  - id: end
    end: true
`

// TestScheduledJourney: a journey with a schedule launches itself over its
// segment as a campaign, then again one interval later, and only once per
// interval however often it is registered.
func TestScheduledJourney(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.patient("Ana", "en", mobile("+15125550601"))
		h.patient("Bea", "es", mobile("+15125550602"))
		d, err := journey.Parse("monthly-hello.yaml", []byte(monthlyCheck))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // registering twice (two processes starting) schedules once
			if err := h.e.Register(h.ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		h.idle()
		count := func(to string) int {
			n := 0
			for _, m := range h.sim.Sent() {
				if m.To == to {
					n++
				}
			}
			return n
		}
		if count("+15125550601") != 1 || count("+15125550602") != 1 {
			t.Fatalf("first launch: Ana got %d, Bea %d messages, want 1 each", count("+15125550601"), count("+15125550602"))
		}
		if got := h.lastSent("+15125550602").Body; got != "Hola Bea, le escribe Valley Clinic: responda si necesita algo." {
			t.Errorf("Bea's message = %q", got)
		}
		h.advance(29 * day)
		if count("+15125550601") != 1 {
			t.Errorf("sent again before the interval: %d", count("+15125550601"))
		}
		h.advance(day)
		if count("+15125550601") != 2 || count("+15125550602") != 2 {
			t.Errorf("second launch: Ana got %d, Bea %d messages, want 2 each", count("+15125550601"), count("+15125550602"))
		}
	})
}
