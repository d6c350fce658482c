package journeys_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/journey"
)

// TestNewJourneyVersion registers a second version of outreach while a
// patient is in the first: she finishes on version 1, a patient enrolled
// afterwards runs version 2, and a changed journey under an old version
// number is refused.
func TestNewJourneyVersion(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		src, err := os.ReadFile("outreach.yaml")
		if err != nil {
			t.Fatal(err)
		}
		old := h.patient("Ana", "en", mobile("+15125550501"))
		h.enroll("outreach", old)

		changed := strings.Replace(string(src), "Press 1 if you are interested, 2 if not.", "Press 1 for yes, 2 for no.", 1)
		if changed == string(src) {
			t.Fatal("the retry text to change is not in outreach.yaml")
		}
		same, err := journey.Parse("outreach.yaml", []byte(changed))
		if err != nil {
			t.Fatal(err)
		}
		if err := h.e.Register(h.ctx, same); rapport.ErrorCode(err) != rapport.ECONFLICT {
			t.Fatalf("a changed journey under the same version: %v, want ECONFLICT", err)
		}
		v2, err := journey.Parse("outreach-v2.yaml", []byte(strings.Replace(changed, "version: 3", "version: 4", 1)))
		if err != nil {
			t.Fatal(err)
		}
		if err := h.e.Register(h.ctx, v2); err != nil {
			t.Fatal(err)
		}
		fresh := h.patient("Beto", "en", mobile("+15125550502"))
		h.enroll("outreach", fresh)
		h.advance(3 * day) // both retry

		if got := h.lastSent("+15125550501").Body; !strings.Contains(got, "Press 1 if you are interested") {
			t.Errorf("the patient enrolled on the first version got %q", got)
		}
		if got := h.lastSent("+15125550502").Body; !strings.Contains(got, "Press 1 for yes, 2 for no.") {
			t.Errorf("the patient enrolled on the new version got %q", got)
		}
		for p, want := range map[*rapport.Patient]int{old: 3, fresh: 4} {
			ens := h.enrollments(p, "outreach")
			if len(ens) != 1 || ens[0].Version != want {
				t.Errorf("%s: enrollments %+v, want one on version %d", p.Given, ens, want)
			}
		}
		// A restarted engine loads both versions from the database.
		again := &journey.Engine{DB: h.db, Queue: h.q, Pipeline: h.p, Clock: h.clock}
		if err := again.Load(h.ctx); err != nil {
			t.Fatal(err)
		}
		for _, v := range []int{3, 4} {
			if _, err := again.Definition("outreach", v); err != nil {
				t.Errorf("version %d after a restart: %v", v, err)
			}
		}
	})
}
