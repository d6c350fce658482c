package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/store"
)

// Groups of the adherence section.
const (
	GroupReminded = "reminded" // rapport's arm, outside the hold-out: refill reminders started
	GroupHoldout  = "holdout"  // rapport's arm, the campaign's hold-out: no reminders
	// GroupBaseline is the reminded group's patients in the baseline arm,
	// where nobody is reminded: the same people, fills drawn alike, so
	// the difference from the reminded is the reminders' alone.
	GroupBaseline = "baseline"
)

// PDCBins are the bins of the PDC distribution: 0–20 %, 20–40 %, 40–60 %,
// 60–80 % and 80–100 % (the last is the adherent).
const PDCBins = 5

// Adherence is the report's adherence section: PQA's PDC, computed from
// the fills in rapport's own database, in the measurement year before
// the run and in the year to the run's end, per group.
type Adherence struct {
	Before adherence.Period `json:"before"`
	After  adherence.Period `json:"after"`
	// OnTimeShare is the behaviour model's effect of a delivered refill
	// reminder (refill.on_time_share): the chance that a late or stopped
	// refill is made within days of it instead.
	OnTimeShare float64 `json:"reminder_effect_on_time_share"`
	// Started counts the regimens whose refill reminders rapport started.
	Started int        `json:"regimens_started"`
	Groups  []PDCGroup `json:"groups"`
}

// Group returns the named group; false when there is none.
func (a Adherence) Group(name string) (PDCGroup, bool) {
	for _, g := range a.Groups {
		if g.Group == name {
			return g, true
		}
	}
	return PDCGroup{}, false
}

// PDCGroup is one group's PDC in the year before the run and the year
// to its end.
type PDCGroup struct {
	Group  string     `json:"group"`
	Before PDCFigures `json:"before"`
	After  PDCFigures `json:"after"`
}

// PDCFigures summarise one group's PDC over a period. A patient taking
// drugs of two classes is measured twice, once per class, as PQA measures
// each class apart.
type PDCFigures struct {
	// Measured counts the patient-class measures; Excluded those PQA
	// leaves out (fills on fewer than two dates in the period).
	Measured int `json:"measured"`
	Excluded int `json:"excluded"`
	Adherent int `json:"adherent"`
	// AdherentShare is Adherent / Measured (PDC ≥ 80 %); 0 when none.
	AdherentShare float64 `json:"adherent_share"`
	MeanPDC       float64 `json:"mean_pdc"`
	// Bins count the measures by PDC: 0–20, 20–40, 40–60, 60–80, 80–100 %.
	Bins [PDCBins]int `json:"bins"`
}

// add counts one class's result.
func (f *PDCFigures) add(r adherence.Result) {
	if !r.Measured() {
		f.Excluded++
		return
	}
	f.Measured++
	f.MeanPDC += r.PDC
	if r.Adherent {
		f.Adherent++
	}
	f.Bins[min(r.Covered*PDCBins/r.Days, PDCBins-1)]++
}

func (f *PDCFigures) finish() {
	if f.Measured > 0 {
		f.AdherentShare = float64(f.Adherent) / float64(f.Measured)
		f.MeanPDC /= float64(f.Measured)
	}
}

// adherencePeriods are the measurement year before the run and the year
// to the run's last day, as dates in the clinic's zone. A year, not the
// run's days alone: PQA starts each patient at their first fill in the
// period and leaves out those with fewer than two, so over a quarter the
// late fillers the reminders act on would drop out of the measure (or
// into it) instead of showing in their PDC.
func adherencePeriods(start time.Time, days int) (before, after adherence.Period) {
	first := adherence.DateOf(start)
	last := first.AddDays(days - 1)
	return adherence.Period{Start: first.AddDays(-365), End: first.AddDays(-1)},
		adherence.Period{Start: last.AddDays(-364), End: last}
}

// measureAdherence computes the world's PDC groups from its database:
// the fills of the drugs rapport holds a regimen for (the scheduled
// medicines it can remind; a drug taken as needed has no PDC worth the
// name), by PQA's method. rapport's arm splits into reminded patients and
// the hold-out of campaign; the baseline arm gives the reminded group's
// patients.
func (w *world) measureAdherence(ctx context.Context, campaign string) ([]PDCGroup, error) {
	drugs, err := w.regimenDrugs(ctx)
	if err != nil {
		return nil, err
	}
	before, after := adherencePeriods(w.start, w.cfg.Days)
	zones := map[string]*time.Location{}
	groups := map[string]*PDCGroup{}
	order := []string{GroupBaseline}
	if w.strategy == StrategyRapport {
		order = []string{GroupReminded, GroupHoldout}
	}
	for _, g := range order {
		groups[g] = &PDCGroup{Group: g}
	}
	groupOf := func(pid rapport.PatientID) string {
		switch {
		case journey.InHoldout(campaign, pid, w.cfg.HoldoutPercent):
			if w.strategy != StrategyRapport {
				return "" // the baseline's hold-out: not reported
			}
			return GroupHoldout
		case w.strategy != StrategyRapport:
			return GroupBaseline
		}
		return GroupReminded
	}
	for _, m := range []struct {
		period adherence.Period
		of     func(g *PDCGroup) *PDCFigures
	}{
		{before, func(g *PDCGroup) *PDCFigures { return &g.Before }},
		{after, func(g *PDCGroup) *PDCFigures { return &g.After }},
	} {
		calc, err := adherence.NewCalculator(adherence.Method{Period: m.period})
		if err != nil {
			return nil, err
		}
		var fills []adherence.Fill
		var results []adherence.Result
		// A day either side, so a fill on the period's first or last
		// local day is read whatever the patient's offset from UTC.
		scan := store.DispenseScan{From: m.period.Start.AddDays(-1).Time(), To: m.period.End.AddDays(2).Time()}
		err = w.db.ScanDispensed(ctx, scan, func(ds []store.Dispensed) error {
			pid := ds[0].PatientID
			fills = fills[:0]
			for _, d := range ds {
				if !drugs[pid][d.DrugCode] {
					continue
				}
				date := adherence.DateOf(d.HandedOver.In(w.zone(zones, d.TimeZone)))
				fills = append(fills, adherence.Fill{Drug: adherence.DrugKey(d.DrugSystem, d.DrugCode, d.DrugName),
					Class: adherence.ClassOf(d.DrugSystem, d.DrugCode, d.DrugName), Date: date, DaysSupply: d.DaysSupply})
			}
			group := groups[groupOf(pid)]
			if len(fills) == 0 || group == nil {
				return nil
			}
			if results, err = calc.Measure(fills, nil, results[:0]); err != nil {
				return err
			}
			f := m.of(group)
			for _, r := range results {
				f.add(r)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("adherence %s to %s: %w", m.period.Start, m.period.End, err)
		}
	}
	out := make([]PDCGroup, 0, len(order))
	for _, g := range order {
		groups[g].Before.finish()
		groups[g].After.finish()
		out = append(out, *groups[g])
	}
	return out, nil
}

// regimenDrugs is, per patient, the drug codes rapport holds a regimen for.
func (w *world) regimenDrugs(ctx context.Context) (map[rapport.PatientID]map[string]bool, error) {
	var all []store.RegimenBrief
	err := w.db.InTx(ctx, func(tx *store.Tx) (err error) {
		all, err = tx.RegimenBriefs(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("regimen drugs: %w", err)
	}
	out := map[rapport.PatientID]map[string]bool{}
	for _, r := range all {
		if r.DrugCode == "" {
			continue
		}
		if out[r.PatientID] == nil {
			out[r.PatientID] = map[string]bool{}
		}
		out[r.PatientID][r.DrugCode] = true
	}
	return out, nil
}

// zone is the location a patient's fills are dated in: theirs, else the
// clinic's (start's); zones caches those loaded.
func (w *world) zone(zones map[string]*time.Location, name string) *time.Location {
	if l, ok := zones[name]; ok {
		return l
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" {
		l = w.start.Location()
	}
	zones[name] = l
	return l
}
