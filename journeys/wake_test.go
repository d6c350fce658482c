package journeys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/store"
)

// A wait that ends at a fraction of a second must end, also when the wake
// job runs between the whole second and the due time (the job queue and
// the store read the clock at different moments in production).
func TestWakeAtFractionOfSecond(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		const frac = 278 * time.Millisecond
		h.clock.Advance(frac)
		ana := h.patient("Ana", "en", mobile("+15125550101"))
		h.launch("outreach")
		if n := len(h.sent("+15125550101")); n != 1 {
			t.Fatalf("offer: %d messages sent, want 1", n)
		}
		// Just past the whole second before the retry is due: not yet.
		h.advance(3*day - frac + 100*time.Millisecond)
		if n := len(h.sent("+15125550101")); n != 1 {
			t.Fatalf("before the wait ends: %d messages sent, want 1", n)
		}
		h.advance(day)
		if n := len(h.sent("+15125550101")); n != 2 {
			t.Fatalf("after the wait ended: %d messages sent, want 2 (the retry)", n)
		}
		ens := h.enrollments(ana, "outreach")
		if len(ens) != 1 || ens[0].Status != rapport.EnrollmentWaiting || ens[0].Step != "wait_retry" {
			t.Fatalf("enrollment %+v, want waiting at wait_retry", ens)
		}
	})
}

// An enrollment whose wake job is lost is woken when a server starts.
func TestRewakeOverdue(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.patient("Ana", "en", mobile("+15125550102"))
		h.launch("outreach")
		if _, err := h.db.SQLDB().ExecContext(h.ctx, "DELETE FROM river_job WHERE kind = 'journey_wake'"); err != nil {
			t.Fatal(err)
		}
		h.advance(4 * day)
		if n := len(h.sent("+15125550102")); n != 1 {
			t.Fatalf("without its wake job: %d messages sent, want 1", n)
		}
		n, err := h.e.Rewake(h.ctx, time.Minute)
		if err != nil || n != 1 {
			t.Fatalf("Rewake = %d, %v; want 1 enrollment", n, err)
		}
		h.idle()
		if n := len(h.sent("+15125550102")); n != 2 {
			t.Fatalf("after Rewake: %d messages sent, want 2 (the retry)", n)
		}
	})
}

// launch starts a campaign of the journey over every patient.
func (h *harness) launch(journeyID string) {
	h.t.Helper()
	c := &rapport.Campaign{Journey: journeyID, Segment: `language != ""`}
	h.tx(func(tx *store.Tx) error { return h.e.CreateCampaign(h.ctx, tx, c) })
	h.idle()
}

// A wait counts from when its message left: while the provider is down and
// the offer still queued, the wait for an answer does not run out.
func TestWaitStartsWhenTheMessageLeaves(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.e.TimeScale = 1440 // the offer's 3-day wait lasts 3 minutes
		down := true
		h.sim.Behave = func(m channel.Message) (channel.Result, error) {
			if down {
				return channel.Result{}, &channel.Error{Kind: channel.ErrRetryable, Msg: "provider unavailable"}
			}
			return channel.Result{ProviderID: "SM" + m.ID, Status: string(rapport.MessageDelivered), Segments: 1}, nil
		}
		ana := h.patient("Ana", "en", mobile("+15125550131"))
		h.launch("outreach")
		h.advance(5 * time.Minute) // past the wait, the offer still queued
		ens := h.enrollments(ana, "outreach")
		if len(ens) != 1 || ens[0].Step != "wait_offer" || ens[0].Status != rapport.EnrollmentWaiting {
			t.Fatalf("while the offer could not leave: enrollment %+v, want still waiting for an answer to it", ens)
		}
		down = false
		h.advance(2 * time.Hour)    // the send retries and the offer leaves
		h.advance(10 * time.Minute) // its wait runs out: the retry call
		if path := strings.Join(h.path(ana.ID, "outreach"), " "); !strings.HasPrefix(path, "offer wait_offer retry") {
			t.Fatalf("after the offer left and its wait ran out: path %q, want the retry next", path)
		}
	})
}
