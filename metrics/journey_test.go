package metrics_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
)

// TestOutreachFunnel runs the shipped outreach journey over 20 simulated
// patients — some say yes, some no with a reason, some never answer — and
// checks that the report computed from the ledger adds up.
func TestOutreachFunnel(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, d, rapport.NewManualClock(t0), 0, 0)
			phones := h.hypertensives(20)
			// The hold-out is a hash of campaign and patient: a campaign id
			// that holds someone out, so that both groups are tested.
			var id string
			held := 0
			for i := 0; held == 0; i++ {
				id = fmt.Sprint("funnel-", i)
				held = 0
				for pid := range phones {
					if journey.InHoldout(id, pid, 20) {
						held++
					}
				}
			}
			c := h.launch(id, 20)

			// Answer the first message: one in four yes, one in four no
			// with a reason, one in four in words; the rest stay silent.
			firsts := map[string]bool{}
			for _, m := range h.sim.Sent() {
				firsts[m.To] = true
			}
			var ids []rapport.PatientID
			for id := range phones {
				ids = append(ids, id)
			}
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
			answers := []string{"1", "2", "no, it costs too much", ""}
			replied := 0
			for i, id := range ids {
				if !firsts[phones[id]] || answers[i%4] == "" {
					continue
				}
				if _, err := simulator.Reply(h.ctx, h.p, rapport.ChannelSMS, phones[id], ourNumber, answers[i%4]); err != nil {
					t.Fatal(err)
				}
				replied++
			}
			h.advance(time.Hour)
			mid := h.report(c.ID)
			if mid.Funnel.Replied != replied {
				t.Errorf("replied %d, want the %d who answered", mid.Funnel.Replied, replied)
			}
			h.advance(3 * 24 * time.Hour) // the silent get the retry
			h.advance(3 * 24 * time.Hour) // and time out: no reply
			h.advance(24 * time.Hour)     // nurture starts

			r := h.report(c.ID)
			f := r.Funnel
			if !(f.Contacted >= f.Reached && f.Reached >= f.Replied && f.Contacted > 0) {
				t.Errorf("funnel does not narrow: %+v", f)
			}
			ens, err := h.db.FindCampaignEnrollments(h.ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			running := 0
			for _, en := range ens {
				if en.Journey == "outreach" && (en.Status == rapport.EnrollmentActive || en.Status == rapport.EnrollmentWaiting) {
					running++
				}
			}
			outcomes := f.Interested + f.Declined + f.NoReply + f.OptedOut + f.Undeliverable
			if outcomes != r.Enrolled-running {
				t.Errorf("outcomes %d (%+v), want enrolled %d − running %d", outcomes, f, r.Enrolled, running)
			}
			if r.Holdout.Contacted != 0 {
				t.Errorf("hold-out contacted %d, want 0", r.Holdout.Contacted)
			}
			if r.Holdout.Size != held || r.Enrolled != 20-held {
				t.Errorf("hold-out %d + enrolled %d, want %d + %d", r.Holdout.Size, r.Enrolled, held, 20-held)
			}
			if f.Interested == 0 || f.Declined == 0 || f.NoReply == 0 {
				t.Errorf("want every kind of answer: %+v", f)
			}
			sum := 0
			for _, n := range r.DeclineReasons {
				sum += n
			}
			if sum != f.Declined {
				t.Errorf("decline reasons %v sum to %d, want declined %d", r.DeclineReasons, sum, f.Declined)
			}
			if r.QuietHoursViolations != 0 {
				t.Errorf("quiet hours violations %d", r.QuietHoursViolations)
			}
			if rural, urban := r.BySegment["rural"], r.BySegment["urban"]; rural.Contacted+urban.Contacted != f.Contacted {
				t.Errorf("rural %+v + urban %+v do not make %+v", rural, urban, f)
			}
			if r.Messages.Sent == 0 || r.Messages.SMSSegments < r.Messages.ByChannel["sms"] {
				t.Errorf("messages %+v", r.Messages)
			}
		})
	}
}

func (h *harness) report(campaign string) *metrics.Report {
	h.t.Helper()
	r, err := metrics.Compute(h.ctx, h.db, metrics.Filter{Campaign: campaign, QuietHours: rules.DefaultWindow, OrgTimeZone: "America/Chicago"})
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}
