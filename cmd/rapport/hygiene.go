package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/hygiene"
)

const hygieneUsage = "usage: rapport hygiene run [--format text|json] | report [--run ID] [--format text|json] | export --out DIR"

const hygieneHelp = `usage: rapport hygiene SUBCOMMAND [flags]

Hygiene cleans the patient list: it re-validates every contact point, marks stale
ones for re-verification and finds duplicate patients. rapport serve runs it monthly.

Subcommands:
  run [--format text|json]                   run it now and print its report
  report [--run ID] [--format text|json]     print a stored report: the latest, or --run ID
  export --out DIR                           write what rapport learned for the CRM:
                                             corrections.csv, Patient.ndjson, Flag.ndjson`

// runHygiene runs the monthly hygiene by hand (run), prints a stored report
// (report: the latest, or --run ID), or writes what rapport learned for
// the CRM (export).
func runHygiene(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("%s", hygieneUsage)
	}
	sub := args[0]
	if isHelp(sub) {
		sub = "" // the flags of every subcommand
	}
	fs := flag.NewFlagSet(strings.TrimSpace("hygiene "+sub), flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, env.Getenv, false)
	format := fs.String("format", "text", "text for people, json for machines (run, report)")
	runID := fs.String("run", "", "the run to report on; default the latest (report)")
	out := fs.String("out", "", "the folder to write corrections.csv, Patient.ndjson and Flag.ndjson into (export)")
	if sub == "" {
		return helpError{usage: hygieneHelp, flags: fs}
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return withUsage(err, hygieneHelp)
	}
	if len(pos) > 0 || (*format != "text" && *format != "json") {
		return usagef("%s", hygieneUsage)
	}
	switch {
	case sub == "export" && *out == "":
		return usagef("hygiene export needs --out DIR")
	case sub != "run" && sub != "report" && sub != "export":
		return usagef("%s", hygieneUsage)
	}
	app, err := newApp(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer app.Close()
	switch sub {
	case "run":
		r, err := hygiene.Run(ctx, app.hygieneDeps(), env.Clock.Now())
		if err != nil {
			return err
		}
		return printHygiene(env, r, *format)
	case "report":
		run, err := app.DB.LatestHygieneRun(ctx)
		if *runID != "" {
			run, err = app.DB.FindHygieneRun(ctx, *runID)
		}
		if err != nil {
			return err
		}
		var r hygiene.Report
		if err := json.Unmarshal(run.Report, &r); err != nil {
			return fmt.Errorf("hygiene run %s: report: %w", run.ID, err)
		}
		return printHygiene(env, &r, *format)
	}
	return exportHygiene(ctx, env, app, *out)
}

func printHygiene(env *Env, r *hygiene.Report, format string) error {
	if format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(env.Stdout)
}

// exportHygiene writes the export and audits it: it reads the data of
// every patient it writes about.
func exportHygiene(ctx context.Context, env *Env, app *App, dir string) error {
	st, err := hygiene.Export(ctx, app.DB, dir, env.Clock.Now())
	if err != nil {
		return err
	}
	es := make([]rapport.Audit, len(st.PatientIDs))
	for i, pid := range st.PatientIDs {
		es[i] = rapport.Audit{At: env.Clock.Now(), Actor: cliActor, Action: "read", Resource: "Export/hygiene", PatientID: pid}
	}
	if len(es) > 0 {
		if err := app.DB.AppendAudit(ctx, es...); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(env.Stdout, "wrote %s: %d corrections, %d patients, %d flags\n", dir, st.Corrections, st.Patients, st.Flags)
	return err
}
