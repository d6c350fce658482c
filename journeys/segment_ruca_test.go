package journeys_test

import (
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// TestSegmentRUCA launches a campaign over the segment "ruca >= 4": the
// RUCA code stored with each patient reaches the segment, so only the
// patients of non-metropolitan ZIP codes get the offer.
func TestSegmentRUCA(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		codes := map[string]int{"+15125550121": 10, "+15125550122": 4, "+15125550123": 1, "+15125550124": 0}
		for phone, code := range codes {
			p := &rapport.Patient{Given: "P", Family: "R", Language: "en", TimeZone: "America/Chicago", RUCA: code, Rural: code >= 4,
				Contacts: []rapport.ContactPoint{mobile(phone)}}
			p.Contacts[0].Raw, p.Contacts[0].Status, p.Contacts[0].Source = phone, rapport.StatusValid, rapport.SourceImport
			h.tx(func(tx *store.Tx) error { return tx.CreatePatients(h.ctx, []*rapport.Patient{p}) })
		}
		c := &rapport.Campaign{Journey: "outreach", Segment: `ruca >= 4`}
		h.tx(func(tx *store.Tx) error { return h.e.CreateCampaign(h.ctx, tx, c) })
		h.idle()
		for phone, code := range codes {
			if got, want := len(h.sent(phone)) > 0, code >= 4; got != want {
				t.Errorf("RUCA %d: offered %v, want %v", code, got, want)
			}
		}
	})
}
