package journeys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/store"
)

// brokenJourney shares welcome's trigger, but its where fails at run time
// (a modulo by zero) for every patient. It sorts before welcome.
const brokenJourney = `id: a-broken-welcome
version: 1
trigger:
  event: {kind: patient.imported, where: 'age % (age - age) == 0'}
steps:
  - id: hello
    send:
      purpose: care
      content:
        fallback: en
        by_lang:
          en: {body: "Hello {first_name}."}
          es: {body: "Hola {first_name}."}
`

// TestBrokenJourneyDoesNotStallTriggers: one journey's expression error at
// run time marks that journey broken (journey, version, field) and the
// other journey on the same trigger still enrolls, now and later.
func TestBrokenJourneyDoesNotStallTriggers(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		for _, src := range []struct{ name, yaml string }{{"broken.yaml", brokenJourney}, {"welcome.yaml", welcomeJourney}} {
			def, err := journey.Parse(src.name, []byte(src.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if err := h.e.Register(h.ctx, def); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.e.StartTriggers(h.ctx); err != nil {
			t.Fatal(err)
		}
		h.importNDJSON(map[string][]string{"Patient.ndjson": {fhirPatient("p1", "Ana", "es", "+15128675701")}})
		h.advance(10 * time.Minute)
		if ms := h.sent("+15128675701"); len(ms) != 1 || !strings.HasPrefix(ms[0].Body, "Bienvenido") {
			t.Errorf("Ana: %q, want one welcome though another journey is broken", bodies(ms))
		}
		broken := h.e.BrokenJourneys()
		if len(broken) != 1 || broken[0].Journey != "a-broken-welcome" || broken[0].Version != 1 || broken[0].Field != "trigger.event.where" {
			t.Errorf("broken journeys: %+v, want a-broken-welcome version 1, field trigger.event.where", broken)
		}
		// The trigger goes on: a later import is welcomed too.
		h.importNDJSON(map[string][]string{"Patient.ndjson": {fhirPatient("p2", "Beto", "es", "+15128675702")}})
		h.advance(10 * time.Minute)
		if ms := h.sent("+15128675702"); len(ms) != 1 {
			t.Errorf("Beto: %q, want one welcome", bodies(ms))
		}
		if ens := h.enrollments(h.byGiven("Ana"), "a-broken-welcome"); len(ens) != 0 {
			t.Errorf("Ana enrolled in the broken journey: %+v", ens)
		}
	})
}

// TestBrokenSegmentPausesLaunch: a campaign whose segment fails at run time
// is paused (not retried for ever) and its journey marked broken.
func TestBrokenSegmentPausesLaunch(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.patient("Ana", "en", mobile("+15125550711"))
		c := &rapport.Campaign{Journey: "outreach", Segment: `age % (age - age) == 0`}
		h.tx(func(tx *store.Tx) error { return h.e.CreateCampaign(h.ctx, tx, c) })
		h.idle()
		var got *rapport.Campaign
		h.tx(func(tx *store.Tx) (err error) { got, err = tx.FindCampaign(h.ctx, c.ID); return err })
		if got.Status != rapport.CampaignPaused || got.Enrolled != 0 {
			t.Errorf("campaign %s with %d enrolled, want paused with none", got.Status, got.Enrolled)
		}
		if b := h.e.BrokenJourneys(); len(b) != 1 || b[0].Journey != "outreach" || b[0].Field != "segment" {
			t.Errorf("broken journeys: %+v, want outreach's segment", b)
		}
	})
}
