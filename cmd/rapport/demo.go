package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/sync/errgroup"

	"github.com/rapporthq/rapport/internal/gctune"
	"github.com/rapporthq/rapport/sim/behaviour"
	"github.com/rapporthq/rapport/sim/demo"
)

const demoUsage = "usage: rapport demo [--patients N] [--days D] [--seed S] [--db sqlite:PATH] [--out FILE.html] [--json FILE] [--model NAME|FILE.yaml] [--seeds N] [--worlds=false] [--worlds-patients N] [--serve]"

// DefaultDemoDB is the demo's database, recreated at every run.
const DefaultDemoDB = "sqlite:./rapport-demo.db"

// runDemo runs the main job on a synthetic clinic: it generates a
// population with CRM dirt, imports it, runs a simulated quarter of
// outreach, nurture and check-ins through the real engine beside the
// one-shot baseline, and prints the report; the HTML report goes to --out.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	patients := fs.Int("patients", 2000, "how many people the synthetic clinic has")
	days := fs.Int("days", 90, "how many days to simulate")
	seed := fs.Int64("seed", 1, "random seed: population and patient behaviour")
	dsn := fs.String("db", DefaultDemoDB, "rapport's database for the demo; a SQLite file is deleted and recreated at every run, a PostgreSQL database must be empty")
	out := fs.String("out", "rapport-demo-report.html", "where to write the self-contained HTML report (empty: none)")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	modelFile := fs.String("model", "", "behaviour model: a shipped world (default, pessimistic, optimistic) or a YAML file overriding sim/behaviour/model.yaml")
	seeds := fs.Int("seeds", 2, "seeds (from --seed on) each world runs; with --worlds=false, seeds of the headline run")
	worlds := fs.Bool("worlds", true, "after the headline run, run the three shipped worlds (default, pessimistic, optimistic; --seeds each, --worlds-patients each) and report the headline's mean and range under each")
	worldsPatients := fs.Int("worlds-patients", 400, "patients in each run of the worlds (at most --patients): smaller is quicker and its ranges wider")
	serve := fs.Bool("serve", false, "afterwards, keep the HTTP server up on the demo database to explore the API")
	addr := fs.String("addr", "127.0.0.1:8080", "address for --serve")
	debugAddr := fs.String("debug-addr", "", "serve Go's profiler (/debug/pprof/) on this loopback address while the demo runs; off when empty")
	if err := parseFlags(fs, args); err != nil {
		return withUsage(err, demoUsage)
	}
	if err := checkDebugAddr(*debugAddr); err != nil {
		return err
	}
	stopDebug, err := serveDebug(ctx, *debugAddr)
	if err != nil {
		return err
	}
	defer stopDebug()
	stopGC, _ := gctune.Floor(gcFloor, demoGCPercent, env.Getenv)
	defer stopGC()
	if *patients < 1 || *days < 1 || *seeds < 1 || *worldsPatients < 1 {
		return usagef("--patients, --days, --seeds and --worlds-patients must be at least 1")
	}
	if err := checkDB(*dsn); err != nil {
		return err
	}
	params, world, err := demoModel(*modelFile)
	if err != nil {
		return err
	}
	if path, ok := strings.CutPrefix(*dsn, "sqlite:"); ok {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("recreate the demo database: %w", err)
			}
		}
	}
	// Quiet but for errors; RAPPORT_LOG_LEVEL=debug adds the phases and
	// their times (generation, import, each arm's simulation and report).
	level := slog.LevelError
	if v := env.Getenv("RAPPORT_LOG_LEVEL"); v != "" {
		if level, err = parseLevel("RAPPORT_LOG_LEVEL", v); err != nil {
			return err
		}
	}
	cfg := demo.Config{Patients: *patients, Days: *days, Seed: *seed, DB: *dsn, Model: &params,
		Logger: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))}
	plan := demoPlan{world: world, seeds: *seeds, worlds: *worlds, worldsPatients: min(*worldsPatients, *patients)}
	bar := newDemoProgress(env.Stderr, 2**days*plan.runs())
	if bar != nil {
		bar.Describe("generating and importing")
		plan.progress = barProgress(bar, *days)
	}
	res, err := plan.run(ctx, cfg)
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

// demoModel is the behaviour model --model names: a shipped world, or a
// file (a path, or a name ending in .yaml or .yml).
func demoModel(arg string) (behaviour.Params, string, error) {
	if arg == "" {
		return behaviour.DefaultParams(), behaviour.DefaultWorld, nil
	}
	if slices.Contains(behaviour.Worlds(), arg) {
		p, err := behaviour.NamedParams(arg)
		return p, arg, err
	}
	p, err := behaviour.LoadParams(arg)
	return p, filepath.Base(arg), err
}

// demoPlan is the runs a demo makes: the headline run (the sections of
// the report) in the chosen world and, with worlds, each shipped world
// over seeds at worldsPatients, whose spreads say how far the headline
// holds when the seed or the patients' behaviour changes.
type demoPlan struct {
	world          string
	seeds          int
	worlds         bool
	worldsPatients int
	// progress, when set, makes each run's day counter; run counts from 0.
	progress func(run int, describe string) func(strategy string, day, days int)
}

// runs is how many demo runs the plan makes.
func (p demoPlan) runs() int {
	if !p.worlds {
		return p.seeds
	}
	return 1 + len(behaviour.Worlds())*p.seeds
}

// run makes the plan's runs, two at a time (each run's two strategies
// share the cores unevenly, rapport's being the heavier, so runs side by
// side keep both cores busy); the result is the headline run's, with the
// spreads when there was more than one run.
func (p demoPlan) run(ctx context.Context, cfg demo.Config) (*demo.Result, error) {
	began := time.Now()
	jobs := p.jobs(cfg)
	results := make([]*demo.Result, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(demoParallelRuns)
	for i, j := range jobs {
		g.Go(func() error {
			r, err := demo.Run(gctx, j.cfg)
			if err != nil {
				return fmt.Errorf("%sseed %d: %w", j.world, j.cfg.Seed, err)
			}
			results[i] = r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	head := results[0]
	byWorld := map[string][]*demo.Result{}
	for i, j := range jobs {
		byWorld[j.world] = append(byWorld[j.world], results[i])
	}
	if !p.worlds && p.seeds > 1 {
		head.Spreads = []demo.Spread{demo.Summarize(p.world, byWorld[""])}
	}
	for _, name := range behaviour.Worlds() {
		if p.worlds {
			head.Spreads = append(head.Spreads, demo.Summarize(name, byWorld[name+" world: "]))
		}
	}
	if p.runs() > 1 {
		head.Elapsed = time.Since(began) // every run's, not the headline's alone
	}
	return head, nil
}

// demoParallelRuns is how many demo runs go at once.
const demoParallelRuns = 2

// demoJob is one run of a plan: its configuration, and the world whose
// spread it counts in ("" for the headline's runs; else "NAME world: ",
// which also prefixes its errors).
type demoJob struct {
	cfg   demo.Config
	world string
}

// jobs lists the plan's runs, the headline's first, with their seeds,
// databases and progress counters.
func (p demoPlan) jobs(cfg demo.Config) []demoJob {
	headSeeds := p.seeds
	if p.worlds {
		headSeeds = 1
	}
	var out []demoJob
	add := func(c demo.Config, seeds int, world, describe string) {
		for i := range seeds {
			c := c
			c.Seed = cfg.Seed + int64(i)
			if len(out) > 0 {
				c.DB, c.BaselineDB = "", "" // the database to serve is the headline's
			}
			if p.progress != nil {
				c.Progress = p.progress(len(out), describe)
			}
			out = append(out, demoJob{cfg: c, world: world})
		}
	}
	add(cfg, headSeeds, "", "simulating both strategies")
	if !p.worlds {
		return out
	}
	for _, name := range behaviour.Worlds() {
		params, err := behaviour.NamedParams(name)
		if err != nil {
			panic(fmt.Sprintf("shipped world %s: %v", name, err)) // the shipped worlds are tested
		}
		c := cfg
		c.Model, c.Patients = &params, p.worldsPatients
		add(c, p.seeds, name+" world: ", "running the worlds")
	}
	return out
}

// barProgress moves bar over every run's simulated days, both strategies;
// runs may go at once.
func barProgress(bar *progressbar.ProgressBar, days int) func(run int, describe string) func(string, int, int) {
	var mu sync.Mutex
	done := map[[2]string]int{} // (run, strategy) → days simulated
	total := 0
	return func(run int, describe string) func(string, int, int) {
		return func(strategy string, day, _ int) {
			mu.Lock()
			defer mu.Unlock()
			k := [2]string{fmt.Sprint(run), strategy}
			total += day - done[k]
			done[k] = day
			bar.Describe(describe)
			_ = bar.Set(total)
		}
	}
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

// demoGCPercent is the demo's GOGC once its heap is past gcFloor: a heap
// goal of 1.5 times the live heap rather than twice. The demo holds both
// arms' simulations at once; at 100,000 patients (one simulated day) it
// peaked at 513 MB with Go's default and at 439 MB with this, for 7% more
// CPU (383 against 412 CPU-s).
const demoGCPercent = 50
