package journeys_test

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// TestTriggeredJourneyOncePerPerson: one visit that the EHR recorded on
// both records of one person (a probable duplicate pending review, same
// phone) enrolls the person once in the post-visit check-in: the phone
// gets the question once, not once a record. A family member who shares
// the phone and had a visit of her own is not a duplicate, and is asked
// as well.
func TestTriggeredJourneyOncePerPerson(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		if err := h.e.StartTriggers(h.ctx); err != nil {
			t.Fatal(err)
		}
		const phone = "+15128675311"
		h.importNDJSON(map[string][]string{"Patient.ndjson": {
			fhirPatient("p1", "Ana", "en", phone),
			fhirPatient("p1b", "Anna", "en", phone), // the second record
			fhirPatient("p2", "Berta", "en", phone), // her mother, on the family phone
		}})
		ana, anna, berta := h.byGiven("Ana"), h.byGiven("Anna"), h.byGiven("Berta")
		h.tx(func(tx *store.Tx) error {
			_, err := tx.AddDuplicateCandidates(h.ctx, []rapport.DuplicateCandidate{{A: ana.ID, B: anna.ID, Weight: 20, Probability: 0.97, Reason: "same phone and birth date"}})
			return err
		})
		visitEnd := start.Add(-2 * time.Hour)
		h.importNDJSON(map[string][]string{"Encounter.ndjson": {
			fhirEncounter("e1", "p1", "finished", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
			fhirEncounter("e1b", "p1b", "finished", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
			fhirEncounter("e2", "p2", "finished", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
		}})
		h.advance(3 * day)

		if n := len(h.enrollments(ana, "post-visit-checkin")) + len(h.enrollments(anna, "post-visit-checkin")); n != 1 {
			t.Errorf("Ana's two records: %d check-in enrollments, want 1", n)
		}
		if n := len(h.enrollments(berta, "post-visit-checkin")); n != 1 {
			t.Errorf("Berta, who shares the phone: %d check-in enrollments, want 1", n)
		}
		if ms := h.sent(phone); len(ms) != 2 {
			t.Errorf("the family phone got %d messages %q; want 2, one for Ana's visit and one for Berta's", len(ms), bodies(ms))
		}
	})
}
