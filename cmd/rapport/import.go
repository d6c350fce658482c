package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
)

const importUsage = `usage: rapport import fhir PATH... [flags]
       rapport import csv FILE --mapping MAP.yaml [flags]`

const importHelp = importUsage + `

Subcommands:
  fhir   patients and their records from FHIR R4 files: NDJSON or Bundle JSON, files or folders
  csv    patients from a CRM export in CSV, its columns named by a YAML mapping

rapport import fhir --help and rapport import csv --help tell more.`

const importFHIRHelp = `usage: rapport import fhir PATH... [flags]

Imports patients and their records from FHIR R4 files. Each PATH is one of
  - an NDJSON file, one resource a line, as a bulk $export writes (Patient.000.ndjson);
  - a Bundle JSON file (collection, transaction, batch or searchset), as Synthea writes;
  - a folder: every .ndjson and .json file in it and below (other files are passed over).
Files go in dependency order (practitioners and locations, patients, then what
refers to them), each in one transaction; importing the same data again
changes nothing. Try it: rapport import fhir fhir/testdata/synthea-bulk.ndjson`

const importCSVHelp = `usage: rapport import csv FILE --mapping MAP.yaml [flags]

Imports patients from one CSV file, a CRM export. MAP.yaml names the column of
each field; rapport generate writes an example (crm-mapping.yaml). The caregivers
a row names (mapping caregivers:) are imported as people of their own; a file of
caregivers only, keyed by the patient, is mapped with caregivers_of:
(go doc github.com/rapporthq/rapport/csvimport).`

func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("%s", importUsage)
	}
	kind := args[0]
	help := map[string]string{"fhir": importFHIRHelp, "csv": importCSVHelp}[kind]
	if help == "" && !isHelp(kind) {
		return usagef("%s", importUsage)
	}
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	var cfg Config
	cfg.bindDB(fs, env.Getenv)
	fs.StringVar(&cfg.DebugAddr, "debug-addr", env.Getenv("RAPPORT_DEBUG_ADDR"), "serve Go's profiler (/debug/pprof/) on this loopback address while the import runs; off when empty (env RAPPORT_DEBUG_ADDR)")
	defaultSource := kind // fhir or csv
	if help == "" {
		defaultSource = "the subcommand's name"
	}
	source := fs.String("source", defaultSource, "name of the system the data comes from; ids are unique within it")
	region := fs.String("region", "US", "ISO 3166 region for phone numbers without a country code")
	cont := fs.Bool("continue-on-error", false, "import the good records of a file with bad ones, and write the bad ones to the rejects file")
	rejects := fs.String("rejects", "", "where --continue-on-error writes rejected records and why (default: beside the first PATH, NAME.rejects.ndjson)")
	full := fs.Bool("full-export", false, "the file holds all the source's caregivers (RelatedPersons, a caregivers CSV) of the patients it holds: one it leaves out has ended")
	var mapping *string
	if kind != "fhir" {
		mapping = fs.String("mapping", "", "the YAML mapping of CSV columns (csv only)")
	}
	if help == "" { // rapport import --help
		return helpError{usage: importHelp, flags: fs}
	}
	paths, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return withUsage(err, help)
	}
	if err := checkDB(cfg.DB); err != nil {
		return err
	}
	if err := checkDebugAddr(cfg.DebugAddr); err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("%s", importUsage)
	}
	var m *csvimport.Mapping
	if kind == "csv" {
		if *mapping == "" || len(paths) != 1 {
			return usagef("import csv takes one FILE and --mapping MAP.yaml")
		}
		if m, err = csvimport.LoadMapping(*mapping); err != nil {
			return err
		}
	}
	// Before the database is opened (and perhaps created): a mistyped
	// path is the commonest mistake, and the message should say just that.
	for _, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no such file: %s", p)
		}
	}

	defer batchGC(env.Getenv)()
	stopDebug, err := serveDebug(ctx, cfg.DebugAddr) // --debug-addr profiles an import too
	if err != nil {
		return err
	}
	defer stopDebug()
	db, err := openDB(ctx, cfg, env.Clock)
	if err != nil {
		return err
	}
	defer db.Close()
	// Every patient created or changed is audited as the command's ("cli").
	actor := cliActor
	im := &importer.Importer{DB: db, Source: *source, DefaultRegion: *region, ContinueOnError: *cont, Actor: &actor, FullExport: *full}
	var rej *lazyFile
	if *cont {
		if *rejects == "" {
			*rejects = rejectsBeside(paths[0])
		}
		rej = &lazyFile{path: *rejects}
		defer rej.Close()
		im.Rejects = rej
	}
	bar := newProgress(env.Stderr, paths)
	if bar != nil {
		im.Progress = func(n int64) { _ = bar.Add64(n) }
	}
	var sum importer.Summary
	if kind == "csv" {
		sum, err = im.ImportCSV(ctx, paths[0], m)
	} else {
		sum, err = im.ImportFHIR(ctx, paths...)
	}
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		if sum.Files > 0 { // what earlier files committed
			fmt.Fprint(env.Stdout, sum)
		}
		return err
	}
	fmt.Fprint(env.Stdout, sum)
	if rej != nil && rej.f != nil {
		if err := rej.Close(); err != nil {
			return fmt.Errorf("reject report: %w", err)
		}
		fmt.Fprintf(env.Stdout, "rejected records and their reasons: %s\n", *rejects)
	}
	return nil
}

// rejectsBeside names the rejects file of an import of path: beside it,
// never in the working directory, where nobody would look for it.
func rejectsBeside(path string) string {
	path = filepath.Clean(path)
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		path = strings.TrimSuffix(path, filepath.Ext(path)) // Patient.ndjson → Patient.rejects.ndjson
	}
	return path + ".rejects.ndjson"
}

// lazyFile creates its file at the first write: an import with nothing
// rejected leaves no empty rejects file behind.
type lazyFile struct {
	path string
	f    *os.File
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.f == nil {
		f, err := os.Create(l.path)
		if err != nil {
			return 0, err
		}
		l.f = f
	}
	return l.f.Write(p)
}

// Close closes the file, if there is one; a second Close does nothing.
func (l *lazyFile) Close() error {
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	if errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}

// newProgress returns a progress bar over the paths' total size when w is a
// terminal, and nil otherwise (logs and pipes get only the summary).
func newProgress(w io.Writer, paths []string) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	var total int64
	for _, p := range paths {
		filepath.Walk(p, func(_ string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				total += info.Size()
			}
			return nil
		})
	}
	return progressbar.NewOptions64(total, progressbar.OptionSetWriter(w), progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription("importing"), progressbar.OptionThrottle(100e6), progressbar.OptionShowCount())
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	quietFlags(fs)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// batchGC tunes the garbage collector for an import, unless GOGC or
// GOMEMLIMIT say otherwise, and returns what restores it. An import
// allocates fast and keeps little (a few pieces of records in flight):
// collecting at four times the live heap instead of twice took 8% off
// the CPU of a million-patient import (3 runs each), and the soft limit
// keeps the heap from growing past 160 MiB: it peaked at 221 MB, not 180.
func batchGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(160 << 20)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
