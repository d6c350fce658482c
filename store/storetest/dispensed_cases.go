package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testScanDispensed: completed fills (status completed or empty, with a
// hand-over time) in the window come back one patient at a time, in
// patient order, each patient whole even when a page ends in its fills.
func testScanDispensed(t *testing.T, s suite) {
	a, b, c := samplePatient(), samplePatient(), samplePatient()
	b.Identifiers, c.Identifiers = nil, nil
	b.Rural, b.TimeZone = false, "America/New_York"
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b, c}) })
	lis := rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}
	day := func(n int) time.Time { return Start.AddDate(0, 0, n) }
	var ds []*rapport.MedicationDispense
	add := func(p *rapport.Patient, status string, at time.Time, days int) {
		ds = append(ds, &rapport.MedicationDispense{PatientID: p.ID, Status: status, Medication: lis, DaysSupply: days, HandedOver: at})
	}
	from, to := day(0), day(100)
	for i := range 4 {
		add(a, "completed", day(i*30), 30) // days 0, 30, 60, 90: four pages of one
	}
	add(a, "completed", day(-1), 30)       // before the window
	add(a, "completed", to, 30)            // at To: the window is half-open
	add(b, "", day(10), 90)                // no status: completed
	add(b, "stopped", day(20), 90)         // not handed over
	add(b, "completed", time.Time{}, 90)   // no hand-over time
	add(c, "entered-in-error", day(5), 30) // c has nothing that counts
	s.tx(t, func(tx *store.Tx) error { return tx.SaveMedicationDispenses(s.ctx, ds) })

	// Page sizes that end pages inside a patient, at a boundary, and on
	// a patient with more fills than a page.
	for _, size := range []int{1, 2, 3, 5, 100} {
		var gots []dispensedPatient
		err := s.db.ScanDispensed(s.ctx, store.DispenseScan{From: from, To: to, PageSize: size}, func(fills []store.Dispensed) error {
			g := dispensedPatient{pid: fills[0].PatientID, rural: fills[0].Rural, zone: fills[0].TimeZone}
			for _, f := range fills {
				if f.PatientID != g.pid {
					t.Errorf("one call holds patients %s and %s", g.pid, f.PatientID)
				}
				if f.DrugCode != lis.Code || f.DrugName != lis.Display || f.DrugSystem != lis.System {
					t.Errorf("drug = %s %s %s, want %v", f.DrugSystem, f.DrugCode, f.DrugName, lis)
				}
				g.days = append(g.days, int(f.HandedOver.Sub(Start).Hours()/24)*1000+f.DaysSupply)
			}
			slices.Sort(g.days)
			gots = append(gots, g)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		checkDispensed(t, size, gots, a.ID, b.ID)
	}
}

// dispensedPatient is what one ScanDispensed call gave for one patient.
type dispensedPatient struct {
	pid   rapport.PatientID
	days  []int
	rural bool
	zone  string
}

func checkDispensed(t *testing.T, size int, gots []dispensedPatient, a, b rapport.PatientID) {
	t.Helper()
	want := map[rapport.PatientID]dispensedPatient{
		a: {a, []int{30, 30030, 60030, 90030}, true, "America/Chicago"},
		b: {b, []int{10090}, false, "America/New_York"},
	}
	if len(gots) != len(want) {
		t.Fatalf("page size %d: got %d patients, want %d: %+v", size, len(gots), len(want), gots)
	}
	for i, g := range gots {
		if i > 0 && gots[i-1].pid >= g.pid {
			t.Errorf("page size %d: patients out of order: %s then %s", size, gots[i-1].pid, g.pid)
		}
		w := want[g.pid]
		if !slices.Equal(g.days, w.days) || g.rural != w.rural || g.zone != w.zone {
			t.Errorf("page size %d: patient %s: got %+v, want %+v", size, g.pid, g, w)
		}
	}
}
