package journeys_test

import (
	"testing"

	"github.com/rapporthq/rapport/journeys"
)

// TestShippedJourneysLoad checks the shipped journeys parse, and the four
// the product names are there and triggered as it says.
func TestShippedJourneysLoad(t *testing.T) {
	t.Parallel()
	defs, err := journeys.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"outreach": "campaign", "decliner-nurture": "campaign", "post-visit-checkin": "encounter.finished", "contact-reverify": "contact.stale",
		"contact-lost": "contact.lost"}
	got := map[string]string{}
	for _, d := range defs {
		switch {
		case d.Trigger.Event != nil:
			got[d.ID] = d.Trigger.Event.Kind
		case d.Trigger.Campaign:
			got[d.ID] = "campaign"
		}
	}
	for id, trigger := range want {
		if got[id] != trigger {
			t.Errorf("%s: trigger %q, want %q", id, got[id], trigger)
		}
	}
	for _, d := range defs {
		if d.ID == "post-visit-checkin" && d.Trigger.Event.Delay.D().Hours() != 72 {
			t.Errorf("post-visit-checkin waits %v after the visit, want 3 days", d.Trigger.Event.Delay.D())
		}
	}
}
