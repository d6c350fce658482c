package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

const reportUsage = "usage: rapport report [--campaign ID] [--format text|json] | report adherence [--from D] [--to D] [--format text|json]"

// runReport prints the metrics of one campaign or of everything, computed
// from the ledger: a terminal report, or the JSON of metrics.Report.
func runReport(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "adherence" {
		return runReportAdherence(ctx, env, args[1:])
	}
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, env.Getenv, false)
	campaign := fs.String("campaign", "", "the campaign to report on (default: everything)")
	format := fs.String("format", "text", "text for people, json for machines")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return withUsage(err, reportUsage+"\n\nPrints the metrics of one campaign, or of everything, computed from the ledger;\nreport adherence prints medication adherence (rapport report adherence --help).")
	}
	if len(pos) > 0 || (*format != "text" && *format != "json") {
		return usagef("%s", reportUsage)
	}
	app, err := newApp(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer app.Close()
	title := "all campaigns and messages"
	if *campaign != "" {
		c, err := app.DB.FindCampaign(ctx, *campaign)
		if err != nil {
			return err
		}
		live, err := countLive(ctx, app.DB, c)
		if err != nil {
			return err
		}
		title = fmt.Sprintf("campaign %s — %s (%s)", c.ID, c.Name, c.Progress(live[c.ID]))
	}
	r, err := app.report(ctx, metrics.Filter{Campaign: *campaign})
	if err != nil {
		return err
	}
	if err := auditVerbatims(ctx, app.DB, r, env.Clock); err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	writeReport(env.Stdout, r, title)
	return nil
}

// report computes a metrics report with the configured quiet hours and zone.
func (a *App) report(ctx context.Context, f metrics.Filter) (*metrics.Report, error) {
	if w, err := rules.ParseWindow(a.Config.QuietHours); err == nil {
		f.QuietHours = w
	}
	f.OrgTimeZone = a.Config.OrgTimeZone
	return metrics.Compute(ctx, a.DB, f)
}

// barWidth is the width of a full funnel bar.
const barWidth = 30

// bar draws n of total as a bar of barWidth cells.
func bar(n, total int) string {
	full := 0
	if total > 0 {
		full = (n*barWidth + total/2) / total
	}
	full = min(max(full, 0), barWidth)
	return strings.Repeat("█", full) + strings.Repeat("·", barWidth-full)
}

func percent(n, total int) string {
	if total == 0 {
		return "   –"
	}
	return fmt.Sprintf("%3.0f%%", 100*float64(n)/float64(total))
}

// writeReport writes the report for a terminal: the engaged decliners
// first, then contact and outcomes with bars (each percentage naming what
// it is of, and the rows adding up to it), decline reasons, reach by
// segment, the hold-out and lift, and the messages.
func writeReport(w io.Writer, r *metrics.Report, title string) {
	fmt.Fprintf(w, "rapport report: %s\n", title)
	fmt.Fprintln(w, metrics.EngagedDeclinerDefinition)
	if r.SimulatedMessages > 0 {
		fmt.Fprintf(w, "SIMULATED: %d messages went to simulated patients (serve --channels simulator); their answers are not real patients'\n", r.SimulatedMessages)
	}
	fmt.Fprintf(w, "%d patients in scope, %d enrolled by campaigns, %d held out\n\n", r.Patients, r.Enrolled, r.Holdout.Size)

	fmt.Fprintf(w, "ENGAGED DECLINERS  %d\n", r.EngagedDecliners)
	if n := len(r.EngagedDeclinersByDay); n > 0 {
		var days []string
		for _, p := range r.EngagedDeclinersByDay[max(0, n-7):] {
			days = append(days, fmt.Sprintf("%s %d", p.Day.Format("Jan 2"), p.Value))
		}
		fmt.Fprintf(w, "  cumulative: %s\n", strings.Join(days, " · "))
	}

	f := r.Funnel
	fmt.Fprintf(w, "\nCONTACT (patients; %% of the %d contacted)\n", f.Contacted)
	writeRows(w, f.Contacted, "contacted", []row{{"contacted", f.Contacted}, {"reached", f.Reached},
		{"replied", f.Replied}, {"did not reply", f.Contacted - f.Replied}})
	fmt.Fprintln(w, "  reached: an SMS delivery receipt or an answer; a call that completed (voicemail too) or an email sent is not enough")
	fmt.Fprintf(w, "\nOUTCOMES (patients' latest; %% of the %d in a journey, the rows add up to them)\n", f.InJourney)
	writeRows(w, f.InJourney, "in a journey", []row{{"interested", f.Interested}, {"declined", f.Declined},
		{"no reply", f.NoReply}, {"opted out", f.OptedOut}, {"undeliverable", f.Undeliverable}, {"not sent: no channel", f.NoChannel}, {"no outcome yet", f.NoOutcome}})

	writeDeclinersSince(w, r)
	writeReasons(w, r)

	fmt.Fprintln(w, "\nREACH BY SEGMENT (reached of contacted in each segment)")
	keys := make([]string, 0, len(r.BySegment))
	for k := range r.BySegment {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return segmentOrder(keys[i]) < segmentOrder(keys[j]) })
	for _, k := range keys {
		s := r.BySegment[k]
		if s.Contacted == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-18s %6d / %-6d %s %s\n", k, s.Reached, s.Contacted, bar(s.Reached, s.Contacted), percent(s.Reached, s.Contacted))
	}

	fmt.Fprintln(w, "\nLIFT AGAINST THE HOLD-OUT (after launch)")
	writeLift(w, "on a common outcome: booking, enrolment or refill, which the hold-out can reach too", r.CommonLift)
	writeLift(w, "on any engagement, a yes to the offer included (the hold-out is never asked: overstates)", r.Lift)
	fmt.Fprintf(w, "  hold-out contacted: %d\n", r.Holdout.Contacted)

	m := r.Messages
	fmt.Fprintln(w, "\nMESSAGES (each counted once, by what became of it)")
	fmt.Fprintf(w, "  sent %d = delivered %d + failed after sending %d + no receipt yet %d\n", m.Sent, m.Delivered, m.FailedAfterSending, m.NoReceipt)
	fmt.Fprintf(w, "  not sent: refused by the provider %d · suppressed %d (consent, quiet hours, caps, no channel)\n", m.FailedAtSend, m.Suppressed)
	fmt.Fprintf(w, "  failed in all %d · SMS segments %d\n", m.Failed, m.SMSSegments)
	fmt.Fprintf(w, "  sent in quiet hours (not urgent): %d\n", r.QuietHoursViolations)
}

// row is one labelled count of a report section.
type row struct {
	name string
	n    int
}

// writeRows writes counts with bars and their share of total, named.
func writeRows(w io.Writer, total int, of string, rows []row) {
	for _, r := range rows {
		fmt.Fprintf(w, "  %-14s %7d %s %s of %s\n", r.name, r.n, bar(r.n, total), percent(r.n, total), of)
	}
}

// writeReasons writes the decline reasons under column headers: a label,
// the patients, and examples in words.
func writeReasons(w io.Writer, r *metrics.Report) {
	total := 0
	for _, d := range r.DeclineReasonDetails {
		total += d.Count
	}
	fmt.Fprintf(w, "\nDECLINE REASONS (the latest reason stated by each of the %d patients who declined)\n", total)
	if len(r.DeclineReasonDetails) == 0 {
		fmt.Fprintln(w, "  none recorded")
		return
	}
	fmt.Fprintf(w, "  %-22s %8s  %s\n", "reason", "patients", "examples")
	for _, d := range r.DeclineReasonDetails {
		var ex []string
		for _, e := range d.Examples {
			ex = append(ex, metrics.Printable(clip(e, 60)))
		}
		label := d.Label
		if label == "" {
			label = metrics.ReasonLabel(d.Reason)
		}
		fmt.Fprintf(w, "  %-22s %8d  %s\n", label, d.Count, strings.Join(ex, " · "))
	}
}

// writeLift writes one lift measure under its name.
func writeLift(w io.Writer, name string, l metrics.Lift) {
	fmt.Fprintf(w, "  %s\n", name)
	if !l.Measurable {
		fmt.Fprintln(w, "    not measurable: no hold-out group (or nobody enrolled)")
		return
	}
	fmt.Fprintf(w, "    enrolled  %5.1f%% of %d\n", 100*l.Treated, l.TreatedN)
	fmt.Fprintf(w, "    hold-out  %5.1f%% of %d\n", 100*l.Control, l.ControlN)
	fmt.Fprintf(w, "    lift      %+5.1f points (95%% CI %+.1f to %+.1f, Wald)\n", 100*l.Estimate, 100*l.CILow, 100*l.CIHigh)
}

// writeDeclinersSince writes the first outcomes of those who declined or
// were silent, and what became of them: the funnel shows latest outcomes.
func writeDeclinersSince(w io.Writer, r *metrics.Report) {
	d := r.DeclinersSince
	fmt.Fprintln(w, "\nDECLINERS SINCE (first answer a decline or silence, whatever came after)")
	fmt.Fprintf(w, "  declined first %d · silent first %d\n", d.Declined, d.NoReply)
	fmt.Fprintf(w, "  engaged later %d (common outcome %d) · opted out later %d · still declining %d · still silent %d\n",
		d.EngagedLater, d.CommonLater, d.OptedOutLater, d.StillDeclining, d.StillSilent)
}

// segmentOrder sorts rural and urban first, then languages, ages, channels, variants.
func segmentOrder(k string) string {
	for i, p := range []string{"rural", "urban", "language:", "age:", "channel:", "variant:"} {
		if strings.HasPrefix(k, p) {
			return fmt.Sprintf("%d%s", i, k)
		}
	}
	return "9" + k
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// cliActor is who commands run on the server act as in the audit trail.
var cliActor = rapport.Actor{ID: "cli", Name: "cli", Role: rapport.RoleAdmin}

// auditVerbatims records that the report quotes patients' own words: a
// read of each quoted patient's data.
func auditVerbatims(ctx context.Context, db *store.DB, r *metrics.Report, clock rapport.Clock) error {
	var es []rapport.Audit
	for _, pid := range r.VerbatimPatients() {
		es = append(es, rapport.Audit{At: clock.Now(), Actor: cliActor, Action: "read", Resource: "Report/verbatim", PatientID: pid})
	}
	if len(es) == 0 {
		return nil
	}
	return db.AppendAudit(ctx, es...)
}
