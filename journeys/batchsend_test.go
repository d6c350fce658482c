package journeys_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
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

// A launch page runs its enrollments' first steps itself: the offers leave
// with no wake job between launch and send (every wake job the campaign
// makes is for the end of the 3-day wait that follows the offer).
func TestLaunchRunsFirstSteps(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		const n = 30
		for i := range n {
			h.patient(fmt.Sprintf("P%02d", i), "en", mobile(fmt.Sprintf("+1512555%04d", 4000+i)))
		}
		launched := h.clock.Now()
		h.launch("outreach")
		var early, waits int
		param := "?"
		if h.db.Dialect() == store.Postgres {
			param = "$1"
		}
		if err := h.db.SQLDB().QueryRowContext(h.ctx, "SELECT count(*) FROM river_job WHERE kind = 'journey_wake' AND scheduled_at < "+param,
			launched.Add(24*time.Hour)).Scan(&early); err != nil {
			t.Fatal(err)
		}
		if err := h.db.SQLDB().QueryRowContext(h.ctx, "SELECT count(*) FROM enrollments WHERE status = 'waiting'").Scan(&waits); err != nil {
			t.Fatal(err)
		}
		if early != 0 {
			t.Errorf("%d wake jobs due within a day of launch, want none: the launch runs the first steps", early)
		}
		if waits != n {
			t.Errorf("%d enrollments wait for an answer after launch, want %d", waits, n)
		}
	})
}
