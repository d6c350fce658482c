package importer_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestNightlyUpdateBatch re-imports several changed patients in one file,
// the nightly sync's shape, which the importer writes as one batch: each
// patient ends as its record says — a changed phone added and the old one
// stale, identifiers replaced, a name changed — and a file that repeats a
// record ends as its last copy says.
func TestNightlyUpdateBatch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		first := []string{
			patientPhone("p1", "Reyes", "+1 512 867 5309", "urn:mrn|1"),
			patientPhone("p2", "Diaz", "+1 512 867 5310", "urn:mrn|2"),
			patientPhone("p3", "Lopez", "+1 512 867 5311", "urn:mrn|3"),
			patientPhone("p4", "Kim", "+1 512 867 5312", "urn:mrn|4"),
		}
		if _, err := im.ImportFHIR(ctx, ndjson(t, "Patient.ndjson", first...)); err != nil {
			t.Fatal(err)
		}
		delta := ndjson(t, "Patient.ndjson",
			patientPhone("p1", "Reyes", "+1 512 867 5399", "urn:mrn|1"),      // a new number
			patientPhone("p2", "Diaz", "+1 512 867 5310", "urn:mrn|2b"),      // a new MRN
			patientPhone("p3", "Lopez-Ruiz", "+1 512 867 5311", "urn:mrn|3"), // a new name
			first[3], // unchanged
			patientPhone("p5", "Novak", "+1 512 867 5313", "urn:mrn|5"), // new
		)
		sum, err := im.ImportFHIR(ctx, delta)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["Patient"]; c.Updated != 3 || c.Created != 1 || c.Unchanged != 1 {
			t.Fatalf("summary:\n%s", sum)
		}
		// The links took the new contents: the same file again changes nothing.
		if sum, err := im.ImportFHIR(ctx, delta); err != nil || sum.ByType["Patient"].Unchanged != 5 {
			t.Fatalf("the same file again: %v\n%s", err, sum)
		}
		got := map[string]*rapport.Patient{}
		for _, mrn := range []string{"1", "2b", "3", "4", "5"} {
			ps, _, err := db.FindPatients(ctx, rapport.PatientFilter{Identifier: &rapport.Identifier{System: "urn:mrn", Value: mrn}})
			if err != nil || len(ps) != 1 {
				t.Fatalf("patient with MRN %s: %d found, %v", mrn, len(ps), err)
			}
			got[mrn] = ps[0]
		}
		phones := func(p *rapport.Patient) (out []string) {
			for _, c := range p.Contacts {
				out = append(out, c.Value+" "+string(c.Status))
			}
			slices.Sort(out)
			return out
		}
		if ph := phones(got["1"]); !slices.Equal(ph, []string{"+15128675309 stale", "+15128675399 unverified"}) {
			t.Errorf("p1's phones after a new number: %v; want the old stale and the new one in use", ph)
		}
		if len(got["2b"].Identifiers) != 1 || got["2b"].Identifiers[0].Value != "2b" {
			t.Errorf("p2's identifiers: %+v; want the new MRN alone", got["2b"].Identifiers)
		}
		if got["3"].Family != "Lopez-Ruiz" || len(phones(got["3"])) != 1 {
			t.Errorf("p3: %s with phones %v; want the new name, the phone kept", got["3"].Family, phones(got["3"]))
		}
		if ps, _, _ := db.FindPatients(ctx, rapport.PatientFilter{Identifier: &rapport.Identifier{System: "urn:mrn", Value: "2"}}); len(ps) != 0 {
			t.Errorf("the old MRN of p2 still finds %d patients", len(ps))
		}
		evs, err := db.FindEvents(ctx, rapport.EventFilter{Kind: rapport.EventRecordUpdated})
		if err != nil || len(evs) != 3 {
			t.Fatalf("update events: %d, %v; want 3", len(evs), err)
		}
		// The old number's status change is in the ledger, once, with its evidence.
		var old rapport.ContactPoint
		for _, c := range got["1"].Contacts {
			if c.Status == rapport.StatusStale {
				old = c
			}
		}
		evs, err = db.FindEvents(ctx, rapport.EventFilter{Kind: rapport.EventContactStatus})
		if err != nil || len(evs) != 1 {
			t.Fatalf("contact status events: %d, %v; want 1", len(evs), err)
		}
		want := map[string]string{"contact_id": old.ID, "from": "unverified", "kind": "phone", "reason": "no longer listed by the source record", "to": "stale"}
		var payload map[string]string
		if err := json.Unmarshal(evs[0].Payload, &payload); err != nil || evs[0].PatientID != got["1"].ID || !maps.Equal(payload, want) {
			t.Errorf("contact status event of %s: %s (%v); want %v", evs[0].PatientID, evs[0].Payload, err, want)
		}

		// The same record twice in a file: the last copy wins.
		if _, err := im.ImportFHIR(ctx, ndjson(t, "Patient.ndjson",
			patientPhone("p4", "Kim", "+1 512 867 5320", "urn:mrn|4"),
			patientPhone("p4", "Kim", "+1 512 867 5321", "urn:mrn|4"))); err != nil {
			t.Fatal(err)
		}
		ps, _, err := db.FindPatients(ctx, rapport.PatientFilter{Identifier: &rapport.Identifier{System: "urn:mrn", Value: "4"}})
		if err != nil || len(ps) != 1 {
			t.Fatalf("p4: %d, %v", len(ps), err)
		}
		if ph := phones(ps[0]); !slices.Contains(ph, "+15128675321 unverified") || !slices.Contains(ph, "+15128675320 stale") {
			t.Errorf("p4's phones after a file with two copies: %v; want the last copy's number in use and the first's stale", ph)
		}
	})
}

func patientPhone(id, family, phone string, ids ...string) string {
	p := patientJSON(id, family, "1950-01-02", ids...)
	return p[:len(p)-len(`"+1 512 867 5309","use":"mobile"}]}`)] + `"` + phone + `","use":"mobile"}]}`
}
