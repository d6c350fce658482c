package metrics_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// Lift on a common outcome counts only what a held-out patient can do
// too: C's and G's bookings against H1's, not A's and B's yes.
func TestComputeCommonLift(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(7 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		buildCampaign(t, db)
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{Campaign: "c1", OrgTimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		if want := metrics.WaldLift(2, 7, 1, 4); r.CommonLift != want {
			t.Errorf("common-outcome lift %+v, want %+v", r.CommonLift, want)
		}
		if r.Holdout.EngagedCommon != 1 || r.Lift.TreatedEngaged != 4 {
			t.Errorf("hold-out %+v, any-engagement lift %+v: want 1 common in the hold-out, the old measure unchanged", r.Holdout, r.Lift)
		}
	})
}

// A decliner stays a decliner: when nurture ends G's decline on silence,
// the funnel's latest outcome says no_reply, but the first outcomes, the
// decline reasons and what became of the decliners still count G.
func TestComputeDeclinerStaysDecliner(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(40 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		l := buildCampaign(t, db)
		l.ev("G", t0.Add(30*24*time.Hour), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "no_reply"})
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{Campaign: "c1", QuietHours: rules.DefaultWindow, OrgTimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Funnel.Declined != 1 || r.Funnel.NoReply != 2 {
			t.Errorf("funnel %+v: want the latest outcomes, 1 declined and 2 no reply", r.Funnel)
		}
		if want := (metrics.Outcomes{Interested: 1, Declined: 2, NoReply: 1, OptedOut: 1, Undeliverable: 1}); r.FirstOutcomes != want {
			t.Errorf("first outcomes %+v, want %+v", r.FirstOutcomes, want)
		}
		// B declined and said yes later, C was silent and booked, G declined and fell silent.
		want := metrics.DeclinersSince{Declined: 2, NoReply: 1, Reasons: map[string]int{"cost": 2},
			EngagedLater: 2, CommonLater: 1, StillSilent: 1}
		if !reflect.DeepEqual(r.DeclinersSince, want) {
			t.Errorf("decliners since %+v, want %+v", r.DeclinersSince, want)
		}
		if !reflect.DeepEqual(r.DeclineReasons, map[string]int{"cost": 2}) {
			t.Errorf("decline reasons %v: G declined, whatever came after", r.DeclineReasons)
		}
	})
}

// An imported appointment is engagement at its own time: history
// back-filled after a decline does not make an engaged decliner, a visit
// booked after the decline does.
func TestBookingDatedByAppointment(t *testing.T) {
	for _, c := range []struct {
		name    string
		start   time.Time
		engaged int
	}{
		{"back-filled, before the decline", t0.Add(time.Hour), 0},
		{"after the decline", t0.Add(5 * 24 * time.Hour), 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(7 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				dir := t.TempDir()
				write := func(name, line string) string {
					p := filepath.Join(dir, name)
					if err := os.WriteFile(p, []byte(line+"\n"), 0o600); err != nil {
						t.Fatal(err)
					}
					return p
				}
				im := &importer.Importer{DB: db, Source: "ehr"}
				if _, err := im.ImportFHIR(ctx, write("Patient.ndjson", `{"resourceType":"Patient","id":"p1","name":[{"family":"Reyes","given":["Ana"]}],"birthDate":"1950-01-02"}`)); err != nil {
					t.Fatal(err)
				}
				var links map[string]store.SourceRecord
				err := db.InTx(ctx, func(tx *store.Tx) (err error) {
					links, err = tx.FindSourceRecords(ctx, "ehr", "Patient", []string{"p1"})
					return err
				})
				if err != nil || links["p1"].EntityID == "" {
					t.Fatalf("patient p1 not imported: %v %v", links, err)
				}
				l := &ledger{t: t, ctx: ctx, db: db, ids: map[string]rapport.PatientID{"P": rapport.PatientID(links["p1"].EntityID)}}
				l.ev("", t0, rapport.EventCampaignLaunched, "", "c1", map[string]any{"start_at": t0})
				l.ev("P", t0, rapport.EventJourneyEnrolled, "", "c1", map[string]any{"trigger": "campaign"})
				l.ev("P", t0, rapport.EventMessageSent, rapport.ChannelSMS, "c1", nil)
				l.ev("P", t0.Add(3*time.Hour), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "declined"})
				appt := fmt.Sprintf(`{"resourceType":"Appointment","id":"a1","status":"fulfilled","start":%q,"participant":[{"actor":{"reference":"Patient/p1"}}]}`,
					c.start.Format(time.RFC3339))
				if _, err := im.ImportFHIR(ctx, write("Appointment.ndjson", appt)); err != nil {
					t.Fatal(err)
				}
				r, err := metrics.Compute(ctx, db, metrics.Filter{Campaign: "c1"})
				if err != nil {
					t.Fatal(err)
				}
				if r.EngagedDecliners != c.engaged || r.DeclinersSince.CommonLater != c.engaged {
					t.Errorf("engaged decliners %d, common later %d, want %d", r.EngagedDecliners, r.DeclinersSince.CommonLater, c.engaged)
				}
			})
		})
	}
}
