package fhir

import (
	"errors"
	"fmt"
	"github.com/rapporthq/rapport/internal/shareddata"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

// syntheaDir is the shared Synthea data beside the repository (see
// internal/shareddata); empty when it is absent.
var syntheaDir = func() string {
	if root := shareddata.Root(); root != "" {
		return filepath.Join(root, "synthea")
	}
	return ""
}()

// counts tallies what a reader produced.
type counts struct {
	byType   map[string]int
	records  map[string]int
	errs     []error
	noSubj   []string // clinical items without a resolved subject
	patient  string   // the (last) Patient's id
	subjects map[string]int
	condRefs int // practitioner/location refs by identifier
	idRefs   int // practitioner/location refs by resource id
}

func newCounts() *counts {
	return &counts{byType: map[string]int{}, records: map[string]int{}, subjects: map[string]int{}}
}

func (c *counts) add(it Item) error {
	c.byType[it.ResourceType]++
	if it.Err != nil {
		c.errs = append(c.errs, it.Err)
		return nil
	}
	var refs []rapport.Ref
	switch r := it.Record.(type) {
	case *rapport.Patient:
		c.records["Patient"]++
		c.patient = it.ID
	case *rapport.Encounter:
		c.records["Encounter"]++
		refs = append(refs, r.Practitioner, r.Location)
	case *rapport.Condition:
		c.records["Condition"]++
	case *rapport.MedicationRequest:
		c.records["MedicationRequest"]++
		refs = append(refs, r.Practitioner)
	case *rapport.Practitioner:
		c.records["Practitioner"]++
	case *rapport.Location:
		c.records["Location"]++
	case nil:
	default:
		c.records[it.ResourceType]++
	}
	switch it.Record.(type) {
	case *rapport.Encounter, *rapport.Condition, *rapport.MedicationRequest, *rapport.MedicationDispense, *rapport.Appointment:
		if it.Subject.ResourceID == "" && it.Subject.Identifier == nil {
			c.noSubj = append(c.noSubj, it.Where())
		}
		c.subjects[it.Subject.ResourceID]++
	}
	for _, r := range refs {
		if r.Identifier != nil {
			c.condRefs++
		} else if r.ResourceID != "" {
			c.idRefs++
		}
	}
	return nil
}

func syntheaFiles(t *testing.T, sub, pattern string) []string {
	t.Helper()
	dir := shareddata.Dir(t, "synthea", sub)
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(files) == 0 {
		shareddata.Missing(t, fmt.Sprintf("no %s in %s", pattern, dir))
	}
	return files
}

func readFile(t *testing.T, path string, read func(f *os.File, name string, fn func(Item) error) error) *counts {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := newCounts()
	if err := read(f, filepath.Base(path), c.add); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

func readBundleFile(f *os.File, name string, fn func(Item) error) error {
	return ReadBundle(f, name, fn)
}
func readNDJSONFile(f *os.File, name string, fn func(Item) error) error {
	return ReadNDJSON(f, name, fn)
}

func TestSyntheaBundles(t *testing.T) {
	t.Parallel()
	files := syntheaFiles(t, "bundles", "*.json")
	patients := 0
	for _, path := range files {
		c := readFile(t, path, readBundleFile)
		for _, err := range c.errs {
			t.Errorf("item error: %v", err)
		}
		for _, w := range c.noSubj {
			t.Errorf("%s: no subject", w)
		}
		base := filepath.Base(path)
		switch {
		case strings.HasPrefix(base, "hospitalInformation"):
			if c.byType["Organization"] == 0 || len(c.records) != 0 {
				t.Errorf("%s: want only (skipped) Organizations, got %v records %v", base, c.byType, c.records)
			}
		case strings.HasPrefix(base, "practitionerInformation"):
			if c.records["Practitioner"] == 0 || c.records["Practitioner"] != c.byType["Practitioner"] {
				t.Errorf("%s: practitioners %d of %d mapped", base, c.records["Practitioner"], c.byType["Practitioner"])
			}
		default:
			patients++
			if c.records["Patient"] != 1 {
				t.Errorf("%s: %d patients, want 1", base, c.records["Patient"])
			}
			if c.records["Encounter"] == 0 || c.records["Encounter"] != c.byType["Encounter"] {
				t.Errorf("%s: encounters %d of %d mapped", base, c.records["Encounter"], c.byType["Encounter"])
			}
			// Every clinical record resolves (through urn:uuid) to the bundle's patient.
			if len(c.subjects) != 1 || c.subjects[c.patient] == 0 {
				t.Errorf("%s: subjects %v, want only the patient %s", base, c.subjects, c.patient)
			}
			// These bundles refer to their practitioner by urn:uuid.
			if c.idRefs == 0 {
				t.Errorf("%s: no practitioner resolved through fullUrl", base)
			}
		}
	}
	if patients < 30 {
		t.Errorf("read %d patient bundles, want the 39 shipped", patients)
	}
}

// sniffsAsNDJSON checks what Sniff says of a bulk file: NDJSON of the type
// its name starts with, or, for the export client's log.ndjson, not FHIR.
func sniffsAsNDJSON(t *testing.T, path string) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	format, err := Sniff(f)
	base := filepath.Base(path)
	if base == "log.ndjson" {
		if !errors.Is(err, ErrNotFHIR) {
			t.Errorf("Sniff(%s) = %v, %v; want ErrNotFHIR", base, format, err)
		}
		return false
	}
	typ, _, _ := strings.Cut(base, ".")
	if err != nil || format != (Format{Kind: KindNDJSON, ResourceType: typ}) {
		t.Errorf("Sniff(%s) = %v, %v; want NDJSON of %s", base, format, err, typ)
	}
	return true
}

func TestSyntheaBulk(t *testing.T) {
	t.Parallel()
	files := syntheaFiles(t, "bulk-10-patients", "*.ndjson")
	files = append(files, syntheaFiles(t, "bulk-1000-patients", "*.ndjson")...)
	total := newCounts()
	for _, path := range files {
		if !sniffsAsNDJSON(t, path) {
			continue
		}
		c := readFile(t, path, readNDJSONFile)
		for _, err := range c.errs {
			t.Errorf("item error: %v", err)
		}
		for _, w := range c.noSubj {
			t.Errorf("%s: no subject", w)
		}
		for k, v := range c.records {
			total.records[k] += v
		}
		for k, v := range c.byType {
			total.byType[k] += v
		}
		total.condRefs += c.condRefs
	}
	for _, typ := range []string{"Patient", "Encounter", "Condition", "MedicationRequest", "Practitioner", "Location"} {
		if total.records[typ] == 0 || total.records[typ] != total.byType[typ] {
			t.Errorf("%s: %d of %d mapped", typ, total.records[typ], total.byType[typ])
		}
	}
	if total.records["Patient"] < 1000 {
		t.Errorf("patients = %d, want over 1000", total.records["Patient"])
	}
	// Synthea's bulk export names practitioners and locations by
	// conditional references (Practitioner?identifier=…).
	if total.condRefs < total.records["Encounter"] {
		t.Errorf("identifier refs = %d, want at least one per encounter (%d)", total.condRefs, total.records["Encounter"])
	}
	t.Logf("records: %v", total.records)
}
