package importer_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/sim/population"
	"github.com/rapporthq/rapport/store"
)

// allRegimens lists every regimen of the database's patients.
func allRegimens(t *testing.T, db *store.DB) []*store.Regimen {
	t.Helper()
	ctx := context.Background()
	ps, _, err := db.FindPatients(ctx, rapport.PatientFilter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var ids []rapport.PatientID
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	var out []*store.Regimen
	err = db.InTx(ctx, func(tx *store.Tx) error {
		m, err := tx.PatientsRegimens(ctx, ids)
		for _, rs := range m {
			out = append(out, rs...)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGeneratedPrescriptionsProposeRegimens: the generator's prescriptions
// (lisinopril, metformin, … at their times of day; albuterol as needed)
// propose one regimen per patient and drug, reminding nothing; the same
// files again change nothing.
func TestGeneratedPrescriptionsProposeRegimens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := population.Write(context.Background(), dir, population.Config{People: 30, Seed: 7, Params: population.DefaultParams()}); err != nil {
		t.Fatal(err)
	}
	// What the prescriptions ask for: a regimen per patient and scheduled drug.
	want := map[string]bool{}
	f, err := os.Open(filepath.Join(dir, population.FHIRDir, "MedicationRequest.000.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var mr struct {
			Subject struct{ Reference string }
			Med     struct{ Coding []struct{ Code string } } `json:"medicationCodeableConcept"`
			Dosage  []struct {
				AsNeeded bool `json:"asNeededBoolean"`
			} `json:"dosageInstruction"`
		}
		if err := json.Unmarshal(sc.Bytes(), &mr); err != nil {
			t.Fatal(err)
		}
		if !mr.Dosage[0].AsNeeded {
			want[mr.Subject.Reference+" "+mr.Med.Coding[0].Code] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("the generator wrote no scheduled prescriptions")
	}
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		sum, err := im.ImportFHIR(ctx, filepath.Join(dir, population.FHIRDir))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Regimens.Created != len(want) || sum.Regimens.NoZone+sum.Regimens.Unschedulable != 0 {
			t.Errorf("regimens %+v, want %d created:\n%s", sum.Regimens, len(want), sum)
		}
		if !strings.Contains(sum.String(), "Regimen") {
			t.Errorf("no Regimen line in the summary:\n%s", sum)
		}
		regs := allRegimens(t, db)
		seen := map[string]bool{}
		for _, r := range regs {
			key := string(r.PatientID) + " " + r.Drug.Code
			if r.Status != store.RegimenProposed || !r.NextDueAt.IsZero() || r.CreatedBy != "import" || r.RequestID == "" || seen[key] {
				t.Errorf("regimen %+v: want one proposed per patient and drug, made by the import, linked to its prescription", r)
			}
			seen[key] = true
			if strings.Contains(r.Drug.Display, "albuterol") {
				t.Errorf("a regimen for an as-needed inhaler: %s", r.Drug.Display)
			}
		}
		if len(regs) != len(want) {
			t.Errorf("%d regimens stored, want %d", len(regs), len(want))
		}
		again, err := im.ImportFHIR(ctx, filepath.Join(dir, population.FHIRDir))
		if err != nil {
			t.Fatal(err)
		}
		if again.Regimens != (reminders.ImportCounts{}) || len(allRegimens(t, db)) != len(regs) {
			t.Errorf("re-import: regimens %+v, want nothing written", again.Regimens)
		}
	})
}

const rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"

func rxPatient(id, mrn, zone string) string {
	ext := ""
	if zone != "" {
		ext = `"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/timezone","valueCode":"` + zone + `"}],`
	}
	return `{"resourceType":"Patient","id":"` + id + `",` + ext + `"identifier":[{"system":"urn:mrn","value":"` + mrn + `"}],` +
		`"name":[{"family":"Reyes","given":["Ana"]}],"birthDate":"1950-01-02","telecom":[{"system":"phone","value":"+1 512 867 5309","use":"mobile"}]}`
}

// rxJSON is a prescription of drug code (name) for patient pid; timing is
// the dosage's FHIR timing or asNeededBoolean.
func rxJSON(id, pid, status, code, name, authored, timing string) string {
	return `{"resourceType":"MedicationRequest","id":"` + id + `","status":"` + status + `","intent":"order",` +
		`"medicationCodeableConcept":{"coding":[{"system":"` + rxnorm + `","code":"` + code + `","display":"` + name + `"}]},` +
		`"subject":{"reference":"Patient/` + pid + `"},"authoredOn":"` + authored + `","dosageInstruction":[{` + timing + `}]}`
}

func daily(times ...string) string {
	return `"timing":{"repeat":{"frequency":` + string(rune('0'+len(times))) + `,"period":1,"periodUnit":"d","timeOfDay":["` + strings.Join(times, `:00","`) + `:00"]}}`
}

// TestPrescriptionsFollowedByRegimens walks one patient's prescriptions
// through the import: proposed, unchanged on re-import, a newer dosage
// taken in with the patient's chosen time kept, an older one ignored, the
// prescription completed (the regimen stops, and stays stopped), and one
// written after the stop (a new proposal).
func TestPrescriptionsFollowedByRegimens(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		run := func(rxs ...string) reminders.ImportCounts {
			t.Helper()
			sum, err := im.ImportFHIR(ctx, ndjson(t, "MedicationRequest.ndjson", rxs...))
			if err != nil {
				t.Fatal(err)
			}
			return sum.Regimens
		}
		if _, err := im.ImportFHIR(ctx, ndjson(t, "Patient.ndjson", rxPatient("p1", "1", "America/Chicago"), rxPatient("p2", "2", ""))); err != nil {
			t.Fatal(err)
		}
		lisinopril := func(status, authored string, times ...string) string {
			return rxJSON("rx1", "p1", status, "314076", "lisinopril 10 MG", authored, daily(times...))
		}
		first := []string{
			lisinopril("active", "2026-05-20T10:00:00Z", "08:00"),
			rxJSON("rx2", "p1", "active", "745679", "albuterol inhaler", "2026-05-20T10:00:00Z", `"asNeededBoolean":true`),
			rxJSON("rx3", "p2", "active", "314076", "lisinopril 10 MG", "2026-05-20T10:00:00Z", daily("08:00")),
			rxJSON("rx4", "p1", "active", "861007", "metformin 500 MG", "2026-05-20T10:00:00Z", daily("08:00", "20:00")),
		}
		if got := run(first...); got != (reminders.ImportCounts{Created: 2, NoZone: 1}) {
			t.Fatalf("first import: %+v, want 2 created (lisinopril, metformin), 1 without a zone", got)
		}
		if got := run(first...); got != (reminders.ImportCounts{}) {
			t.Errorf("re-import: %+v, want nothing", got)
		}
		find := func(code string) *store.Regimen {
			t.Helper()
			var out *store.Regimen
			for _, r := range allRegimens(t, db) {
				if r.Drug.Code == code && (out == nil || r.CreatedAt.After(out.CreatedAt) || r.Status != store.RegimenStopped) {
					out = r
				}
			}
			if out == nil {
				t.Fatalf("no regimen of %s", code)
			}
			return out
		}
		// Staff start lisinopril; the patient moves 08:00 to 07:30 by reply.
		lis := find("314076")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			r, err := reminders.Start(ctx, tx, lis.ID, true, 0, "token:nurse")
			if err != nil {
				return err
			}
			s, err := reminders.Schedule(r)
			if err != nil {
				return err
			}
			s = dosing.ApplyChange(s, dosing.Change{Kind: dosing.ChangeMove, Replaces: dosing.Clock(8, 0), To: dosing.Clock(7, 30), From: dosing.DateOf(tx.Now()).AddDays(1)})
			r.Schedule, _ = json.Marshal(s)
			return tx.UpdateRegimens(ctx, []*store.Regimen{r})
		})
		if err != nil {
			t.Fatal(err)
		}
		// A newer dosage: twice a day at 08:00 and 20:00.
		if got := run(lisinopril("active", "2026-05-25T10:00:00Z", "08:00", "20:00")); got != (reminders.ImportCounts{Updated: 1}) {
			t.Fatalf("changed dosage: %+v, want 1 updated", got)
		}
		lis = find("314076")
		s, err := reminders.Schedule(lis)
		if err != nil {
			t.Fatal(err)
		}
		if lis.Status != store.RegimenActive || lis.NextDueAt.IsZero() || !s.PatientChosen(dosing.Clock(7, 30)) || !s.HasTime(dosing.Clock(20, 0)) || s.HasTime(dosing.Clock(8, 0)) {
			t.Errorf("after the new dosage: %s %v times %+v; want active, 07:30 (the patient's) and 20:00", lis.Status, lis.NextDueAt, s.Times)
		}
		// A newer metformin prescription (another id) at three a day, and an older one.
		got := run(rxJSON("rx5", "p1", "active", "861007", "metformin 500 MG", "2026-05-26T10:00:00Z", daily("08:00", "14:00", "20:00")),
			rxJSON("rx0", "p1", "active", "861007", "metformin 500 MG", "2026-01-02T10:00:00Z", daily("09:00")))
		if got != (reminders.ImportCounts{Updated: 1, Unchanged: 1}) {
			t.Errorf("newer and older metformin: %+v, want 1 updated, 1 unchanged", got)
		}
		met := find("861007")
		if s, _ := reminders.Schedule(met); met.RequestID == "" || len(s.Times) != 3 || met.Status != store.RegimenProposed {
			t.Errorf("metformin: %s %+v, want proposed, three times", met.Status, s.Times)
		}
		// The lisinopril prescription is completed: its regimen stops.
		if got := run(lisinopril("completed", "2026-05-25T10:00:00Z", "08:00", "20:00")); got != (reminders.ImportCounts{Stopped: 1}) {
			t.Fatalf("completed: %+v, want 1 stopped", got)
		}
		if lis = find("314076"); lis.Status != store.RegimenStopped || !lis.NextDueAt.IsZero() {
			t.Errorf("after completion: %s, next %v", lis.Status, lis.NextDueAt)
		}
		evs, err := db.FindEvents(ctx, rapport.EventFilter{Kind: reminders.EventRegimenStopped})
		var by struct{ By string }
		if err != nil || len(evs) != 1 || json.Unmarshal(evs[0].Payload, &by) != nil || by.By != "import" {
			t.Errorf("stop events %v %v, want one by import", evs, err)
		}
		// Sent active again, it is not brought back.
		if got := run(lisinopril("active", "2026-05-25T10:00:00Z", "08:00")); got != (reminders.ImportCounts{Unchanged: 1}) || find("314076").Status != store.RegimenStopped {
			t.Errorf("re-activated prescription: %+v, want the regimen left stopped", got)
		}
		// A prescription written after the stop is a new course: proposed.
		if got := run(rxJSON("rx6", "p1", "active", "314076", "lisinopril 20 MG", "2026-06-02T10:00:00Z", daily("09:00"))); got != (reminders.ImportCounts{Created: 1}) {
			t.Errorf("new course: %+v, want 1 created", got)
		}
		for _, kind := range []rapport.EventKind{reminders.EventRegimenCreated, reminders.EventRegimenChanged} {
			if evs, err := db.FindEvents(ctx, rapport.EventFilter{Kind: kind}); err != nil || len(evs) == 0 {
				t.Errorf("no %s in the ledger (%v)", kind, err)
			}
		}
	})
}

// Two prescriptions of one drug in one file, in either order: one
// regimen, from the newer.
func TestTwoPrescriptionsOfOneDrugInAFile(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		if _, err := im.ImportFHIR(ctx, ndjson(t, "Patient.ndjson", rxPatient("p1", "1", "America/Denver"))); err != nil {
			t.Fatal(err)
		}
		sum, err := im.ImportFHIR(ctx, ndjson(t, "MedicationRequest.ndjson",
			rxJSON("new", "p1", "active", "617310", "atorvastatin 20 MG", "2026-05-28T10:00:00Z", daily("21:00")),
			rxJSON("old", "p1", "active", "617310", "atorvastatin 20 MG", "2026-03-01T10:00:00Z", daily("08:00"))))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Regimens != (reminders.ImportCounts{Created: 1, Updated: 1}) {
			t.Errorf("regimens %+v, want the older created, then the newer taken in", sum.Regimens)
		}
		regs := allRegimens(t, db)
		if len(regs) != 1 {
			t.Fatalf("%d regimens, want 1", len(regs))
		}
		s, err := reminders.Schedule(regs[0])
		if err != nil || !s.HasTime(dosing.Clock(21, 0)) || s.HasTime(dosing.Clock(8, 0)) || regs[0].Status != store.RegimenProposed {
			t.Errorf("regimen %s at %+v (%v), want proposed at 21:00, the newer prescription's", regs[0].Status, s.Times, err)
		}
	})
}
