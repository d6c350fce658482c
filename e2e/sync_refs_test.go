package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/proctest"
)

// TestNightlySyncReferences is issue 16's reference resolution as nightly
// exports bring it: a record whose practitioner, location or prescription
// comes in a later night's file is kept, its reference waiting (the
// summary says how many wait); the night that brings them resolves it; a
// later night's records find the earlier night's patients by their source
// ids; and a changed record imported again keeps its resolved references.
func TestNightlySyncReferences(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport import as a process")
	}
	t.Parallel()
	dir := t.TempDir()
	night1 := writeNight(t, filepath.Join(dir, "night1"), map[string][]string{
		"Patient": {
			`{"resourceType":"Patient","id":"p1","name":[{"family":"Rivera","given":["Ana"]}],"birthDate":"1950-04-02","telecom":[{"system":"phone","value":"+15055550101"}]}`,
			`{"resourceType":"Patient","id":"p2","name":[{"family":"Okafor","given":["Ben"]}],"birthDate":"1962-11-20","telecom":[{"system":"phone","value":"+15055550102"}]}`,
		},
		"Encounter": {encounter("finished")},
		"MedicationDispense": {
			`{"resourceType":"MedicationDispense","id":"disp-1","status":"completed","subject":{"reference":"Patient/p2"},` +
				`"medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076"}]},` +
				`"authorizingPrescription":[{"reference":"MedicationRequest/rx-1"}],"whenHandedOver":"2026-11-30T15:00:00Z"}`,
		},
	})
	night2 := writeNight(t, filepath.Join(dir, "night2"), map[string][]string{
		"Practitioner": {`{"resourceType":"Practitioner","id":"dr-1","name":[{"family":"Nakamura","given":["Kei"]}]}`},
		"Location":     {`{"resourceType":"Location","id":"clinic-1","name":"Mesa Clinic"}`},
		"MedicationRequest": {
			`{"resourceType":"MedicationRequest","id":"rx-1","status":"active","intent":"order","subject":{"reference":"Patient/p2"},` +
				`"medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076"}]},` +
				`"requester":{"reference":"Practitioner/dr-1"},"authoredOn":"2026-11-29"}`,
		},
		"Appointment": {
			`{"resourceType":"Appointment","id":"appt-1","status":"booked","start":"2026-12-20T16:00:00Z","end":"2026-12-20T16:30:00Z",` +
				`"participant":[{"actor":{"reference":"Patient/p1"}},{"actor":{"reference":"Practitioner/dr-1"}},{"actor":{"reference":"Location/clinic-1"}}]}`,
		},
	})
	night3 := writeNight(t, filepath.Join(dir, "night3"), map[string][]string{"Encounter": {encounter("cancelled")}})

	onEachDatabase(t, func(t *testing.T, dsn string) {
		env := append(proctest.Env(), "RAPPORT_DB="+dsn)
		db := openDB(t, dsn)
		defer db.Close()
		linkedTo := func(table, col, typ, id string) string {
			return table + " r JOIN source_records s ON s.entity_id = r." + col +
				" WHERE s.resource_type = '" + typ + "' AND s.resource_id = '" + id + "'"
		}

		out := rapportCmd(t, env, "import", "fhir", night1)
		wantWaiting(t, out, 3)
		if n := countRows(t, db, "encounters WHERE practitioner_id IS NULL AND location_id IS NULL"); n != 1 {
			t.Errorf("after night 1, %d encounters wait for their practitioner and location, want 1", n)
		}
		if n := countRows(t, db, "medication_dispenses WHERE request_id IS NULL"); n != 1 {
			t.Errorf("after night 1, %d dispenses wait for their prescription, want 1", n)
		}

		out = rapportCmd(t, env, "import", "fhir", night2)
		wantWaiting(t, out, 0)
		for _, c := range []struct{ what, from string }{
			{"the encounter's practitioner", linkedTo("encounters", "practitioner_id", "Practitioner", "dr-1")},
			{"the encounter's location", linkedTo("encounters", "location_id", "Location", "clinic-1")},
			{"the dispense's prescription", linkedTo("medication_dispenses", "request_id", "MedicationRequest", "rx-1")},
			{"the prescription's prescriber", linkedTo("medication_requests", "practitioner_id", "Practitioner", "dr-1")},
			{"the appointment's patient from night 1", linkedTo("appointments", "patient_id", "Patient", "p1")},
			{"the appointment's practitioner", linkedTo("appointments", "practitioner_id", "Practitioner", "dr-1")},
			{"the appointment's location", linkedTo("appointments", "location_id", "Location", "clinic-1")},
		} {
			if n := countRows(t, db, c.from); n != 1 {
				t.Errorf("after night 2, %s: %d rows linked, want 1", c.what, n)
			}
		}

		out = rapportCmd(t, env, "import", "fhir", night3)
		wantWaiting(t, out, 0)
		if !strings.Contains(out, "Encounter") || !strings.Contains(out, "1 updated") {
			t.Errorf("night 3 should update the encounter:\n%s", out)
		}
		if n := countRows(t, db, linkedTo("encounters", "practitioner_id", "Practitioner", "dr-1")+" AND r.status = 'cancelled'"); n != 1 {
			t.Errorf("after night 3 the changed encounter lost its resolved practitioner (%d rows)", n)
		}
		if n := countRows(t, db, "encounters"); n != 1 {
			t.Errorf("%d encounters after night 3, want the one updated", n)
		}
	})
}

// writeNight writes one NDJSON file per resource type into dir and returns dir.
func writeNight(t *testing.T, dir string, byType map[string][]string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for typ, lines := range byType {
		if err := os.WriteFile(filepath.Join(dir, typ+".ndjson"), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// encounter is p1's visit with dr-1 at clinic-1, in the status given.
func encounter(status string) string {
	return `{"resourceType":"Encounter","id":"enc-1","status":"` + status + `","class":{"code":"AMB"},"subject":{"reference":"Patient/p1"},` +
		`"participant":[{"individual":{"reference":"Practitioner/dr-1"}}],"location":[{"location":{"reference":"Location/clinic-1"}}],` +
		`"period":{"start":"2026-11-28T14:00:00Z","end":"2026-11-28T14:30:00Z"}}`
}

// wantWaiting checks how many references the import's summary says still wait.
func wantWaiting(t *testing.T, out string, n int) {
	t.Helper()
	const line = "references waiting for resources not imported yet: "
	got := 0
	if i := strings.Index(out, line); i >= 0 {
		rest := out[i+len(line):]
		if j := strings.IndexByte(rest, '\n'); j >= 0 {
			rest = rest[:j]
		}
		var err error
		if got, err = strconv.Atoi(strings.TrimSpace(rest)); err != nil {
			t.Fatalf("summary's waiting line %q: %v", rest, err)
		}
	}
	if got != n {
		t.Errorf("summary says %d references wait, want %d:\n%s", got, n, out)
	}
}
