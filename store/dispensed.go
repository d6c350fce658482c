package store

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// Dispensed is a completed pharmacy fill as adherence measures read it,
// with the patient facts they need to date it and break it down.
type Dispensed struct {
	PatientID  rapport.PatientID
	DrugSystem string
	DrugCode   string
	DrugName   string
	DaysSupply int
	HandedOver time.Time // UTC
	// TimeZone and Rural are the patient's (patients.time_zone, .rural).
	TimeZone string
	Rural    bool
}

// DispenseScan selects fills for [DB.ScanDispensed].
type DispenseScan struct {
	// From and To bound the hand-over times: From ≤ handed_over < To. Zero
	// does not bound.
	From, To time.Time
	// PageSize is how many rows one query reads (default 5000).
	PageSize int
}

// ScanDispensed calls fn once per patient, in patient id order, with that
// patient's completed dispenses (status "completed" or empty, with a
// hand-over time) in the window of f, in no particular order. It reads
// page by page along the (patient_id, handed_over) index, a page ending
// at a patient boundary, so memory is a page however many fills there are
// and no query is open while fn runs; fn must not keep the slice, which
// the next call reuses. An error from fn stops the scan and is returned.
func (db *DB) ScanDispensed(ctx context.Context, f DispenseScan, fn func(fills []Dispensed) error) error {
	where := "d.patient_id > ? AND d.status IN ('completed', '') AND d.handed_over IS NOT NULL"
	var window []any
	if !f.From.IsZero() {
		where, window = where+" AND d.handed_over >= ?", append(window, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, window = where+" AND d.handed_over < ?", append(window, f.To.UTC())
	}
	page := f.PageSize
	if page <= 0 {
		page = 5000
	}
	// Ordered by patient only, so the index gives the order with no sort;
	// a page's last patient may go on in the next page, so it is read
	// again there, whole.
	q := `SELECT d.patient_id, d.drug_system, d.drug_code, d.drug_name, d.days_supply, d.handed_over, p.time_zone, p.rural
		FROM medication_dispenses d JOIN patients p ON p.id = d.patient_id
		WHERE ` + where + ` ORDER BY d.patient_id LIMIT ?`
	var after string
	var rows []Dispensed
	for {
		rows = rows[:0]
		rs, err := db.q.query(ctx, q, append(append([]any{after}, window...), page)...)
		if err != nil {
			return fmt.Errorf("scan dispenses after patient %s: %w", after, err)
		}
		for rs.Next() {
			var d Dispensed
			if err := rs.Scan(&d.PatientID, &d.DrugSystem, &d.DrugCode, &d.DrugName, &d.DaysSupply, timeOf{&d.HandedOver}, &d.TimeZone, &d.Rural); err != nil {
				rs.Close()
				return fmt.Errorf("scan dispenses after patient %s: %w", after, err)
			}
			rows = append(rows, d)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return fmt.Errorf("scan dispenses after patient %s: %w", after, err)
		}
		full := len(rows) == page
		complete := rows
		if full {
			last := len(rows) - 1
			for last > 0 && rows[last-1].PatientID == rows[len(rows)-1].PatientID {
				last--
			}
			if last == 0 { // one patient fills the page: read them with a larger one
				page *= 2
				continue
			}
			complete = rows[:last]
		}
		for lo := 0; lo < len(complete); {
			hi := lo + 1
			for hi < len(complete) && complete[hi].PatientID == complete[lo].PatientID {
				hi++
			}
			if err := fn(complete[lo:hi]); err != nil {
				return err
			}
			lo = hi
		}
		if !full {
			return nil
		}
		after = string(complete[len(complete)-1].PatientID)
	}
}
