package storetest

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testCampaignPages: campaigns list newest first, page by page with no
// campaign lost or repeated, even when two share a creation time.
func testCampaignPages(t *testing.T, s suite) {
	var made []string
	for i := range 5 {
		c := &rapport.Campaign{Name: "c", Journey: "outreach", Version: 1, Status: rapport.CampaignScheduled, StartAt: Start}
		s.tx(t, func(tx *store.Tx) error { return tx.CreateCampaign(s.ctx, c) })
		made = append(made, c.ID)
		if i != 2 { // the third and fourth share a time
			s.clock.Advance(time.Second)
		}
	}
	var got []string
	after := ""
	for range 10 {
		cs, err := s.db.FindCampaigns(s.ctx, rapport.CampaignFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if len(cs) < 2 {
			break
		}
		after = cs[len(cs)-1].ID
	}
	if len(got) != 5 || got[0] != made[4] || got[4] != made[0] || !(got[1] == made[3] || got[1] == made[2]) {
		t.Errorf("pages %v of campaigns made %v, want newest first", got, made)
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("campaign %s listed twice: %v", id, got)
		}
		seen[id] = true
	}
}

// testCountLive: a campaign's live enrollments are those active or waiting,
// and Progress says running while one lives, done after.
func testCountLive(t *testing.T, s suite) {
	p, q := phonePatient("P", "+15125550111"), phonePatient("Q", "+15125550112")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p, q}) })
	c := &rapport.Campaign{Name: "c", Journey: "outreach", Version: 1, Status: rapport.CampaignLaunched, StartAt: Start}
	s.tx(t, func(tx *store.Tx) error { return tx.CreateCampaign(s.ctx, c) })
	ens := []*rapport.Enrollment{
		{Journey: "outreach", Version: 1, PatientID: p.ID, Campaign: c.ID, Step: "offer", Status: rapport.EnrollmentWaiting, WakeAt: Start, Vars: map[string]string{}},
		{Journey: "outreach", Version: 1, PatientID: q.ID, Campaign: c.ID, Step: "end", Status: rapport.EnrollmentDone, WakeAt: Start, Vars: map[string]string{}},
	}
	s.tx(t, func(tx *store.Tx) error { return tx.CreateEnrollments(s.ctx, ens) })
	live, err := s.db.CountLive(s.ctx, []string{c.ID, "none"})
	if err != nil || live[c.ID] != 1 || len(live) != 1 || c.Progress(live[c.ID]) != rapport.CampaignRunning {
		t.Fatalf("live %v, %v: want 1 of campaign %s, running", live, err, c.ID)
	}
	ens[0].Status = rapport.EnrollmentDone
	s.tx(t, func(tx *store.Tx) error { return tx.UpdateEnrollment(s.ctx, ens[0]) })
	s.tx(t, func(tx *store.Tx) (err error) { live, err = tx.CountLive(s.ctx, []string{c.ID}); return err })
	if live[c.ID] != 0 || c.Progress(live[c.ID]) != rapport.CampaignDone {
		t.Errorf("after the last enrollment ended: live %v, progress %s, want done", live, c.Progress(live[c.ID]))
	}
}
