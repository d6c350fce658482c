package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/rapporthq/rapport/sim/behaviour"
	"github.com/rapporthq/rapport/sim/demo"
)

const demoUsage = "usage: rapport demo [--patients N] [--days D] [--seed S] [--db sqlite:PATH] [--out FILE.html] [--json FILE] [--model FILE.yaml] [--serve]"

// DefaultDemoDB is the demo's database, recreated at every run.
const DefaultDemoDB = "sqlite:./rapport-demo.db"

// runDemo runs the main job on a synthetic clinic: it generates a
// population with CRM dirt, imports it, runs a simulated quarter of
// outreach, nurture and check-ins through the real engine beside the
// one-shot baseline, and prints the report; the HTML report goes to --out.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, demoUsage)
		fs.PrintDefaults()
	}
	patients := fs.Int("patients", 2000, "how many people the synthetic clinic has")
	days := fs.Int("days", 90, "how many days to simulate")
	seed := fs.Int64("seed", 1, "random seed: population and patient behaviour")
	dsn := fs.String("db", DefaultDemoDB, "rapport's database for the demo; a SQLite file is deleted and recreated at every run, a PostgreSQL database must be empty")
	out := fs.String("out", "rapport-demo-report.html", "where to write the self-contained HTML report (empty: none)")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	modelFile := fs.String("model", "", "YAML file overriding the behaviour model's parameters (sim/behaviour/model.yaml)")
	serve := fs.Bool("serve", false, "afterwards, keep the HTTP server up on the demo database to explore the API")
	addr := fs.String("addr", "127.0.0.1:8080", "address for --serve")
	debugAddr := fs.String("debug-addr", "", "serve Go's profiler (/debug/pprof/) on this loopback address while the demo runs; off when empty")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkDebugAddr(*debugAddr); err != nil {
		return err
	}
	stopDebug, err := serveDebug(ctx, *debugAddr)
	if err != nil {
		return err
	}
	defer stopDebug()
	if *patients < 1 || *days < 1 {
		return usagef("--patients and --days must be at least 1")
	}
	if !strings.HasPrefix(*dsn, "sqlite:") && !strings.HasPrefix(*dsn, "postgres://") && !strings.HasPrefix(*dsn, "postgresql://") {
		return usagef("--db %q: want sqlite:PATH or postgres://…", *dsn)
	}
	params := behaviour.DefaultParams()
	if *modelFile != "" {
		var err error
		if params, err = behaviour.LoadParams(*modelFile); err != nil {
			return err
		}
	}
	if path, ok := strings.CutPrefix(*dsn, "sqlite:"); ok {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("recreate the demo database: %w", err)
			}
		}
	}
	cfg := demo.Config{Patients: *patients, Days: *days, Seed: *seed, DB: *dsn, Model: &params,
		Logger: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}
	bar := newDemoProgress(env.Stderr, 2**days)
	if bar != nil {
		bar.Describe("generating and importing")
		var mu sync.Mutex
		done := map[string]int{}
		cfg.Progress = func(strategy string, day, n int) {
			mu.Lock()
			defer mu.Unlock()
			done[strategy] = day
			bar.Describe("simulating both strategies")
			_ = bar.Set(done[demo.StrategyRapport] + done[demo.StrategyBaseline])
		}
	}
	res, err := demo.Run(ctx, cfg)
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	if err := demo.WriteText(env.Stdout, res); err != nil {
		return err
	}
	// The run time goes to stderr, outside the report, which a seed fixes.
	fmt.Fprintf(env.Stderr, "demo ran in %.1fs\n", res.Elapsed.Seconds())
	if *out != "" {
		if err := writeFile(*out, func(w io.Writer) error { return demo.WriteHTML(w, res) }); err != nil {
			return fmt.Errorf("html report: %w", err)
		}
		fmt.Fprintf(env.Stdout, "\nHTML report: %s\n", *out)
	}
	if *jsonOut != "" {
		if err := writeFile(*jsonOut, func(w io.Writer) error { return demo.WriteJSON(w, res) }); err != nil {
			return fmt.Errorf("json report: %w", err)
		}
		fmt.Fprintf(env.Stdout, "JSON report: %s\n", *jsonOut)
	}
	fmt.Fprintf(env.Stdout, "Demo database: %s (recreated at every run)\n", *dsn)
	if !*serve {
		return nil
	}
	fmt.Fprintf(env.Stdout, "Serving the demo database on http://%s (Ctrl-C to stop)\n", *addr)
	if code := Main(ctx, env, []string{"serve", "--db", *dsn, "--addr", *addr}); code != 0 {
		return fmt.Errorf("serve ended with status %d", code)
	}
	return nil
}

// writeFile writes a file whole: nothing is left behind when fn fails.
func writeFile(path string, fn func(io.Writer) error) error {
	var b bytes.Buffer
	if err := fn(&b); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// newDemoProgress returns a progress bar over the simulated days when w is
// a terminal, and nil otherwise.
func newDemoProgress(w io.Writer, total int) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(), progressbar.OptionSetItsString("days"), progressbar.OptionShowIts(),
		progressbar.OptionThrottle(100e6), progressbar.OptionClearOnFinish())
}
