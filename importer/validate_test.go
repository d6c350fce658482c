package importer_test

import (
	"context"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestCSVRurality is issue 13's trial in small: a CRM export with no rural
// column filled for most rows. Every US patient with a known ZIP gets its
// RUCA code stored and rurality derived from it (codes 4-10 rural), unless
// the row says otherwise; validation flags and suggestions are stored too.
func TestCSVRurality(t *testing.T) {
	t.Parallel()
	m, err := csvimport.LoadMapping("testdata/rural-mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db}
		if _, err := im.ImportCSV(ctx, "testdata/rural.csv", m); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			id    string
			ruca  int
			rural bool
			addr  rapport.FlagCode // an address flag expected, if any
		}{
			{"r1", 10, true, ""},  // Wrangell, Alaska
			{"r2", 1, false, ""},  // Manhattan
			{"r3", 4, true, ""},   // micropolitan, ZIP+4
			{"r4", 1, true, ""},   // the row says rural: it wins
			{"r5", 10, false, ""}, // the row says urban: it wins
			{"r6", 1, false, rapport.FlagPostalMismatch},
			{"r7", 0, false, ""},
		}
		for _, tt := range tests {
			p := findBySource(t, db, "rural-test", tt.id)
			if p.RUCA != tt.ruca || p.Rural != tt.rural {
				t.Errorf("%s: stored RUCA %d rural %v, want %d %v", tt.id, p.RUCA, p.Rural, tt.ruca, tt.rural)
			}
			if got := rapport.HasFlag(p.Address.Flags, tt.addr); tt.addr != "" && !got {
				t.Errorf("%s: address flags %+v, want %s", tt.id, p.Address.Flags, tt.addr)
			}
		}
		r1 := findBySource(t, db, "rural-test", "r1")
		if a := r1.Address; len(a.Lines) != 1 || a.Lines[0] != "1 FRONT ST" || a.City != "WRANGELL" {
			t.Errorf("r1 address stored as %+v, want USPS form", a)
		}
		flags := map[string]rapport.FlagCode{"r1": rapport.FlagRole, "r2": rapport.FlagRole, "r3": rapport.FlagTypo, "r4": rapport.FlagDisposable}
		for id, want := range flags {
			p := findBySource(t, db, "rural-test", id)
			var email *rapport.ContactPoint
			for i := range p.Contacts {
				if p.Contacts[i].Kind == rapport.ContactEmail {
					email = &p.Contacts[i]
				}
			}
			if email == nil || !rapport.HasFlag(email.Flags, want) || !email.Usable() {
				t.Errorf("%s: email %+v, want usable with flag %s", id, email, want)
			}
		}
		if c := findBySource(t, db, "rural-test", "r3").Contacts[0]; c.Suggestion != "cy@gmail.com" || c.Value != "cy@gmial.com" {
			t.Errorf("r3 email %+v: want the value kept and the suggestion stored", c)
		}
		// An N11 exchange is no subscriber's number.
		if c := findBySource(t, db, "rural-test", "r2").Contacts; c[len(c)-1].Kind != rapport.ContactPhone ||
			c[len(c)-1].Status != rapport.StatusInvalid || !rapport.HasFlag(c[len(c)-1].Flags, rapport.FlagReserved) {
			t.Errorf("r2 contacts %+v: want the 411 number invalid and flagged reserved", c)
		}
	})
}

// TestFHIRRurality: the FHIR importer derives rurality from the ZIP code
// too, and rapport's own rural extension wins over it.
func TestFHIRRurality(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		path := ndjson(t, "Patient.ndjson",
			`{"resourceType":"Patient","id":"a","address":[{"line":["1 Front Street"],"city":"Wrangell","state":"AK","postalCode":"99929","country":"US"}]}`,
			`{"resourceType":"Patient","id":"b","extension":[{"url":"https://rapport.dev/fhir/StructureDefinition/rural","valueBoolean":false}],"address":[{"postalCode":"99929","country":"US"}]}`,
			`{"resourceType":"Patient","id":"c","address":[{"postalCode":"10001"}]}`)
		if _, err := im.ImportFHIR(ctx, path); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]struct {
			ruca  int
			rural bool
		}{"a": {10, true}, "b": {10, false}, "c": {1, false}} {
			p := findBySource(t, db, "ehr", id)
			if p.RUCA != want.ruca || p.Rural != want.rural {
				t.Errorf("Patient/%s: RUCA %d rural %v, want %d %v", id, p.RUCA, p.Rural, want.ruca, want.rural)
			}
		}
	})
}

func findBySource(t *testing.T, db *store.DB, source, id string) *rapport.Patient {
	t.Helper()
	ctx := context.Background()
	var p *rapport.Patient
	err := db.InTx(ctx, func(tx *store.Tx) error {
		links, err := tx.FindSourceRecords(ctx, source, "Patient", []string{id})
		if err != nil {
			return err
		}
		l, ok := links[id]
		if !ok {
			t.Fatalf("%s %s not imported", source, id)
		}
		p, err = tx.FindPatientByID(ctx, rapport.PatientID(l.EntityID))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
