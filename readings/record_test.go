package readings_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// TestRecordPriorityByRegimen: an out-of-range reading goes to the inbox
// with the priority the regimens it concerns set (the highest of them),
// else its level's, naming their drugs; an urgent reading stays urgent, a
// stopped regimen or one of an unrelated drug has no say, and a reading in
// range makes no item whatever a regimen says.
func TestRecordPriorityByRegimen(t *testing.T) {
	lisinopril := rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}
	amlodipine := rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "197361", Display: "amlodipine 5 MG Oral Tablet"}
	metformin := rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "861007", Display: "metformin hydrochloride 500 MG Oral Tablet"}
	type regimen struct {
		drug     rapport.Code
		priority rapport.Priority
		status   store.RegimenStatus
	}
	high, crisis, fine := "bp 150/95", "bp 185/100", "bp 120/80"
	cases := []struct {
		name     string
		regimens []regimen
		reading  string
		want     rapport.Priority // "" for no item
		on       string           // the summary names these drugs; "" none
	}{
		{"no regimen: the level's", nil, high, rapport.PriorityHigh, ""},
		{"unrelated regimen has no say", []regimen{{metformin, rapport.PriorityUrgent, store.RegimenActive}}, high, rapport.PriorityHigh, ""},
		{"related, no priority set: the level's", []regimen{{lisinopril, "", store.RegimenActive}}, high, rapport.PriorityHigh, "on lisinopril 10 MG Oral Tablet:"},
		{"related, normal", []regimen{{lisinopril, rapport.PriorityNormal, store.RegimenActive}}, high, rapport.PriorityNormal, "on lisinopril 10 MG Oral Tablet:"},
		{"related, urgent", []regimen{{lisinopril, rapport.PriorityUrgent, store.RegimenActive}}, high, rapport.PriorityUrgent, "on lisinopril 10 MG Oral Tablet:"},
		{"two regimens: the highest wins", []regimen{{lisinopril, rapport.PriorityNormal, store.RegimenActive}, {amlodipine, rapport.PriorityUrgent, store.RegimenActive}},
			high, rapport.PriorityUrgent, "on lisinopril 10 MG Oral Tablet and amlodipine 5 MG Oral Tablet:"},
		{"two regimens, one unset: the set one", []regimen{{lisinopril, "", store.RegimenActive}, {amlodipine, rapport.PriorityNormal, store.RegimenActive}},
			high, rapport.PriorityNormal, "and amlodipine"},
		{"critical floor: urgent stays urgent", []regimen{{lisinopril, rapport.PriorityNormal, store.RegimenActive}}, crisis, rapport.PriorityUrgent, "on lisinopril"},
		{"stopped regimen ignored", []regimen{{lisinopril, rapport.PriorityUrgent, store.RegimenStopped}}, high, rapport.PriorityHigh, ""},
		{"proposed regimen ignored", []regimen{{lisinopril, rapport.PriorityNormal, store.RegimenProposed}}, high, rapport.PriorityHigh, ""},
		{"in range: no item", []regimen{{lisinopril, rapport.PriorityUrgent, store.RegimenActive}}, fine, "", ""},
		{"glucose on metformin", []regimen{{lisinopril, rapport.PriorityUrgent, store.RegimenActive}, {metformin, rapport.PriorityNormal, store.RegimenActive}},
			"glucose 200", rapport.PriorityNormal, "on metformin hydrochloride 500 MG Oral Tablet:"},
	}
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)) }, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, c := range cases {
			var rec readings.Recorded
			err := db.InTx(ctx, func(tx *store.Tx) error {
				p := &rapport.Patient{Given: "Rosa", Family: "Diaz", TimeZone: "America/Chicago",
					Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: fmt.Sprintf("+1512555%04d", i), Use: rapport.UseMobile}}}
				if err := tx.CreatePatients(ctx, []*rapport.Patient{p}); err != nil {
					return err
				}
				for _, r := range c.regimens {
					reg := &store.Regimen{PatientID: p.ID, Drug: r.drug, Zone: "America/Chicago", Schedule: []byte(`{}`), Status: r.status, ReadingPriority: r.priority}
					if err := tx.CreateRegimen(ctx, reg); err != nil {
						return err
					}
				}
				reading, err := selfreport.ParseReading(c.reading, "en")
				if err != nil {
					return err
				}
				rec, err = readings.Record(ctx, tx, readings.Report{PatientID: p.ID, Reading: reading, At: tx.Now(), Source: "sms"})
				return err
			})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			switch {
			case c.want == "" && rec.Item != nil:
				t.Errorf("%s: inbox item %+v, want none", c.name, rec.Item)
			case c.want == "":
			case rec.Item == nil:
				t.Errorf("%s: no inbox item, want one of priority %s", c.name, c.want)
			case rec.Item.Priority != c.want:
				t.Errorf("%s: priority %s, want %s (%s)", c.name, rec.Item.Priority, c.want, rec.Item.Summary)
			case c.on == "" && strings.Contains(rec.Item.Summary, " on "):
				t.Errorf("%s: summary %q names a treatment, want none", c.name, rec.Item.Summary)
			case c.on != "" && !strings.Contains(rec.Item.Summary, c.on):
				t.Errorf("%s: summary %q, want it to say %q", c.name, rec.Item.Summary, c.on)
			}
		}
	})
}
