package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/ruca"
	"github.com/rapporthq/rapport/store"
)

// The trial of issue 13: a 400-person CRM export in which 24 people have a
// second record (same phone, same birth date, one transposed letter in the
// surname) and 193 live in rural ZIP codes.
const (
	trialPeople  = 400
	trialSeconds = 24
	trialRural   = 193
)

// trialPerson is one person of the trial and the records the CRM holds.
type trialPerson struct {
	given, family, birth, phone, street, zip, state string
	rural                                           bool
	// ids are the CRM's record ids: one, or two for a person entered twice.
	ids []string
}

// trialMapping reads the trial's export.
const trialMapping = `source: trial-crm
id_column: id
default_region: US
patient:
  given: first
  family: last
  birth_date: {column: dob, format: "%m/%d/%Y"}
  address: {line: street, city: city, state: state, postal_code: zip}
contacts:
  - {column: phone, kind: phone, use: mobile}
`

var (
	trialGiven  = []string{"Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Barbara", "David", "Susan", "Joseph", "Karen", "Thomas", "Nancy", "Daniel", "Lisa", "Paul", "Sandra", "Mark", "Donna", "George"}
	trialFamily = []string{"Hernandez", "Whitfield", "Castillo", "Brennan", "Okafor", "Lindqvist", "Delgado", "Pemberton", "Yamamoto", "Gallagher", "Novak", "Fairbanks", "Abernathy", "Rosales", "Kowalski", "Thornton", "Villarreal", "Hargrove", "Mendoza", "Ashworth"}
)

// crmTrial writes the trial's export and mapping into dir. People are
// distinct by name and birth date; the second records come last in the
// file, as a later data entry would add them.
func crmTrial(t *testing.T, dir string) (csvPath, mappingPath string, people []trialPerson) {
	t.Helper()
	rural, urban := trialZIPs(t)
	rows := [][]string{{"id", "first", "last", "dob", "street", "city", "state", "zip", "phone"}}
	for i := range trialPeople {
		p := trialPerson{
			given:  trialGiven[i%len(trialGiven)],
			family: trialFamily[(i/len(trialGiven))%len(trialFamily)],
			birth:  time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 53*i).Format("01/02/2006"),
			phone:  fmt.Sprintf("(512) %03d-%04d", 200+(i*37)%700, (i*7919+1234)%10000),
			street: fmt.Sprintf("%d %s Street", 10+i*3, trialGiven[(i*7)%len(trialGiven)]),
			ids:    []string{fmt.Sprintf("C%04d", i+1)},
		}
		z := urban[i%len(urban)]
		if i%2 == 0 && i/2 < trialRural {
			z = rural[i/2]
		}
		p.zip, p.state, p.rural = z.zip, z.state, z.rural
		people = append(people, p)
		rows = append(rows, trialRow(p, p.ids[0], p.family))
	}
	// Every 16th person (24 of 400) was entered a second time.
	for i := 0; i < trialPeople && len(rows) <= trialPeople+trialSeconds; i += trialPeople / trialSeconds {
		p := &people[i]
		id := fmt.Sprintf("C%04d", trialPeople+len(p.ids)+i)
		p.ids = append(p.ids, id)
		rows = append(rows, trialRow(*p, id, transpose(p.family, 2+i%3)))
	}
	csvPath, mappingPath = filepath.Join(dir, "crm.csv"), filepath.Join(dir, "crm-mapping.yaml")
	f, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mappingPath, []byte(trialMapping), 0o600); err != nil {
		t.Fatal(err)
	}
	return csvPath, mappingPath, people
}

func trialRow(p trialPerson, id, family string) []string {
	return []string{id, p.given, family, p.birth, p.street, "Springfield", p.state, p.zip, p.phone}
}

// transpose swaps the letters at i and i+1: the typo of a hurried entry.
func transpose(s string, i int) string {
	b := []byte(s)
	b[i], b[i+1] = b[i+1], b[i]
	return string(b)
}

type trialZIP struct {
	zip, state string
	rural      bool
}

// trialZIPs returns Texas ZIP codes the USDA codes rural (enough for the
// trial) and urban, in order, from the table rapport embeds.
func trialZIPs(t *testing.T) (rural, urban []trialZIP) {
	t.Helper()
	for n := 75001; n < 80000 && (len(rural) < trialRural || len(urban) < trialPeople); n++ {
		zip := fmt.Sprintf("%05d", n)
		e, ok := ruca.Lookup(zip)
		if !ok || !e.Code.Known() {
			continue
		}
		z := trialZIP{zip: zip, state: e.State, rural: e.Code.Rural()}
		if z.rural {
			rural = append(rural, z)
		} else {
			urban = append(urban, z)
		}
	}
	if len(rural) < trialRural {
		t.Fatalf("the RUCA table has %d rural Texas ZIP codes, the trial needs %d", len(rural), trialRural)
	}
	return rural, urban
}

// TestCRMTrial runs issue 13's trial the way a clinic meets it: the export
// imported with `rapport import csv` and read back, `rapport hygiene run`,
// then a campaign launched with `rapport campaign launch` and run by
// `rapport serve` while the people answer at the Twilio fake.
func TestCRMTrial(t *testing.T) {
	skipShort(t)
	// Not parallel: its 400 people answering at once load the machine,
	// and the outreach tests beside it would read their own answers late.
	proctest.Binary(t)
	dir := t.TempDir()
	csvPath, mapping, people := crmTrial(t, dir)
	dsn := "sqlite:" + filepath.Join(dir, "rapport.db")
	fake := twiliotest.NewServer(t, twiliotest.Options{})
	env := append(proctest.TwilioEnv(fake), "RAPPORT_DB="+dsn, proctest.AllHours)
	out := rapportCmd(t, env, "import", "csv", csvPath, "--mapping", mapping)
	if want := fmt.Sprintf("%d created", trialPeople+trialSeconds); !strings.Contains(out, want) {
		t.Fatalf("import: want %q in %s", want, out)
	}
	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	// Rurality comes from the ZIP code, with no rural column in the export.
	wantRural := 0
	for _, p := range people {
		if p.rural {
			wantRural += len(p.ids)
		}
	}
	if got := count(t, db, "SELECT count(*) FROM patients WHERE rural <> 0"); got != wantRural {
		t.Errorf("%d rural records, want %d (%d rural people, with their second records)", got, wantRural, trialRural)
	}

	// `rapport hygiene run` finds every second record, and nothing else:
	// the review queue holds one pair per person entered twice.
	rapportCmd(t, env, "hygiene", "run")
	ids := map[string]string{} // CRM id → patient id
	rows, err := db.SQLDB().Query("SELECT value, patient_id FROM patient_identifiers WHERE system = 'urn:rapport:source:trial-crm'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v, pid string
		if err := rows.Scan(&v, &pid); err != nil {
			t.Fatal(err)
		}
		ids[v] = pid
	}
	rows.Close()
	want := map[string]bool{}
	for _, p := range people {
		if len(p.ids) == 2 {
			a, b := ids[p.ids[0]], ids[p.ids[1]]
			want[min(a, b)+" "+max(a, b)] = true
		}
	}
	q, err := db.FindDuplicateCandidates(context.Background(), rapport.DuplicateFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, c := range q {
		if want[string(c.A)+" "+string(c.B)] {
			found++
		} else {
			t.Errorf("queued pair %s/%s (%s) is two people: %+v", c.A, c.B, c.Reason, c.Explanation)
		}
	}
	if found != trialSeconds {
		t.Errorf("the review queue holds %d of the %d people entered twice", found, trialSeconds)
	}

	// Then the clinic offers the service to everyone, before staff review
	// the queue: each person is asked once, whatever records they have.
	runTrialCampaign(t, env, fake, db, people, ids)
}
