package duplicates_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// TestTrialDuplicatesMessagedOnce replays issue 13's trial on a small
// scale, with no duplicate detected: a CRM export where three of ten
// people have a second record with the same phone, imported through the
// real importer, and a campaign with an offer, a retry and "may we ask why
// not?". Each number gets each step once; the person who said yes on one
// record is not re-offered through the other; the decliner is asked why
// once; and the funnel counts ten people, not thirteen records.
func TestTrialDuplicatesMessagedOnce(t *testing.T) {
	t.Parallel()
	def, err := journey.LoadFile("testdata/trial-offer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := csvimport.LoadMapping("testdata/trial-mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start), Journeys: true, Extra: []*journey.Definition{def}})
			advance := func(dt time.Duration) { jobstest.Advance(t, w.Ctx, w.Queue, w.Clock, dt, 0, 2*time.Minute) }
			sum, err := (&importer.Importer{DB: w.DB}).ImportCSV(w.Ctx, "testdata/trial.csv", m)
			if err != nil {
				t.Fatal(err)
			}
			if created, _, _, _ := sum.Total(); created != 13 {
				t.Fatalf("imported %d records, want 13:\n%s", created, sum)
			}
			c := &rapport.Campaign{Journey: def.ID}
			if err := w.DB.InTx(w.Ctx, func(tx *store.Tx) error { return w.Engine.CreateCampaign(w.Ctx, tx, c) }); err != nil {
				t.Fatal(err)
			}
			advance(time.Minute)

			const yes, no = "+15122340001", "+15122340002" // both entered twice
			if n := len(w.Sim.Sent()); n != 10 {
				t.Fatalf("offers sent = %d, want one per number (10)", n)
			}
			for _, r := range []struct{ from, body string }{{yes, "1"}, {no, "2"}} {
				if _, err := simulator.Reply(w.Ctx, w.Pipeline, rapport.ChannelSMS, r.from, testworld.OurNumber, r.body); err != nil {
					t.Fatal(err)
				}
			}
			advance(time.Hour)
			advance(24 * time.Hour)     // the decliner is asked why
			advance(3 * 24 * time.Hour) // the silent get the retry
			advance(3 * 24 * time.Hour) // and time out

			perStep := map[string]int{}
			perNumber := map[string][]string{}
			for _, s := range w.Sim.Sent() {
				step, _, _ := strings.Cut(s.Body, " ")
				perStep[s.To+" "+step]++
				perNumber[s.To] = append(perNumber[s.To], step)
			}
			for k, n := range perStep {
				if n > 1 {
					t.Errorf("%s: sent %d times, want once", k, n)
				}
			}
			if got := strings.Join(perNumber[yes], ","); got != "OFFER" {
				t.Errorf("the person who said yes got %s, want the offer only", got)
			}
			if got := strings.Join(perNumber[no], ","); got != "OFFER,WHY" {
				t.Errorf("the decliner got %s, want the offer and one why", got)
			}
			if got := strings.Join(perNumber["+15122340003"], ","); got != "OFFER,RETRY" {
				t.Errorf("the silent duplicate got %s, want the offer and one retry", got)
			}

			r, err := metrics.Compute(w.Ctx, w.DB, metrics.Filter{Campaign: c.ID, QuietHours: rules.DefaultWindow, OrgTimeZone: "America/Chicago"})
			if err != nil {
				t.Fatal(err)
			}
			f := r.Funnel
			if r.Patients != 10 || r.Enrolled != 10 || f.Interested != 1 || f.Declined != 1 || f.NoReply != 8 || f.Contacted != 10 {
				t.Errorf("report counts %d patients, %d enrolled, funnel %+v; want 10 people: 1 interested, 1 declined, 8 no reply", r.Patients, r.Enrolled, f)
			}
		})
	}
}
