package importer

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rapporthq/rapport/csvimport"
)

// ImportCSV imports a CRM export mapped by m, in one transaction. The
// mapping's source names the CRM: its record ids make re-imports idempotent.
func (im *Importer) ImportCSV(ctx context.Context, path string, m *csvimport.Mapping) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return newSummary(), fmt.Errorf("import %s: %w", path, err)
	}
	defer f.Close()
	name := filepath.Base(path)
	sub := *im
	sub.Source = m.Source
	return sub.importFile(ctx, name, im.progress(f), func(r io.Reader, s *sink) error {
		return csvimport.Read(r, name, m, func(rec csvimport.Record) error {
			where := fmt.Sprintf("%s line %d", rec.Name, rec.Line)
			if rec.Err != nil {
				return s.bad("Patient", where, rec.Err)
			}
			return s.add(&record{where: where, typ: "Patient", id: rec.SourceID, data: rec.Patient, verify: m.Verify})
		})
	})
}
