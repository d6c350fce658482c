package journeys_test

import (
	"fmt"
	"testing"

	"github.com/rapporthq/rapport"
)

// A campaign's messages travel to the send jobs in batches: the offers of
// the enrollments one wake job carries go out in one or two send jobs, not
// one job per patient.
func TestCampaignSendsInBatches(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		const n = 60
		for i := range n {
			h.patient(fmt.Sprintf("P%02d", i), "en", mobile(fmt.Sprintf("+1512555%04d", 3000+i)))
		}
		h.launch("outreach")
		var jobs, sent int
		if err := h.db.SQLDB().QueryRowContext(h.ctx, "SELECT count(*) FROM river_job WHERE kind = 'send_messages'").Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		for _, m := range h.sim.Sent() {
			if m.Channel == rapport.ChannelSMS {
				sent++
			}
		}
		if sent != n {
			t.Fatalf("%d offers sent, want %d", sent, n)
		}
		if jobs > 2 {
			t.Errorf("%d send jobs for %d offers, want them batched (at most 2)", jobs, n)
		}
	})
}
