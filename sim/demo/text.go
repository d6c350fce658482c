package demo

import (
	"fmt"
	"io"
	"maps"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/rapporthq/rapport/metrics"
)

// WriteText writes the terminal report: rapport's strategy beside the
// one-shot baseline, row by row — the engaged decliners first, then the
// funnel, reach by segment and channel, lift against the hold-out,
// messages and their cost, and rapport's decline reasons.
func WriteText(w io.Writer, r *Result) error {
	rp, bl := &r.Rapport, &r.Baseline
	var b strings.Builder
	// No run time: the same seed must give the same bytes.
	fmt.Fprintf(&b, "rapport demo: %d patients, %d simulated days from %s, seed %d", r.Patients, r.Days, r.Start.Format("2006-01-02"), r.Seed)
	b.WriteString("\n" + metrics.EngagedDeclinerDefinition + "\n")
	b.WriteString("Offer: home blood-pressure monitoring, to patients with hypertension; the same population,\nengine and simulated patients for both columns.\n\n")

	row := func(label string, a, c string) { fmt.Fprintf(&b, "%-32s %24s %24s\n", label, a, c) }
	head := func(label string) { fmt.Fprintf(&b, "%s\n", label) }
	num := func(label string, a, c int) { row(label, fmt.Sprint(a), fmt.Sprint(c)) }

	row("", "rapport", "one-shot baseline")
	num("ENGAGED DECLINERS", rp.EngagedDecliners, bl.EngagedDecliners)
	head("contact (patients; % of contacted)")
	f, g := rp.Funnel, bl.Funnel
	num("  contacted", f.Contacted, g.Contacted)
	row("  reached", ofN(f.Reached, f.Contacted), ofN(g.Reached, g.Contacted))
	row("  replied", ofN(f.Replied, f.Contacted), ofN(g.Replied, g.Contacted))
	row("  did not reply", ofN(f.Contacted-f.Replied, f.Contacted), ofN(g.Contacted-g.Replied, g.Contacted))
	head("outcomes (patients' latest; % of those in a journey, the rows add up to them)")
	num("  in a journey", f.InJourney, g.InJourney)
	for _, o := range []struct {
		name string
		a, c int
	}{{"interested", f.Interested, g.Interested}, {"declined", f.Declined, g.Declined}, {"no reply", f.NoReply, g.NoReply},
		{"opted out", f.OptedOut, g.OptedOut}, {"undeliverable", f.Undeliverable, g.Undeliverable}, {"no outcome yet", f.NoOutcome, g.NoOutcome}} {
		row("  "+o.name, ofN(o.a, f.InJourney), ofN(o.c, g.InJourney))
	}
	head("decliners since their first answer (the funnel shows latest outcomes)")
	d, e := rp.DeclinersSince, bl.DeclinersSince
	num("  declined first", d.Declined, e.Declined)
	num("  silent first", d.NoReply, e.NoReply)
	num("  ... engaged later", d.EngagedLater, e.EngagedLater)
	num("  ... booked/enrolled later", d.CommonLater, e.CommonLater)
	num("  ... opted out later", d.OptedOutLater, e.OptedOutLater)
	num("  ... still declining", d.StillDeclining, e.StillDeclining)
	num("  ... still silent", d.StillSilent, e.StillSilent)
	head("reach by segment: reached of contacted, and the share who replied")
	for _, k := range segmentRows(rp, bl) {
		a, c := rp.BySegment[k], bl.BySegment[k]
		if a.Contacted+c.Contacted == 0 {
			continue
		}
		row("  "+strings.TrimPrefix(k, "channel:")+segmentNote(k), reach(a), reach(c))
	}
	head("lift against the hold-out, on a common outcome (booked, enrolled, refilled)")
	row("  common outcome, contacted group", pctOf(rp.CommonLift.TreatedEngaged, rp.CommonLift.TreatedN), pctOf(bl.CommonLift.TreatedEngaged, bl.CommonLift.TreatedN))
	row("  common outcome, hold-out", pctOf(rp.CommonLift.ControlEngaged, rp.CommonLift.ControlN), pctOf(bl.CommonLift.ControlEngaged, bl.CommonLift.ControlN))
	row("  lift (95% CI)", liftText(rp.CommonLift), liftText(bl.CommonLift))
	head("lift on any engagement, a yes included (the hold-out is never asked: overstates)")
	row("  engaged, contacted group", pctOf(rp.Lift.TreatedEngaged, rp.Lift.TreatedN), pctOf(bl.Lift.TreatedEngaged, bl.Lift.TreatedN))
	row("  engaged, hold-out", pctOf(rp.Lift.ControlEngaged, rp.Lift.ControlN), pctOf(bl.Lift.ControlEngaged, bl.Lift.ControlN))
	row("  lift (95% CI)", liftText(rp.Lift), liftText(bl.Lift))
	row("  hold-out contacted", fmt.Sprintf("%d of %d", rp.Holdout.Contacted, rp.Holdout.Size), fmt.Sprintf("%d of %d", bl.Holdout.Contacted, bl.Holdout.Size))
	head("messages, each once by what became of it (sent = delivered + failed after sending + no receipt)")
	m, n := rp.Messages, bl.Messages
	num("  sent", m.Sent, n.Sent)
	num("  ... delivered", m.Delivered, n.Delivered)
	num("  ... failed after sending", m.FailedAfterSending, n.FailedAfterSending)
	num("  ... no receipt", m.NoReceipt, n.NoReceipt)
	num("  refused by the provider", m.FailedAtSend, n.FailedAtSend)
	num("  suppressed", m.Suppressed, n.Suppressed)
	for _, ch := range []string{"sms", "voice", "email"} {
		num("  sent by "+ch, rp.Messages.ByChannel[ch], bl.Messages.ByChannel[ch])
	}
	num("  SMS segments (cost)", rp.Messages.SMSSegments, bl.Messages.SMSSegments)
	row("  segments per engaged decliner", perEach(rp.Messages.SMSSegments, rp.EngagedDecliners), perEach(bl.Messages.SMSSegments, bl.EngagedDecliners))
	num("quiet-hours violations", rp.QuietHoursViolations, bl.QuietHoursViolations)
	if len(rp.DeclineReasons) > 0 {
		b.WriteString("\nWhy patients declined, latest reason of each decliner (rapport asks; the baseline hears only a reply's words):\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  reason\trapport\tbaseline\texample (rapport)\n")
		for _, k := range sortedReasons(rp.DeclineReasons, bl.DeclineReasons) {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\n", metrics.ReasonLabel(k), rp.DeclineReasons[k], bl.DeclineReasons[k], example(rp, k))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := writeAdherence(&b, r); err != nil {
		return err
	}
	if len(r.Spreads) > 0 {
		fmt.Fprintf(&b, "\nHow far the headline holds (the sections above are one run: seed %d, %d patients). Each figure's mean\nand range over seeds, under each simulated world; pessimistic is a world where listening to decliners changes no mind:\n", r.Seed, r.Patients)
		for _, s := range r.Spreads {
			writeSpread(&b, s)
		}
	}
	if r.Behaviour != "" {
		fmt.Fprintf(&b, "\nSimulated patients in rapport's run: %s.\n", r.Behaviour)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// segmentRows are the breakdowns worth a row: rural and urban, then the channel of first contact.
func segmentRows(reps ...*metrics.Report) []string {
	rows := []string{"rural", "urban"}
	seen := map[string]bool{}
	var chans []string
	for _, r := range reps {
		for k := range r.BySegment {
			if strings.HasPrefix(k, "channel:") && !seen[k] {
				seen[k] = true
				chans = append(chans, k)
			}
		}
	}
	sort.Strings(chans)
	return append(rows, chans...)
}

func segmentNote(k string) string {
	if strings.HasPrefix(k, "channel:") {
		return " (first channel)"
	}
	return ""
}

func reach(f metrics.Funnel) string {
	if f.Contacted == 0 {
		return "-"
	}
	return fmt.Sprintf("%d of %d, %.0f%% replied", f.Reached, f.Contacted, 100*float64(f.Replied)/float64(f.Contacted))
}

func ofN(part, whole int) string {
	if whole == 0 {
		return fmt.Sprint(part)
	}
	return fmt.Sprintf("%d (%.0f%%)", part, 100*float64(part)/float64(whole))
}

func pctOf(part, whole int) string {
	if whole == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%% of %d", 100*float64(part)/float64(whole), whole)
}

func liftText(l metrics.Lift) string {
	if !l.Measurable {
		return "not measurable"
	}
	return fmt.Sprintf("%+.1f pp [%+.1f, %+.1f]", 100*l.Estimate, 100*l.CILow, 100*l.CIHigh)
}

func perEach(total, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(total)/float64(n))
}

// sortedReasons lists the reasons of m, then those only in others, by
// m's count, then name.
func sortedReasons(m map[string]int, others ...map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for _, o := range others {
		for k := range o {
			if _, ok := m[k]; !ok {
				m = maps.Clone(m)
				m[k] = 0
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// example is the first example of a reason, in words.
func example(r *metrics.Report, reason string) string {
	for _, d := range r.DeclineReasonDetails {
		if d.Reason == reason && len(d.Examples) > 0 {
			return metrics.Printable(truncateText(d.Examples[0], 50))
		}
	}
	return ""
}

func truncateText(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
