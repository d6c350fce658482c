// Package demo runs rapport's main job: a synthetic clinic population with
// real CRM dirt, a simulated quarter of outreach, nurture and check-ins
// through the real engine, and the report that shows what rapport changes
// beside the usual one-shot campaign.
package demo

import (
	"time"

	"github.com/rapporthq/rapport/metrics"
)

// Result is what a demo run produces: rapport's strategy and the
// formalistic baseline (one wave, decliners and non-responders dropped),
// over the same population, through the same engine.
type Result struct {
	Patients int       `json:"patients"`
	Days     int       `json:"days"`
	Seed     int64     `json:"seed"`
	Start    time.Time `json:"start"`
	// Rapport is the report of rapport's journeys; its fields are also the
	// top-level keys of the JSON report.
	Rapport metrics.Report `json:"-"`
	// Baseline is the same population under the one-shot strategy.
	Baseline metrics.Report `json:"-"`
	// Campaign and BaselineCampaign are the campaigns' ids, each in its
	// own database.
	Campaign         string `json:"campaign"`
	BaselineCampaign string `json:"baseline_campaign"`
	// Behaviour summarises what the simulated patients did in rapport's run.
	Behaviour string `json:"-"`
	// Adherence is PDC before and during the run, per group.
	Adherence Adherence `json:"-"`
	// Fills counts the pharmacy fills simulated in rapport's run;
	// RefillReminders the supplies a delivered refill reminder named, and
	// FillsSooner those it brought forward (the model's effect at work).
	Fills, RefillReminders, FillsSooner int `json:"-"`
	// Spreads are the headline figures over several seeds, one per world
	// run (`--seeds`, `--worlds`); empty for a single run.
	Spreads []Spread `json:"-"`
	// Elapsed is the wall time of the run. Only the HTML page shows it:
	// the text and JSON reports are the same at every run of a seed.
	Elapsed time.Duration `json:"-"`
}
