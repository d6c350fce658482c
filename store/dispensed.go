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
// hand-over time) in the window of f. It reads page by page, so memory is a
// page and one patient's fills however many there are, and no query is open
// while fn runs; fn must not keep the slice, which the next call reuses.
// An error from fn stops the scan and is returned.
func (db *DB) ScanDispensed(ctx context.Context, f DispenseScan, fn func(fills []Dispensed) error) error {
	where := "(d.patient_id > ? OR (d.patient_id = ? AND d.id > ?)) AND d.status IN ('completed', '') AND d.handed_over IS NOT NULL"
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
	q := `SELECT d.patient_id, d.id, d.drug_system, d.drug_code, d.drug_name, d.days_supply, d.handed_over, p.time_zone, p.rural
		FROM medication_dispenses d JOIN patients p ON p.id = d.patient_id
		WHERE ` + where + ` ORDER BY d.patient_id, d.id LIMIT ?`
	var afterPatient, afterID string
	var carry []Dispensed // the last patient of a page may go on in the next
	rows := make([]Dispensed, 0, page)
	for {
		rows = rows[:0]
		args := append(append([]any{afterPatient, afterPatient, afterID}, window...), page)
		rs, err := db.q.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("scan dispenses: %w", err)
		}
		for rs.Next() {
			var d Dispensed
			if err := rs.Scan(&d.PatientID, &afterID, &d.DrugSystem, &d.DrugCode, &d.DrugName, &d.DaysSupply, timeOf{&d.HandedOver}, &d.TimeZone, &d.Rural); err != nil {
				rs.Close()
				return fmt.Errorf("scan dispenses: %w", err)
			}
			afterPatient = string(d.PatientID)
			rows = append(rows, d)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return fmt.Errorf("scan dispenses: %w", err)
		}
		for _, d := range rows {
			if len(carry) > 0 && carry[0].PatientID != d.PatientID {
				if err := fn(carry); err != nil {
					return err
				}
				carry = carry[:0]
			}
			carry = append(carry, d)
		}
		if len(rows) < page {
			if len(carry) > 0 {
				return fn(carry)
			}
			return nil
		}
	}
}
