package demo

import (
	"encoding/json"
	"io"
	"time"

	"github.com/rapporthq/rapport/metrics"
)

// jsonReport is the machine-readable report: rapport's metrics at the top
// level and the baseline's beside them.
type jsonReport struct {
	Patients        int       `json:"patients"`
	Days            int       `json:"days"`
	Seed            int64     `json:"seed"`
	Start           time.Time `json:"start"`
	PatientsInScope int       `json:"patients_in_campaign"`
	Campaign        string    `json:"campaign"`
	metricsFields
	Baseline jsonBaseline `json:"baseline"`
	// Adherence: PDC before and after the run, reminded vs hold-out vs
	// the same patients in the baseline arm.
	Adherence *jsonAdherence `json:"adherence,omitempty"`
	// Spreads: the headline over seeds, per world (--seeds, --worlds).
	Spreads []Spread `json:"spreads,omitempty"`
}

// metricsFields are the report's metrics, as metrics.Report names them.
type metricsFields struct {
	Funnel               metrics.Funnel            `json:"funnel"`
	EngagedDecliners     int                       `json:"engaged_decliners"`
	EngagedOverTime      []metrics.Point           `json:"engaged_decliners_over_time,omitempty"`
	FirstOutcomes        metrics.Outcomes          `json:"first_outcomes"`
	DeclinersSince       metrics.DeclinersSince    `json:"decliners_since"`
	Holdout              metrics.Holdout           `json:"holdout"`
	Lift                 metrics.Lift              `json:"lift"`
	CommonLift           metrics.Lift              `json:"lift_common_outcome"`
	DeclineReasons       map[string]int            `json:"decline_reasons"`
	DeclineReasonDetails []metrics.Reason          `json:"decline_reason_details,omitempty"`
	BySegment            map[string]metrics.Funnel `json:"by_segment"`
	Messages             metrics.Messages          `json:"messages"`
	QuietHoursViolations int                       `json:"quiet_hours_violations"`
}

type jsonBaseline struct {
	Journey         string `json:"journey"`
	Campaign        string `json:"campaign"`
	PatientsInScope int    `json:"patients_in_campaign"`
	metricsFields
}

func fieldsOf(r *metrics.Report) metricsFields {
	f := metricsFields{Funnel: r.Funnel, EngagedDecliners: r.EngagedDecliners, EngagedOverTime: r.EngagedDeclinersByDay,
		FirstOutcomes: r.FirstOutcomes, DeclinersSince: r.DeclinersSince,
		Holdout: r.Holdout, Lift: r.Lift, CommonLift: r.CommonLift, DeclineReasons: r.DeclineReasons, DeclineReasonDetails: r.DeclineReasonDetails,
		BySegment: r.BySegment, Messages: r.Messages, QuietHoursViolations: r.QuietHoursViolations}
	if f.DeclineReasons == nil {
		f.DeclineReasons = map[string]int{}
	}
	if f.BySegment == nil {
		f.BySegment = map[string]metrics.Funnel{}
	}
	for _, k := range []string{"rural", "urban"} {
		if _, ok := f.BySegment[k]; !ok {
			f.BySegment[k] = metrics.Funnel{}
		}
	}
	return f
}

// WriteJSON writes the report for machines. Its top-level keys are
// patients (the population), funnel, engaged_decliners, first_outcomes,
// decliners_since, holdout, lift_common_outcome (the fair lift), lift,
// decline_reasons, by_segment (rural and urban always present), messages,
// quiet_hours_violations, and baseline — the same metrics for the one-shot
// strategy — with a few more (days, seed, start, patients_in_campaign,
// campaign, details of reasons and series). It has no run time: the same
// seed gives the same bytes.
func WriteJSON(w io.Writer, r *Result) error {
	out := jsonReport{Patients: r.Patients, Days: r.Days, Seed: r.Seed, Start: r.Start,
		PatientsInScope: r.Rapport.Patients, Campaign: r.Campaign, metricsFields: fieldsOf(&r.Rapport),
		Baseline: jsonBaseline{Journey: strategyJourney[StrategyBaseline], Campaign: r.BaselineCampaign, PatientsInScope: r.Baseline.Patients,
			metricsFields: fieldsOf(&r.Baseline)}, Spreads: r.Spreads}
	if len(r.Adherence.Groups) > 0 {
		out.Adherence = &jsonAdherence{Adherence: r.Adherence, Notes: AdherenceIntro(r.Adherence),
			Fills: r.Fills, RefillReminders: r.RefillReminders, FillsSooner: r.FillsSooner}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// jsonAdherence is the adherence section with its notes and the
// simulation's counts.
type jsonAdherence struct {
	Adherence
	Notes           []string `json:"notes"`
	Fills           int      `json:"simulated_fills"`
	RefillReminders int      `json:"supplies_reminded"`
	FillsSooner     int      `json:"fills_brought_forward"`
}
