package demo

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// groupLabels name the adherence groups for people.
var groupLabels = map[string]string{GroupReminded: "reminded (rapport)", GroupHoldout: "hold-out (rapport)", GroupBaseline: "same patients, baseline arm"}

// AdherenceIntro is what the adherence section says of itself, in every
// format: where the figures come from and what is assumed.
func AdherenceIntro(a Adherence) []string {
	return []string{
		fmt.Sprintf("PDC by PQA's method, computed from the pharmacy fills in rapport's own database (the population's history and the fills " +
			"the simulated patients made during the run, imported as the EHR's sync would); a patient is adherent at a PDC of 80%% or more. " +
			"Measured per patient and drug class, over the scheduled medicines rapport holds a regimen for; " +
			"fills on fewer than two dates in a period exclude the measure."),
		fmt.Sprintf("rapport started refill reminders for %d regimens of patients outside the campaign's hold-out (the same patients, by the same hash); "+
			"the hold-out gets none, nor anybody in the baseline arm, whose row shows the reminded group's patients there: the same people "+
			"with their fills drawn alike, so that it differs from the reminded row by the reminders alone.", a.Started),
		fmt.Sprintf("This is a simulation: the reminder's effect is the model's assumption, not a finding. A delivered refill reminder makes a refill "+
			"that would have come late, or never, come within days with chance %.0f%% (refill.on_time_share: Thakkar et al., "+
			"JAMA Intern Med 2016, text messages raised adherence from 50%% to 67.8%%; halved to stay conservative).", 100*a.OnTimeShare),
	}
}

// writeAdherence writes the adherence section of the text report.
func writeAdherence(b *strings.Builder, r *Result) error {
	a := r.Adherence
	if len(a.Groups) == 0 {
		return nil
	}
	fmt.Fprintf(b, "\nMedication adherence: the year before the run (%s to %s) and the year to its end (%s to %s)\n", a.Before.Start, a.Before.End, a.After.Start, a.After.End)
	for _, s := range AdherenceIntro(a) {
		b.WriteString(wrap(s, 110, "  "))
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  group\tperiod\tmeasured\tadherent\tmean PDC\t0-20%%\t20-40%%\t40-60%%\t60-80%%\t80-100%%\t\n")
	for _, g := range a.Groups {
		for _, p := range []struct {
			name string
			f    PDCFigures
		}{{"year before", g.Before}, {"year to end", g.After}} {
			f := p.f
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%.0f%%\t%d\t%d\t%d\t%d\t%d\t\n", groupLabels[g.Group], p.name, f.Measured,
				pctOf(f.Adherent, f.Measured), 100*f.MeanPDC, f.Bins[0], f.Bins[1], f.Bins[2], f.Bins[3], f.Bins[4])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(b, "  Simulated fills during rapport's run: %d; supplies a delivered refill reminder named: %d, of which brought forward: %d.\n",
		r.Fills, r.RefillReminders, r.FillsSooner)
	return nil
}

// wrap breaks s into lines of at most width, each led by indent.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(s) {
		if len(line) > len(indent) && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	return b.String() + line + "\n"
}
