package population

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Resources selects what [Write] writes.
type Resources string

const (
	// AllResources writes the FHIR export, the CRM export and the truth.
	AllResources Resources = "all"
	// PatientsOnly writes fhir/Patient.000.ndjson alone, with the same lines
	// as a full run: for import benchmarks.
	PatientsOnly Resources = "patients"
)

// Config says what population [Write] generates.
type Config struct {
	// People is how many people to generate; duplicates add records.
	People int
	Seed   int64
	Params Params
	// Resources defaults to AllResources.
	Resources Resources
}

// FileSummary is one written file.
type FileSummary struct {
	Path  string
	Lines int
	Bytes int64
}

// Summary tells what [Write] wrote.
type Summary struct {
	People  int
	Records int
	Files   []FileSummary
}

// Output file names, relative to the output folder.
const (
	FHIRDir     = "fhir"
	CRMFile     = "crm.csv"
	MappingFile = "crm-mapping.yaml"
	TruthFile   = "truth.ndjson"
)

type kind int

const (
	kPractitioner kind = iota
	kLocation
	kPatient
	kEncounter
	kCondition
	kRequest
	kDispense
	kCRM
	kTruth
	nKinds
)

var fileNames = [nKinds]string{
	FHIRDir + "/Practitioner.000.ndjson", FHIRDir + "/Location.000.ndjson", FHIRDir + "/Patient.000.ndjson",
	FHIRDir + "/Encounter.000.ndjson", FHIRDir + "/Condition.000.ndjson", FHIRDir + "/MedicationRequest.000.ndjson",
	FHIRDir + "/MedicationDispense.000.ndjson", CRMFile, TruthFile,
}

type outFile struct {
	f     *os.File
	w     *bufio.Writer
	lines int
}

// Write generates cfg.People people into dir, streaming: memory does not
// grow with the population. With AllResources it writes the FHIR bulk
// export in dir/fhir (Practitioner, Location, Patient, Encounter,
// Condition, MedicationRequest, MedicationDispense; NDJSON, one file each),
// the CRM export dir/crm.csv with its mapping dir/crm-mapping.yaml, and the
// ground truth dir/truth.ndjson. The same config gives byte-identical files.
// Existing files of those names are replaced; others are left alone.
func Write(ctx context.Context, dir string, cfg Config) (sum Summary, err error) {
	if cfg.People < 0 {
		return sum, fmt.Errorf("generate: people %d is negative", cfg.People)
	}
	all := true
	switch cfg.Resources {
	case "", AllResources:
	case PatientsOnly:
		all = false
	default:
		return sum, fmt.Errorf("generate: resources %q is not all or patients", cfg.Resources)
	}
	g, err := NewGenerator(cfg.Seed, cfg.Params)
	if err != nil {
		return sum, err
	}
	if err := os.MkdirAll(filepath.Join(dir, FHIRDir), 0o755); err != nil {
		return sum, fmt.Errorf("generate: %w", err)
	}
	var out [nKinds]*outFile
	defer func() {
		for _, o := range out {
			if o != nil {
				o.f.Close() // after a successful flush and close this is a no-op error
			}
		}
	}()
	for k := range nKinds {
		if !all && k != kPatient {
			continue
		}
		f, err := os.Create(filepath.Join(dir, fileNames[k]))
		if err != nil {
			return sum, fmt.Errorf("generate: %w", err)
		}
		out[k] = &outFile{f: f, w: bufio.NewWriterSize(f, 1<<20)}
	}
	buf := make([]byte, 0, 4096)
	line := func(k kind, b []byte) {
		b = append(b, '\n')
		out[k].w.Write(b) // errors are sticky: Flush reports them
		out[k].lines++
		buf = b[:0]
	}
	if all {
		for k := range len(g.p.Areas) * g.p.PractitionersPerArea {
			line(kPractitioner, g.appendPractitioner(buf, k))
		}
		for a := range g.p.Areas {
			line(kLocation, g.appendLocation(buf, a))
		}
		out[kCRM].w.WriteString(crmHeader)
		out[kCRM].lines++
	}
	var p Person
	for i := range cfg.People {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return sum, fmt.Errorf("generate: %w", err)
			}
		}
		g.fill(i, all, &p)
		for k := range p.Records {
			line(kPatient, g.appendPatient(buf, &p, &p.Records[k]))
		}
		sum.Records += len(p.Records)
		if !all {
			continue
		}
		main := &p.Records[0]
		for k := range p.Conditions {
			line(kCondition, g.appendCondition(buf, &p, main, k))
		}
		for k := range p.Encounters {
			line(kEncounter, g.appendEncounter(buf, &p, main, k))
		}
		for k := range p.Prescriptions {
			line(kRequest, g.appendRequest(buf, &p, main, k))
			for j := range p.Prescriptions[k].Fills {
				line(kDispense, g.appendDispense(buf, &p, main, k, j))
			}
		}
		for k := range p.Records {
			out[kCRM].w.Write(appendCRMRow(buf, &p, &p.Records[k]))
			out[kCRM].lines++
			b, err := appendTruth(buf, g.Truth(&p, k))
			if err != nil {
				return sum, fmt.Errorf("generate: truth of person %d: %w", i+1, err)
			}
			line(kTruth, b)
		}
	}
	sum.People = cfg.People
	for k, o := range out {
		if o == nil {
			continue
		}
		err := o.w.Flush()
		if err == nil {
			err = o.f.Close()
		}
		if err != nil {
			return sum, fmt.Errorf("generate %s: %w", fileNames[k], err)
		}
		info, err := os.Stat(o.f.Name())
		if err != nil {
			return sum, fmt.Errorf("generate: %w", err)
		}
		sum.Files = append(sum.Files, FileSummary{Path: o.f.Name(), Lines: o.lines, Bytes: info.Size()})
	}
	if all {
		path := filepath.Join(dir, MappingFile)
		if err := os.WriteFile(path, []byte(CRMMapping), 0o644); err != nil {
			return sum, fmt.Errorf("generate: %w", err)
		}
		sum.Files = append(sum.Files, FileSummary{Path: path, Lines: strings.Count(CRMMapping, "\n"), Bytes: int64(len(CRMMapping))})
	}
	return sum, nil
}
