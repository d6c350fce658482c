package population_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/sim/population"
	"github.com/rapporthq/rapport/store"
)

// TestImportsCleanly imports a generated population through the real
// importers: the FHIR export with no rejection and every reference
// resolved, then the CRM export, whose rows land on the same patients by
// MRN.
func TestImportsCleanly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gen, err := population.Write(context.Background(), dir, population.Config{People: 400, Seed: 5, Params: population.DefaultParams()})
	if err != nil {
		t.Fatal(err)
	}
	clock := rapport.NewManualClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	db := dbtest.Open(t, store.SQLite, clock)
	ctx := context.Background()

	im := &importer.Importer{DB: db, Source: "ehr"}
	sum, err := im.ImportFHIR(ctx, filepath.Join(dir, population.FHIRDir))
	if err != nil {
		t.Fatalf("%v\n%s", err, sum)
	}
	created, _, _, rejected := sum.Total()
	if rejected != 0 || sum.WaitingRefs != 0 || len(sum.Unsupported) != 0 {
		t.Fatalf("FHIR import: %d rejected, %d references waiting:\n%s", rejected, sum.WaitingRefs, sum)
	}
	wantCreated := 0
	for _, f := range gen.Files {
		if filepath.Dir(f.Path) == filepath.Join(dir, population.FHIRDir) {
			wantCreated += f.Lines
		}
	}
	if created != wantCreated {
		t.Errorf("FHIR import created %d records, want %d:\n%s", created, wantCreated, sum)
	}
	if got := sum.ByType["Patient"].Created; got != gen.Records {
		t.Errorf("patients created = %d, want %d", got, gen.Records)
	}

	m, err := csvimport.LoadMapping(filepath.Join(dir, population.MappingFile))
	if err != nil {
		t.Fatal(err)
	}
	sum, err = im.ImportCSV(ctx, filepath.Join(dir, population.CRMFile), m)
	if err != nil {
		t.Fatalf("%v\n%s", err, sum)
	}
	c := sum.ByType["Patient"]
	if c == nil || c.Rejected != 0 || c.Created != 0 || c.Updated+c.Unchanged != gen.Records {
		t.Fatalf("CSV import should update the %d FHIR patients, matched by MRN:\n%s", gen.Records, sum)
	}
}
