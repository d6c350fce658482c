package importer

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
)

// ImportCSV imports a CRM export mapped by m, in one transaction. The
// mapping's source names the CRM: its record ids make re-imports idempotent.
// The caregivers a row names are imported as RelatedPersons of the row's
// patient, under ids derived from the patient's and the person's (see
// [csvimport.CaregiverID]), so they too are found again; their phone
// numbers are read in the mapping's default_region, else the importer's.
// A caregivers file (csvimport.PatientKey) holds caregivers only, of
// patients imported before, found by identifier or by record id in the
// mapping's source.
func (im *Importer) ImportCSV(ctx context.Context, path string, m *csvimport.Mapping) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return newSummary(), fmt.Errorf("import %s: %w", path, err)
	}
	defer f.Close()
	name := filepath.Base(path)
	sub := *im
	sub.Source = m.Source
	if m.DefaultRegion != "" {
		sub.DefaultRegion = m.DefaultRegion
	}
	rowType := "Patient"
	if m.CaregiversOf != nil {
		rowType = "RelatedPerson"
	}
	return sub.importFile(ctx, name, im.progress(f), func(r io.Reader, s *sink) error {
		return csvimport.Read(r, name, m, func(rec csvimport.Record) error {
			where := fmt.Sprintf("%s line %d", rec.Name, rec.Line)
			if rec.Err != nil {
				return s.bad(rowType, where, rec.Err)
			}
			of := rec.Of // a caregivers file names the patient
			if rec.Patient != nil {
				r := &record{where: where, typ: "Patient", id: rec.SourceID, data: rec.Patient, verify: m.Verify, listsCaregivers: len(m.Caregivers) > 0}
				if err := s.add(r); err != nil {
					return err
				}
				of = rapport.Ref{ResourceID: rec.SourceID}
			}
			for _, cg := range rec.Caregivers {
				err := s.add(&record{where: fmt.Sprintf("%s (caregiver %d)", where, cg.Block), typ: "RelatedPerson", id: cg.ID,
					data: cg.Caregiver, subject: of})
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
}
