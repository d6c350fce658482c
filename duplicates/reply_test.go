package duplicates_test

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// TestReplyFromSharedPhoneReachesWaitingEnrollment: two records share a
// phone; the campaign's offer went to one, and later a staff text went to
// the other. The "yes" that comes back answers the offer a journey waits
// for, not the latest text: the person is interested, not lost in the inbox.
func TestReplyFromSharedPhoneReachesWaitingEnrollment(t *testing.T) {
	t.Parallel()
	def, err := journey.LoadFile("testdata/trial-offer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := testworld.New(t, store.SQLite, testworld.Options{Clock: rapport.NewManualClock(start), Journeys: true, Extra: []*journey.Definition{def}})
	advance := func(dt time.Duration) { jobstest.Advance(t, w.Ctx, w.Queue, w.Clock, dt, 0, 2*time.Minute) }
	const phone = "+15122340077"
	var ps []*rapport.Patient
	for range 2 {
		ps = append(ps, &rapport.Patient{Given: "Ana", Family: "Garcia", Language: "en", TimeZone: "America/Chicago",
			Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: phone, Value: phone, Use: rapport.UseMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}})
	}
	c := &rapport.Campaign{Journey: def.ID}
	err = w.DB.InTx(w.Ctx, func(tx *store.Tx) error {
		if err := tx.CreatePatients(w.Ctx, ps); err != nil {
			return err
		}
		return w.Engine.CreateCampaign(w.Ctx, tx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	advance(time.Minute)
	ens, err := w.DB.FindCampaignEnrollments(w.Ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var waiting, other rapport.PatientID
	for _, e := range ens {
		if e.Status == rapport.EnrollmentWaiting {
			waiting = e.PatientID
		} else {
			other = e.PatientID
		}
	}
	if waiting == "" || other == "" {
		t.Fatalf("enrollments = %+v, want one waiting for the offer and one ended as a duplicate address", ens)
	}
	err = w.DB.InTx(w.Ctx, func(tx *store.Tx) error {
		_, err := w.Pipeline.Send(w.Ctx, tx, messaging.Request{PatientID: other, Purpose: rapport.PurposeCare, Content: messaging.Plain("en", "Your lab results are ready.")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	advance(time.Minute)
	if _, err := simulator.Reply(w.Ctx, w.Pipeline, rapport.ChannelSMS, phone, testworld.OurNumber, "1"); err != nil {
		t.Fatal(err)
	}
	advance(time.Minute)
	ens, _ = w.DB.FindCampaignEnrollments(w.Ctx, c.ID)
	for _, e := range ens {
		if e.PatientID == waiting && e.Outcome != "interested" {
			t.Errorf("the offer's enrollment: %s at %s, outcome %q; want interested", e.Status, e.Step, e.Outcome)
		}
	}
}
