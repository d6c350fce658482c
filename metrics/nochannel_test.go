package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// A patient whose messages were held back only because the server had no
// channel for them is "not sent: no channel", not undeliverable: that word
// is for numbers and addresses that failed.
func TestUndeliverableIsForFailedAddresses(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(7 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		l := &ledger{t: t, ctx: context.Background(), db: db, ids: map[string]rapport.PatientID{}}
		l.patients(person("N", "1950-01-01", "en", false), person("U", "1950-01-01", "en", false), person("M", "1950-01-01", "en", false))
		l.ev("", t0, rapport.EventCampaignLaunched, "", "c1", map[string]any{"start_at": t0})
		for _, who := range []string{"N", "U", "M"} {
			l.ev(who, t0, rapport.EventJourneyEnrolled, "", "c1", map[string]any{"trigger": "campaign", "step": "offer"})
		}
		noSMS := map[string]any{"reason": rapport.NoChannelReason(rapport.ChannelSMS)}
		l.ev("N", t0, rapport.EventMessageSuppressed, "", "c1", noSMS) // an email-only server, a phone-only patient
		l.ev("U", t0, rapport.EventMessageSuppressed, "", "c1", map[string]any{"reason": "no usable contact point"})
		l.ev("M", t0, rapport.EventMessageSuppressed, "", "c1", noSMS) // and then a call that failed
		l.ev("M", t0.Add(time.Hour), rapport.EventMessageFailed, rapport.ChannelVoice, "c1", nil)
		for _, who := range []string{"N", "U", "M"} {
			l.ev(who, t0.Add(2*time.Hour), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "undeliverable"})
		}
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{Campaign: "c1", QuietHours: rules.DefaultWindow, OrgTimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		if f := r.Funnel; f.NoChannel != 1 || f.Undeliverable != 2 || f.InJourney != 3 {
			t.Errorf("funnel %+v; want N not sent for want of a channel, U and M undeliverable, 3 in the journey", f)
		}
	})
}
