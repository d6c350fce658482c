package importer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

func TestCSVExport(t *testing.T) {
	t.Parallel()
	m, err := csvimport.LoadMapping("../csvimport/testdata/example-mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var report bytes.Buffer
		im := &importer.Importer{DB: db, ContinueOnError: true, Rejects: &report}
		sum, err := im.ImportCSV(ctx, "../csvimport/testdata/crm.csv", m)
		if err != nil {
			t.Fatal(err)
		}
		created, _, _, rejected := sum.Total()
		if created == 0 || created+rejected < 6 {
			t.Fatalf("summary:\n%s\nreport:\n%s", sum, report.String())
		}
		// Dead area codes are kept, judged invalid, with the reason; a
		// misspelt provider domain stays usable, with the suggestion and
		// its evidence stored beside it.
		ps, _, err := db.FindPatients(ctx, rapport.PatientFilter{Identifier: &rapport.Identifier{System: "http://acme.example/mrn", Value: "MRN-0001"}})
		if err != nil || len(ps) != 1 {
			t.Fatalf("MRN-0001: %v %v", ps, err)
		}
		var reasons []string
		for _, c := range ps[0].Contacts {
			if c.Status == rapport.StatusInvalid {
				reasons = append(reasons, c.StatusReason)
			}
		}
		joined := strings.Join(reasons, "; ")
		if joined != "area code 555 is not assigned in US" {
			t.Errorf("invalid contact reasons = %q, want the 555 area code only", joined)
		}
		var typo *rapport.ContactPoint
		for i, c := range ps[0].Contacts {
			if c.Raw == "ana.garcia@gmial.com" {
				typo = &ps[0].Contacts[i]
			}
		}
		if typo == nil || typo.Status != rapport.StatusUnverified || typo.Value != "ana.garcia@gmial.com" ||
			typo.Suggestion != "ana.garcia@gmail.com" || !rapport.HasFlag(typo.Flags, rapport.FlagTypo) {
			t.Errorf("gmial.com address stored as %+v, want usable, unchanged, with the suggestion and a typo flag", typo)
		}
		// Re-importing the export changes nothing.
		before := counts(t, db)
		sum2, err := im.ImportCSV(ctx, "../csvimport/testdata/crm.csv", m)
		if err != nil {
			t.Fatal(err)
		}
		if c, u, _, _ := sum2.Total(); c != 0 || u != 0 {
			t.Errorf("second import created %d updated %d:\n%s", c, u, sum2)
		}
		if after := counts(t, db); !equalCounts(before, after) {
			t.Errorf("second import changed the database:\n before %v\n after  %v", before, after)
		}
	})
}
