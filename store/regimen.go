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
	// RefillDispense is the dispense whose refill was last reminded, and
	// RefillStage how far: 1 reminded, 2 followed up or picked up.
	RefillDispense string
	RefillStage    int
	// EscalateMissed missed doses within EscalateWindow go to the care
	// team; zero EscalateMissed is off.
	EscalateMissed int
	EscalateWindow time.Duration
	// AlertCaregivers tells the patient's caregivers (within their scope,
	// with consent) when a check-in says a dose was skipped or not yet taken.
	AlertCaregivers bool
	// ReadingPriority is the inbox priority of the patient's out-of-range
	// readings this regimen concerns; '' takes the reading's level.
	ReadingPriority rapport.Priority
	// RequestID is the imported prescription the regimen was made from
	// ('' when staff entered it).
	RequestID string
	Status    RegimenStatus
	NextDueAt time.Time
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
	// RegimenProposed is made from an imported prescription and reminds
	// nothing until staff start it: an import never texts by itself.
	RegimenProposed RegimenStatus = "proposed"
	RegimenActive   RegimenStatus = "active"
	RegimenStopped  RegimenStatus = "stopped"
)

const regimenCols = "id, patient_id, drug_system, drug_code, drug_name, zone, schedule, reminders_requested, checkin_after_minutes, status, next_due_at, last_dose_key, last_dose_at, refill_dispense, refill_stage, escalate_missed, escalate_window_days, request_id, created_by, created_at, updated_at, alert_caregivers, reading_priority"

// CreateRegimen inserts r, assigning its id and times.
func (tx *Tx) CreateRegimen(ctx context.Context, r *Regimen) error {
	return tx.CreateRegimens(ctx, []*Regimen{r})
}

// CreateRegimens inserts rs in multi-row statements (an import proposes
// thousands), assigning ids and times.
func (tx *Tx) CreateRegimens(ctx context.Context, rs []*Regimen) error {
	err := insertRows(ctx, tx.q, "INSERT INTO regimens ("+regimenCols+") VALUES ", "", 23, len(rs), func(i int, a []any) []any {
		r := rs[i]
		if r.ID == "" {
			r.ID = newID()
		}
		r.CreatedAt, r.UpdatedAt = tx.now, tx.now
		return append(a, r.ID, string(r.PatientID), r.Drug.System, r.Drug.Code, r.Drug.Display, r.Zone, string(r.Schedule), r.RemindersRequested,
			int(r.CheckinAfter/time.Minute), string(r.Status), tnull(r.NextDueAt), r.LastDoseKey, tnull(r.LastDoseAt), r.RefillDispense, r.RefillStage,
			r.EscalateMissed, windowDays(r.EscalateWindow), r.RequestID, r.CreatedBy, tx.now, tx.now, r.AlertCaregivers, string(r.ReadingPriority))
	})
	if err != nil {
		return fmt.Errorf("create regimens: %w", err)
	}
	return nil
}

// UpdateRegimens writes the schedules, statuses and next due times of rs.
func (tx *Tx) UpdateRegimens(ctx context.Context, rs []*Regimen) error {
	for _, r := range rs {
		r.UpdatedAt = tx.now
		n, err := tx.q.exec(ctx, "UPDATE regimens SET schedule = ?, status = ?, next_due_at = ?, last_dose_key = ?, last_dose_at = ?, reminders_requested = ?, checkin_after_minutes = ?, refill_dispense = ?, refill_stage = ?, escalate_missed = ?, escalate_window_days = ?, request_id = ?, alert_caregivers = ?, reading_priority = ?, updated_at = ? WHERE id = ?",
			string(r.Schedule), string(r.Status), tnull(r.NextDueAt), r.LastDoseKey, tnull(r.LastDoseAt), r.RemindersRequested, int(r.CheckinAfter/time.Minute),
			r.RefillDispense, r.RefillStage, r.EscalateMissed, windowDays(r.EscalateWindow), r.RequestID, r.AlertCaregivers, string(r.ReadingPriority), tx.now, r.ID)
		if err != nil {
			return fmt.Errorf("update regimen %s: %w", r.ID, err)
		}
		if n == 0 {
			return rapport.Errorf(rapport.ENOTFOUND, "regimen %s not found", r.ID)
		}
	}
	return nil
}

// FindRegimen returns the regimen with id, locked on PostgreSQL until the
// transaction ends (its callers change it); ENOTFOUND when there is none.
func (tx *Tx) FindRegimen(ctx context.Context, id string) (*Regimen, error) {
	rs, err := findRegimens(ctx, tx.q, "WHERE id = ?"+tx.forUpdate(), id)
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

// RegimenBrief is what a pass over every regimen needs of each: who takes
// which drug, and whether it runs.
type RegimenBrief struct {
	ID        string
	PatientID rapport.PatientID
	DrugCode  string
	Status    RegimenStatus
}

// RegimenBriefs lists every regimen, oldest id first, by its keys alone:
// for work over a whole database (the demo's), not for a request's path.
// Whole regimens (schedules and all) of 100,000 patients held ~100 MB.
func (tx *Tx) RegimenBriefs(ctx context.Context) ([]RegimenBrief, error) {
	rs, err := tx.q.query(ctx, "SELECT id, patient_id, drug_code, status FROM regimens ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list regimens: %w", err)
	}
	defer rs.Close()
	var out []RegimenBrief
	for rs.Next() {
		var b RegimenBrief
		var pid, status string
		if err := rs.Scan(&b.ID, &pid, &b.DrugCode, &status); err != nil {
			return nil, fmt.Errorf("scan regimen: %w", err)
		}
		b.PatientID, b.Status = rapport.PatientID(pid), RegimenStatus(status)
		out = append(out, b)
	}
	return out, rs.Err()
}

// PatientsRegimens lists the regimens of the patients with ids, per
// patient, oldest first: what an import of their prescriptions compares.
func (tx *Tx) PatientsRegimens(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID][]*Regimen, error) {
	out := map[rapport.PatientID][]*Regimen{}
	err := chunked(ids, func(in string, args []any) error {
		rs, err := findRegimens(ctx, tx.q, "WHERE patient_id IN ("+in+") ORDER BY created_at, id", args...)
		for _, r := range rs {
			out[r.PatientID] = append(out[r.PatientID], r)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("patients' regimens: %w", err)
	}
	return out, nil
}

// DueRegimens lists up to limit active regimens whose next dose is due at
// or before until, soonest first: what the reminder job plans next. On
// PostgreSQL they are locked until the transaction ends, so that a stop or
// a patient's new time in another transaction waits rather than being
// overwritten by the plan.
func (tx *Tx) DueRegimens(ctx context.Context, until time.Time, limit int) ([]*Regimen, error) {
	return findRegimens(ctx, tx.q, "WHERE status = 'active' AND next_due_at <= ? ORDER BY next_due_at, id LIMIT ?"+tx.forUpdate(), until.UTC(), limit)
}

func findRegimens(ctx context.Context, q querier, where string, args ...any) ([]*Regimen, error) {
	rs, err := q.query(ctx, "SELECT "+regimenCols+" FROM regimens "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find regimens: %w", err)
	}
	defer rs.Close()
	var out []*Regimen
	for rs.Next() {
		r, err := scanRegimen(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// windowDays is an escalation window in whole days, 7 when unset.
func windowDays(d time.Duration) int {
	if d <= 0 {
		return 7
	}
	return int((d + 24*time.Hour - 1) / (24 * time.Hour))
}

// scanRegimen reads a row of regimenCols, then extra columns into extra.
func scanRegimen(rs rows, extra ...any) (*Regimen, error) {
	var r Regimen
	var pid, status, schedule, priority string
	var due, last sql.NullTime
	var checkin, window int
	dest := append([]any{&r.ID, &pid, &r.Drug.System, &r.Drug.Code, &r.Drug.Display, &r.Zone, &schedule, &r.RemindersRequested, &checkin,
		&status, &due, &r.LastDoseKey, &last, &r.RefillDispense, &r.RefillStage, &r.EscalateMissed, &window, &r.RequestID, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt, &r.AlertCaregivers, &priority}, extra...)
	if err := rs.Scan(dest...); err != nil {
		return nil, fmt.Errorf("scan regimen: %w", err)
	}
	r.PatientID, r.Status, r.Schedule, r.ReadingPriority = rapport.PatientID(pid), RegimenStatus(status), []byte(schedule), rapport.Priority(priority)
	r.CheckinAfter = time.Duration(checkin) * time.Minute
	r.EscalateWindow = time.Duration(window) * 24 * time.Hour
	r.NextDueAt, r.LastDoseAt, r.CreatedAt, r.UpdatedAt = fromNullTime(due), fromNullTime(last), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

// ReminderTimes lists, per patient, when the messages of the steps due
// at or after since go (their not-before times), leaving out those
// suppressed or failed: what the limits on reminder traffic count.
func (tx *Tx) ReminderTimes(ctx context.Context, steps []string, pids []rapport.PatientID, since time.Time) (map[rapport.PatientID][]time.Time, error) {
	out := map[rapport.PatientID][]time.Time{}
	stepIn, stepArgs := inClause(steps)
	err := chunked(pids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT patient_id, not_before FROM messages WHERE patient_id IN ("+in+") AND not_before >= ? AND step IN ("+stepIn+") "+
			"AND status NOT IN ('suppressed', 'failed')", append(append(args, since.UTC()), stepArgs...)...)
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
