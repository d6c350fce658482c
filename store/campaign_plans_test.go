package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/store"
)

// TestCampaignPlans: every statement a campaign runs on SQLite finds its
// rows through an index — the launch, the sends, the answers, the wake-ups
// at the timeout and the second wave (the outreach journey over a few
// hundred patients, a third answering yes, a third no). A campaign
// benchmark found such scans only at a hundred thousand patients.
func TestCampaignPlans(t *testing.T) {
	clock := rapport.NewManualClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)) // 9:00 in Chicago
	w := testworld.New(t, store.SQLite, testworld.Options{Clock: clock, Journeys: true})
	phones := hypertensives(t, w, 300)
	// The statement cache keeps the latest 256 statements: what it holds
	// is collected after each phase. What it held before the campaign (the
	// migrations, the patients' creation) is not the campaign's.
	before := cachedQueries(t, w.DB)
	seen := map[string]bool{}
	collect := func() {
		for _, q := range cachedQueries(t, w.DB) {
			seen[q] = !slices.Contains(before, q)
		}
	}
	c := &rapport.Campaign{Journey: "outreach"}
	if err := w.DB.InTx(w.Ctx, func(tx *store.Tx) error { return w.Engine.CreateCampaign(w.Ctx, tx, c) }); err != nil {
		t.Fatal(err)
	}
	jobstest.Advance(t, w.Ctx, w.Queue, clock, time.Minute, 0, 5*time.Minute)
	if n := len(w.Sim.Sent()); n < len(phones) {
		t.Fatalf("%d messages sent at launch, want %d", n, len(phones))
	}
	collect()
	for i, phone := range phones {
		if i%3 == 2 {
			continue
		}
		if _, err := simulator.Reply(w.Ctx, w.Pipeline, rapport.ChannelSMS, phone, testworld.OurNumber, fmt.Sprint(i%3+1)); err != nil {
			t.Fatal(err)
		}
	}
	jobstest.WaitIdle(t, w.Ctx, w.Queue, 5*time.Minute)
	collect()
	// Past the 3-day wait: the silent third gets the retry.
	jobstest.Advance(t, w.Ctx, w.Queue, clock, 4*24*time.Hour, 6*time.Hour, 5*time.Minute)
	if n, want := len(w.Sim.Sent()), len(phones)+len(phones)/3; n < want {
		t.Fatalf("%d messages sent after the wait, want at least %d (the retries)", n, want)
	}
	collect()
	queries := make([]string, 0, len(seen))
	for q, campaign := range seen {
		if campaign {
			queries = append(queries, q)
		}
	}
	slices.Sort(queries)
	assertIndexed(t, w.DB, queries)
}

// hypertensives creates n patients with hypertension (outreach's segment),
// each with a valid mobile number, and returns the numbers.
func hypertensives(t *testing.T, w *testworld.World, n int) []string {
	t.Helper()
	var ps []*rapport.Patient
	var phones []string
	for i := range n {
		phone := fmt.Sprintf("+1512%07d", 2000000+i)
		phones = append(phones, phone)
		ps = append(ps, &rapport.Patient{Given: "Pat", Family: fmt.Sprint(i), BirthDate: "1960-01-01", Language: "en",
			TimeZone: "America/Chicago", Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: phone, Raw: phone,
				Use: rapport.UseMobile, LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}})
	}
	err := w.DB.InTx(w.Ctx, func(tx *store.Tx) error {
		if err := tx.CreatePatients(w.Ctx, ps); err != nil {
			return err
		}
		for _, p := range ps {
			if err := tx.SaveCondition(w.Ctx, &rapport.Condition{PatientID: p.ID, ClinicalStatus: "active",
				Code: rapport.Code{System: "http://hl7.org/fhir/sid/icd-10-cm", Code: "I10"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return phones
}
