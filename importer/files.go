package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
)

// ImportFHIR imports FHIR R4 files: Bundle JSON and bulk NDJSON, named
// directly or found in folders (files ending .json or .ndjson). Files are
// imported in dependency order — directories of practitioners and locations,
// then patients, then what refers to them — each in its own transaction.
// It stops at the first file that fails unless ContinueOnError is set.
func (im *Importer) ImportFHIR(ctx context.Context, paths ...string) (Summary, error) {
	sum := newSummary()
	files, err := im.orderFHIRFiles(paths)
	if err != nil {
		return sum, err
	}
	for _, f := range files {
		fs, err := im.importFHIRFile(ctx, f.path, f.format)
		sum.add(fs)
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}

type fhirFile struct {
	path   string
	format fhir.Format
	size   int64
}

// typeRank orders files so referenced resources come before referrers: a
// reference to a resource not yet imported waits, and the pass that resolves
// waiting references at the end of a later file updates each referrer again
// (a bulk export's MedicationDispense file, named before its
// MedicationRequest file, took 3.5 times as long at 100,000 patients).
var typeRank = map[string]int{"Organization": 0, "Location": 1, "Practitioner": 2, "PractitionerRole": 3, "Patient": 4,
	"MedicationRequest": 5, "Bundle": 6}

func (im *Importer) orderFHIRFiles(paths []string) ([]fhirFile, error) {
	var files []fhirFile
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			if path != p && !strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".ndjson") {
				return nil // in folders, only FHIR files; a file named directly is always tried
			}
			// Non-FHIR JSON found in a folder is passed over; named directly it is an error.
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			format, err := fhir.Sniff(f)
			if errors.Is(err, fhir.ErrNotFHIR) && path != p {
				return nil // a bulk export's log or manifest beside its resources
			} else if err != nil {
				return rapport.Errorf(rapport.EINVALID, "%s: %v", path, err)
			}
			info, err := f.Stat()
			if err != nil {
				return err
			}
			files = append(files, fhirFile{path: path, format: format, size: info.Size()})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", p, err)
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return rank(files[i].format) < rank(files[j].format) })
	return files, nil
}

func rank(f fhir.Format) int {
	if r, ok := typeRank[f.ResourceType]; ok {
		return r
	}
	return len(typeRank)
}

func (im *Importer) importFHIRFile(ctx context.Context, path string, format fhir.Format) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return newSummary(), fmt.Errorf("import %s: %w", path, err)
	}
	defer f.Close()
	name := filepath.Base(path)
	return im.importFile(ctx, name, im.progress(f), fhirReader(name, format.Kind))
}

// ImportFHIRReader imports one Bundle or NDJSON stream, as pushed to the
// FHIR API, in one transaction.
func (im *Importer) ImportFHIRReader(ctx context.Context, r io.Reader, name string, kind fhir.Kind) (Summary, error) {
	return im.importFile(ctx, name, r, fhirReader(name, kind))
}

func fhirReader(name string, kind fhir.Kind) readFunc {
	if kind == fhir.KindBundle {
		return func(r io.Reader, s *sink) error { return fhir.ReadBundle(r, name, s.item) }
	}
	// NDJSON lines are decoded by the pool.
	return func(r io.Reader, s *sink) error { return fhir.ReadNDJSONLines(r, name, s.line) }
}

// progress wraps r to report bytes read, when a progress callback is set.
func (im *Importer) progress(r io.Reader) io.Reader {
	if im.Progress == nil {
		return r
	}
	return &countingReader{r: r, report: im.Progress}
}

type countingReader struct {
	r      io.Reader
	report func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.report(int64(n))
	}
	return n, err
}
