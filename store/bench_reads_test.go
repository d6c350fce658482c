package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// BenchmarkCampaignReads measures, on SQLite, the two reads a campaign
// makes for every message and that cost most per row (issue 11): a launch
// page's patients with their contact points, and a send job's messages by
// id. They run on SQLite's one writer, so their time is the campaign's.
// Micro-benchmarks: the campaign's own figures come from e2e's.
func BenchmarkCampaignReads(b *testing.B) {
	const patients, page, batch = 5000, 500, 100
	ctx := context.Background()
	db := dbtest.Open(b, store.SQLite, rapport.SystemClock{})
	pids, mids := seedCampaign(b, ctx, db, patients)
	b.Run("patients-with-contacts", func(b *testing.B) {
		i := 0
		for b.Loop() {
			ids := pids[i%(patients/page)*page:][:page]
			i++
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				ps, err := tx.FindPatientsWithContacts(ctx, ids)
				if err == nil && (len(ps) != page || len(ps[0].Contacts) != 2) {
					err = fmt.Errorf("read %d patients, the first with %d contact points", len(ps), len(ps[0].Contacts))
				}
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*page), "µs/patient")
	})
	b.Run("messages-by-id", func(b *testing.B) {
		i := 0
		for b.Loop() {
			ids := mids[i%(patients/batch)*batch:][:batch]
			i++
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				ms, err := tx.FindMessagesByID(ctx, ids)
				if err == nil && len(ms) != batch {
					err = fmt.Errorf("read %d messages", len(ms))
				}
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "µs/message")
	})
}

// seedCampaign writes n patients with a phone and an email each, and one
// queued campaign SMS to each, as a launch leaves them.
func seedCampaign(b *testing.B, ctx context.Context, db *store.DB, n int) ([]rapport.PatientID, []rapport.MessageID) {
	b.Helper()
	start := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	var ps []*rapport.Patient
	for i := range n {
		ps = append(ps, &rapport.Patient{Given: "Ana", Family: fmt.Sprintf("Núñez %d", i), BirthDate: "1958-02-28", Sex: rapport.SexFemale,
			Language: "es", TimeZone: "America/Chicago", Address: rapport.Address{Lines: []string{"12 Main St"}, City: "Alice", State: "TX", PostalCode: "78332"},
			Contacts: []rapport.ContactPoint{
				{Kind: rapport.ContactPhone, Raw: fmt.Sprintf("(361) 664-%04d", i), Value: fmt.Sprintf("+1361664%04d", i), Use: rapport.UseMobile,
					LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport, Rank: 1},
				{Kind: rapport.ContactEmail, Raw: fmt.Sprintf("ana%d@example.org", i), Value: fmt.Sprintf("ana%d@example.org", i),
					Status: rapport.StatusUnverified, Source: rapport.SourceImport},
			}})
	}
	var ms []*rapport.Message
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePatients(ctx, ps); err != nil {
			return err
		}
		for _, p := range ps {
			ms = append(ms, &rapport.Message{PatientID: p.ID, Channel: rapport.ChannelSMS, To: p.Contacts[0].Value, Purpose: rapport.PurposeOutreach,
				Language: "es", Body: "Hola Ana, ¿le interesa un tensiómetro gratis?", Template: rapport.MessageText{Body: "Hola {first_name}, ¿le interesa un tensiómetro gratis?"},
				Vars: map[string]string{"first_name": "Ana"}, Status: rapport.MessageQueued, Journey: "outreach", Campaign: "c1", Step: "offer",
				NotBefore: start, Deadline: start.Add(24 * time.Hour)})
		}
		return tx.CreateMessages(ctx, ms)
	})
	if err != nil {
		b.Fatal(err)
	}
	pids := make([]rapport.PatientID, n)
	mids := make([]rapport.MessageID, n)
	for i := range n {
		pids[i], mids[i] = ps[i].ID, ms[i].ID
	}
	return pids, mids
}
