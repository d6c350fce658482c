package demo

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/sim/behaviour"
	"github.com/rapporthq/rapport/store"
)

// ByDemo is who the demo's regimens are started by, in the ledger.
const ByDemo = "demo"

// startReminders starts, as staff would (POST /api/v1/regimens/{id}/start),
// the regimens the import proposed for every patient outside the hold-out
// of campaign: the same patients the campaign keeps out, by the same hash.
// Reminders are not requested by the patients, so the FCC's limits hold.
// It returns how many it started.
func (w *world) startReminders(ctx context.Context, campaign string) (int, error) {
	var todo []store.RegimenBrief
	err := w.db.InTx(ctx, func(tx *store.Tx) error {
		todo = todo[:0] // a retried transaction starts again
		all, err := tx.RegimenBriefs(ctx)
		if err != nil {
			return err
		}
		for _, r := range all {
			if r.Status == store.RegimenProposed && !journey.InHoldout(campaign, r.PatientID, w.cfg.HoldoutPercent) {
				todo = append(todo, r)
			}
		}
		for _, r := range todo {
			if _, err := reminders.Start(ctx, tx, r.ID, false, 0, ByDemo); err != nil {
				return fmt.Errorf("start regimen %s: %w", r.ID, err)
			}
		}
		return nil
	})
	return len(todo), err
}

// refillEvery is how often the demo runs the refill planner: hourly, as
// its periodic job does in production (reminders.RefillEvery). A pass
// reads only the regimens whose refill falls due, so it costs little.
const refillEvery = reminders.RefillEvery

// remindRefills runs the refill planner every refillEvery of simulated
// time, as its periodic job does in production; its messages go out as
// the queue works them. A world without a planner (the baseline) sends none.
func (w *world) remindRefills(ctx context.Context, now time.Time) error {
	if w.refills == nil || now.Before(w.nextRefills) {
		return nil
	}
	w.nextRefills = now.Truncate(refillEvery).Add(refillEvery)
	if _, err := w.refills.Plan(ctx); err != nil {
		return fmt.Errorf("refill reminders: %w", err)
	}
	return nil
}

// dispense imports the pharmacy's fills as the EHR's sync reports them:
// MedicationDispense resources naming the prescription they fill.
func (w *world) dispense(ctx context.Context, fills []behaviour.Fill) error {
	if len(fills) == 0 {
		return nil
	}
	var b bytes.Buffer
	for _, f := range fills {
		at := f.At.UTC()
		fmt.Fprintf(&b, `{"resourceType":"MedicationDispense","id":%q,"status":"completed",`+
			`"medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":%q,"display":%q}],"text":%q},`+
			`"subject":{"reference":"Patient/%s"},"authorizingPrescription":[{"reference":"MedicationRequest/%s"}],`+
			`"quantity":{"value":%s,"unit":%q},"daysSupply":{"value":%d,"unit":"days","system":"http://unitsofmeasure.org","code":"d"},`+
			`"whenPrepared":%q,"whenHandedOver":%q}`+"\n",
			f.Rx.RequestID+"-f"+strconv.Itoa(f.N), f.Rx.RxNorm, f.Rx.Display, f.Rx.Display, f.RecordID, f.Rx.RequestID,
			strconv.FormatFloat(f.Rx.Quantity, 'f', -1, 64), f.Rx.Unit, f.Rx.DaysSupply,
			at.Add(-45*time.Minute).Format(time.RFC3339), at.Format(time.RFC3339))
	}
	if _, err := w.ehr.ImportFHIRReader(ctx, &b, "simulated-fills.ndjson", fhir.KindNDJSON); err != nil {
		return fmt.Errorf("import simulated fills: %w", err)
	}
	return nil
}
