package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/metrics"
)

const reportAdherenceUsage = "usage: rapport report adherence [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format text|json]"

const reportAdherenceHelp = reportAdherenceUsage + `

Prints medication adherence from the imported pharmacy fills: PQA's proportion of
days covered (PDC) per drug class — statins, RAS antagonists, diabetes medications —
with MPR, the self-reported rate from check-ins, rural/urban and decliner breakdowns,
and the PDC distribution. Other drugs are measured per drug; they are not PQA measures.
The period is the last 365 days ending today (the organisation's zone), both days included.`

// runReportAdherence prints the adherence report of a period.
func runReportAdherence(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("report adherence", flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, env.Getenv, false)
	from := fs.String("from", "", "first day of the period, YYYY-MM-DD (default: 364 days before --to)")
	to := fs.String("to", "", "last day of the period, YYYY-MM-DD (default: today)")
	format := fs.String("format", "text", "text for people, json for machines")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return withUsage(err, reportAdherenceHelp)
	}
	if len(pos) > 0 || (*format != "text" && *format != "json") {
		return usagef("%s", reportAdherenceUsage)
	}
	// A mistyped date is bad usage, before anything opens.
	if _, err := metrics.AdherencePeriod(*from, *to, adherence.DateOf(env.Clock.Now())); err != nil {
		return usagef("%s", rapport.ErrorMessage(err))
	}
	app, err := newApp(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer app.Close()
	r, err := app.adherence(ctx, *from, *to)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	writeAdherence(env.Stdout, r)
	return nil
}

// adherence computes the adherence report of the period from..to (dates,
// either may be empty for the default), today being the organisation's.
func (a *App) adherence(ctx context.Context, from, to string) (*metrics.AdherenceReport, error) {
	loc, err := time.LoadLocation(a.Config.OrgTimeZone)
	if err != nil {
		loc = time.UTC
	}
	p, err := metrics.AdherencePeriod(from, to, adherence.DateOf(a.Clock.Now().In(loc)))
	if err != nil {
		return nil, err
	}
	return metrics.ComputeAdherence(ctx, a.DB, metrics.AdherenceFilter{Period: p, OrgTimeZone: a.Config.OrgTimeZone})
}

// writeAdherence writes the adherence report for a terminal: the
// definition, the measures per class, the segments, the distribution.
func writeAdherence(w io.Writer, r *metrics.AdherenceReport) {
	fmt.Fprintf(w, "rapport report adherence: %s to %s\n", r.From, r.To)
	fmt.Fprintln(w, r.Definition)
	fmt.Fprintf(w, "%d patients with fills in the period · %d fills measured · %d skipped without a days supply · ", r.Patients, r.Fills, r.SkippedFills)
	if r.SelfReports == 0 {
		fmt.Fprintln(w, "no check-in answers yet")
	} else {
		fmt.Fprintf(w, "%d check-in answers\n", r.SelfReports)
	}
	if len(r.Classes) == 0 {
		fmt.Fprintln(w, "\nno fills in the period")
		return
	}
	header := fmt.Sprintf("  %-52s %8s %8s %8s %8s %8s %8s  %s\n", "class", "patients", "measured", "excluded", "mean PDC", "adherent", "mean MPR", "self-report")
	pqa := true
	fmt.Fprintln(w, "\nPQA MEASURES (mean PDC and MPR, and the adherent share, over the measured patients)")
	fmt.Fprint(w, header)
	for _, c := range r.Classes {
		if pqa && !c.PQA {
			pqa = false
			fmt.Fprintln(w, "\nOTHER DRUGS (per drug, same method; not PQA measures)")
			fmt.Fprint(w, header)
		}
		writeSummaryRow(w, "  "+clip(c.Name, 52), c.Overall)
	}

	fmt.Fprintln(w, "\nSEGMENTS (rural or urban; decliners: declined an offer or never answered one)")
	for _, c := range r.Classes {
		if len(c.Segments) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s\n", clip(c.Name, 60))
		for _, s := range c.Segments {
			writeSummaryRow(w, "    "+s.Segment, s)
		}
	}

	fmt.Fprintln(w, "\nPDC DISTRIBUTION (measured patients per 10-point band, 0–9% … 90–100%)")
	for _, c := range r.Classes {
		if c.Overall.Measured == 0 {
			continue
		}
		bands := make([]string, len(c.Overall.PDCDeciles))
		for i, n := range c.Overall.PDCDeciles {
			bands[i] = fmt.Sprint(n)
		}
		fmt.Fprintf(w, "  %-52s %s\n", clip(c.Name, 52), strings.Join(bands, " · "))
	}
}

// writeSummaryRow writes one summary under the report's column headers.
func writeSummaryRow(w io.Writer, label string, s adherence.Summary) {
	pct := func(v float64) string {
		if s.Measured == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	self := "no check-in answers yet"
	if s.SelfReport.Answered > 0 {
		self = fmt.Sprintf("%.0f%% taken of %d answered doses", 100*s.SelfReport.Rate(), s.SelfReport.Answered)
	}
	fmt.Fprintf(w, "%-54s %8d %8d %8d %8s %8s %8s  %s\n", label, s.Patients, s.Measured, s.Excluded, pct(s.MeanPDC), pct(s.AdherentShare), pct(s.MeanMPR), self)
}
