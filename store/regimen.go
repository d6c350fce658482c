package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// Regimen is a stored medication schedule: who takes what, in which zone,
// and the schedule itself as package dosing marshals it (the store keeps
// it as it is given). NextDueAt is the next dose to remind, zero if none.
type Regimen struct {
	ID        string
	PatientID rapport.PatientID
	Drug      rapport.Code
	Zone      string
	Schedule  []byte
	// RemindersRequested is set when the patient asked for the reminders:
	// the limits on unsolicited healthcare messages do not apply.
	RemindersRequested bool
	// CheckinAfter is how long after each dose reminded the patient is
	// asked whether they took it; zero asks nothing.
	CheckinAfter time.Duration
	Status             RegimenStatus
	NextDueAt          time.Time
	// LastDoseKey and LastDoseAt are the last dose reminded.
	LastDoseKey string
	LastDoseAt  time.Time
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RegimenStatus is whether a regimen is reminded.
type RegimenStatus string

const (
	RegimenActive  RegimenStatus = "active"
	RegimenStopped RegimenStatus = "stopped"
)

const regimenCols = "id, patient_id, drug_system, drug_code, drug_name, zone, schedule, reminders_requested, checkin_after_minutes, status, next_due_at, last_dose_key, last_dose_at, created_by, created_at, updated_at"

// CreateRegimen inserts r, assigning its id and times.
func (tx *Tx) CreateRegimen(ctx context.Context, r *Regimen) error {
	if r.ID == "" {
		r.ID = newID()
	}
	r.CreatedAt, r.UpdatedAt = tx.now, tx.now
	_, err := tx.q.exec(ctx, "INSERT INTO regimens ("+regimenCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		r.ID, string(r.PatientID), r.Drug.System, r.Drug.Code, r.Drug.Display, r.Zone, string(r.Schedule), r.RemindersRequested, int(r.CheckinAfter/time.Minute),
		string(r.Status), tnull(r.NextDueAt), r.LastDoseKey, tnull(r.LastDoseAt), r.CreatedBy, tx.now, tx.now)
	if err != nil {
		return fmt.Errorf("create regimen: %w", err)
	}
	return nil
}

// UpdateRegimens writes the schedules, statuses and next due times of rs.
func (tx *Tx) UpdateRegimens(ctx context.Context, rs []*Regimen) error {
	for _, r := range rs {
		r.UpdatedAt = tx.now
		n, err := tx.q.exec(ctx, "UPDATE regimens SET schedule = ?, status = ?, next_due_at = ?, last_dose_key = ?, last_dose_at = ?, reminders_requested = ?, checkin_after_minutes = ?, updated_at = ? WHERE id = ?",
			string(r.Schedule), string(r.Status), tnull(r.NextDueAt), r.LastDoseKey, tnull(r.LastDoseAt), r.RemindersRequested, int(r.CheckinAfter/time.Minute), tx.now, r.ID)
		if err != nil {
			return fmt.Errorf("update regimen %s: %w", r.ID, err)
		}
		if n == 0 {
			return rapport.Errorf(rapport.ENOTFOUND, "regimen %s not found", r.ID)
		}
	}
	return nil
}

// FindRegimen returns the regimen with id; ENOTFOUND when there is none.
func (tx *Tx) FindRegimen(ctx context.Context, id string) (*Regimen, error) {
	rs, err := findRegimens(ctx, tx.q, "WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "regimen %s not found", id)
	}
	return rs[0], nil
}

// PatientRegimens lists a patient's regimens, oldest first.
func (tx *Tx) PatientRegimens(ctx context.Context, pid rapport.PatientID) ([]*Regimen, error) {
	return findRegimens(ctx, tx.q, "WHERE patient_id = ? ORDER BY created_at, id", string(pid))
}

// DueRegimens lists up to limit active regimens whose next dose is due at
// or before until, soonest first: what the reminder job plans next.
func (tx *Tx) DueRegimens(ctx context.Context, until time.Time, limit int) ([]*Regimen, error) {
	return findRegimens(ctx, tx.q, "WHERE status = 'active' AND next_due_at <= ? ORDER BY next_due_at, id LIMIT ?", until.UTC(), limit)
}

func findRegimens(ctx context.Context, q querier, where string, args ...any) ([]*Regimen, error) {
	rs, err := q.query(ctx, "SELECT "+regimenCols+" FROM regimens "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find regimens: %w", err)
	}
	defer rs.Close()
	var out []*Regimen
	for rs.Next() {
		var r Regimen
		var pid, status, schedule string
		var due, last sql.NullTime
		var checkin int
		if err := rs.Scan(&r.ID, &pid, &r.Drug.System, &r.Drug.Code, &r.Drug.Display, &r.Zone, &schedule, &r.RemindersRequested, &checkin,
			&status, &due, &r.LastDoseKey, &last, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return nil, fmt.Errorf("scan regimen: %w", err)
		}
		r.PatientID, r.Status, r.Schedule = rapport.PatientID(pid), RegimenStatus(status), []byte(schedule)
		r.CheckinAfter = time.Duration(checkin) * time.Minute
		r.NextDueAt, r.LastDoseAt, r.CreatedAt, r.UpdatedAt = fromNullTime(due), fromNullTime(last), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		out = append(out, &r)
	}
	return out, rs.Err()
}

// ReminderTimes lists, per patient, when the messages of step step due
// at or after since go (their not-before times), leaving out those
// suppressed or failed: what the limits on reminder traffic count.
func (tx *Tx) ReminderTimes(ctx context.Context, step string, pids []rapport.PatientID, since time.Time) (map[rapport.PatientID][]time.Time, error) {
	out := map[rapport.PatientID][]time.Time{}
	err := chunked(pids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT patient_id, not_before FROM messages WHERE patient_id IN ("+in+") AND not_before >= ? AND step = ? "+
			"AND status NOT IN ('suppressed', 'failed')", append(args, since.UTC(), step)...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var pid string
			var at time.Time
			if err := rs.Scan(&pid, &at); err != nil {
				return err
			}
			out[rapport.PatientID(pid)] = append(out[rapport.PatientID(pid)], at.UTC())
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("reminder times: %w", err)
	}
	return out, nil
}
