package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
)

const importUsage = `usage: rapport import fhir PATH... [flags]
       rapport import csv FILE --mapping MAP.yaml [flags]`

func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "fhir" && args[0] != "csv") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.Stderr, importUsage)
			return flag.ErrHelp
		}
		return usagef("%s", importUsage)
	}
	kind := args[0]
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var cfg Config
	cfg.bind(fs, env.Getenv, false)
	source := fs.String("source", kind, "name of the system the data comes from; ids are unique within it")
	region := fs.String("region", "US", "ISO 3166 region for phone numbers without a country code")
	cont := fs.Bool("continue-on-error", false, "import the good records of a file with bad ones, and report the bad ones")
	rejects := fs.String("rejects", "rapport-rejects.ndjson", "where --continue-on-error writes rejected records and why")
	mapping := fs.String("mapping", "", "the YAML mapping of CSV columns (csv only)")
	paths, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
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
	im := &importer.Importer{DB: db, Source: *source, DefaultRegion: *region, ContinueOnError: *cont, Actor: &actor}
	if *cont {
		f, err := os.Create(*rejects)
		if err != nil {
			return fmt.Errorf("reject report: %w", err)
		}
		defer f.Close()
		im.Rejects = f
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
	fmt.Fprint(env.Stdout, sum)
	if err != nil {
		return err
	}
	if _, _, _, rejected := sum.Total(); rejected > 0 {
		fmt.Fprintf(env.Stdout, "rejected records and their reasons: %s\n", *rejects)
	}
	return nil
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
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, usagef("%v", err)
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
