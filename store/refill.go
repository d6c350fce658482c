package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// Refill is a regimen with the latest fill of its medication: what the
// refill reminders judge.
type Refill struct {
	Regimen    *Regimen
	DispenseID string
	HandedOver time.Time
	DaysSupply int
	// CheckAt is when the regimen fell due this look.
	CheckAt time.Time
}

// Key is where the refill stands in the order [Tx.Refills] reads them:
// the next page starts after it.
func (f Refill) Key() RefillCheck { return RefillCheck{RegimenID: f.Regimen.ID, At: f.CheckAt} }

// RunOut is when the fill's supply runs out.
func (f Refill) RunOut() time.Time {
	return f.HandedOver.Add(time.Duration(f.DaysSupply) * 24 * time.Hour)
}

// refillCheckNow is the check time that makes the planner look at a
// regimen at once: a new fill of its drug sets it (as the column's default
// does for a new regimen).
var refillCheckNow = time.Unix(0, 0).UTC()

// latestFill joins each regimen r to the latest completed fill d of its
// drug for its patient with a known supply.
const latestFill = "FROM regimens r JOIN medication_dispenses d ON d.patient_id = r.patient_id AND d.drug_code = r.drug_code " +
	"WHERE r.status = 'active' AND r.drug_code <> '' AND d.status IN ('completed', '') AND d.days_supply > 0 " +
	"AND d.handed_over = (SELECT max(d2.handed_over) FROM medication_dispenses d2 WHERE d2.patient_id = r.patient_id " +
	"AND d2.drug_code = r.drug_code AND d2.status IN ('completed', ''))"

// Refills lists up to limit active regimens due a refill check by now
// (see [Tx.SetRefillChecks]), in the order they fell due (then by id),
// starting after the key after (zero: from the first), each with the
// latest completed fill of its drug for its patient; regimens without a
// fill of a known supply are left out (see [Tx.ParkRefills]). Reading by
// due time walks only the due part of regimens_refill_check, however many
// regimens are not due.
func (tx *Tx) Refills(ctx context.Context, now time.Time, after RefillCheck, limit int) ([]Refill, error) {
	cols := "r." + strings.ReplaceAll(regimenCols, ", ", ", r.")
	rs, err := tx.q.query(ctx, "SELECT "+cols+", d.id, d.handed_over, d.days_supply, r.refill_check_at "+latestFill+
		" AND r.refill_check_at <= ? AND (r.refill_check_at, r.id) > (?, ?) ORDER BY r.refill_check_at, r.id, d.id LIMIT ?"+tx.forUpdateOf("r"),
		now.UTC(), after.At.UTC(), after.RegimenID, limit)
	if err != nil {
		return nil, fmt.Errorf("refills: %w", err)
	}
	defer rs.Close()
	var out []Refill
	for rs.Next() {
		var f Refill
		var handed time.Time
		r, err := scanRegimen(rs, &f.DispenseID, &handed, &f.DaysSupply, timeOf{&f.CheckAt})
		if err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].Regimen.ID == r.ID {
			continue // two fills the same instant: the first stands
		}
		f.Regimen, f.HandedOver = r, handed.UTC()
		out = append(out, f)
	}
	return out, rs.Err()
}

// RefillCheck is when the planner next looks at a regimen; a zero At
// means not until a new fill.
type RefillCheck struct {
	RegimenID string
	At        time.Time
}

// SetRefillChecks stores when each regimen's refill is next due a look.
func (tx *Tx) SetRefillChecks(ctx context.Context, cs []RefillCheck) error {
	for _, c := range cs {
		if _, err := tx.q.exec(ctx, "UPDATE regimens SET refill_check_at = ? WHERE id = ?", tnull(c.At), c.RegimenID); err != nil {
			return fmt.Errorf("refill check of regimen %s: %w", c.RegimenID, err)
		}
	}
	return nil
}

// ParkRefills stops looking at the active regimens due a check by now that
// have no fill [Tx.Refills] would judge (no drug code, no completed fill
// with a supply): until a fill comes, there is nothing to remind.
func (tx *Tx) ParkRefills(ctx context.Context, now time.Time) (int64, error) {
	n, err := tx.q.exec(ctx, "UPDATE regimens SET refill_check_at = NULL WHERE status = 'active' AND refill_check_at <= ? "+
		"AND NOT EXISTS (SELECT 1 "+latestFill+" AND r.id = regimens.id)", now.UTC())
	if err != nil {
		return 0, fmt.Errorf("park refills: %w", err)
	}
	return n, nil
}

// checkRefills makes the planner look at once at the regimens of the
// fills' patients and drugs: a new or changed fill starts (or ends) its
// own reminders. Pairs are matched loosely (any of the patients, any of
// the drugs): an extra look costs one read.
func (tx *Tx) checkRefills(ctx context.Context, ds []*rapport.MedicationDispense) error {
	for start := 0; start < len(ds); start += 250 {
		part := ds[start:min(start+250, len(ds))]
		var pids, codes []string
		for _, d := range part {
			if d.Medication.Code != "" {
				pids, codes = append(pids, string(d.PatientID)), append(codes, d.Medication.Code)
			}
		}
		if len(pids) == 0 {
			continue
		}
		slices.Sort(pids)
		slices.Sort(codes)
		pids, codes = slices.Compact(pids), slices.Compact(codes)
		pin, pargs := inClause(pids)
		cin, cargs := inClause(codes)
		args := append(append([]any{refillCheckNow}, pargs...), cargs...)
		_, err := tx.q.exec(ctx, "UPDATE regimens SET refill_check_at = ? WHERE patient_id IN ("+pin+") AND drug_code IN ("+cin+")", args...)
		if err != nil {
			return fmt.Errorf("look again at the refills of %d fills: %w", len(part), err)
		}
	}
	return nil
}
