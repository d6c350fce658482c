package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// JourneyVersion is a stored journey definition.
type JourneyVersion struct {
	Journey    string
	Version    int
	Definition string
}

// SaveJourneyVersion stores a version of a journey. Saving the same version
// again with the same text is a no-op; with other text it is ECONFLICT: a
// changed journey needs a new version, as running enrollments keep theirs.
func (db *DB) SaveJourneyVersion(ctx context.Context, id string, version int, definition string) error {
	var old string
	err := db.q.queryRow(ctx, "SELECT definition FROM journey_versions WHERE journey = ? AND version = ?", id, version).Scan(&old)
	switch {
	case err == nil && old == definition:
		return nil
	case err == nil:
		return rapport.Errorf(rapport.ECONFLICT, "journey %s version %d is already saved with other content: give the change a new version", id, version)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("save journey version: %w", err)
	}
	if _, err := db.q.exec(ctx, "INSERT INTO journey_versions (journey, version, definition, created_at) VALUES (?, ?, ?, ?)",
		id, version, definition, db.clock.Now().UTC()); err != nil {
		return fmt.Errorf("save journey version: %w", err)
	}
	return nil
}

// FindJourneyVersions returns every stored journey version.
func (db *DB) FindJourneyVersions(ctx context.Context) ([]JourneyVersion, error) {
	rs, err := db.q.query(ctx, "SELECT journey, version, definition FROM journey_versions ORDER BY journey, version")
	if err != nil {
		return nil, fmt.Errorf("find journey versions: %w", err)
	}
	defer rs.Close()
	var out []JourneyVersion
	for rs.Next() {
		var v JourneyVersion
		if err := rs.Scan(&v.Journey, &v.Version, &v.Definition); err != nil {
			return nil, fmt.Errorf("scan journey version: %w", err)
		}
		out = append(out, v)
	}
	return out, rs.Err()
}

const enrollmentCols = "id, journey, version, patient_id, campaign, variant, step, status, wake_at, waiting_for, vars, outcome, created_at, updated_at"

// CreateEnrollments inserts enrollments, assigning ids. The database
// refuses a second live enrollment of a patient in one journey.
func (tx *Tx) CreateEnrollments(ctx context.Context, es []*rapport.Enrollment) error {
	for _, e := range es {
		if e.ID == "" {
			e.ID = newID()
		}
		e.CreatedAt, e.UpdatedAt, e.WakeAt = tx.now, tx.now, wakeTime(e.WakeAt)
	}
	err := insertRows(ctx, tx.q, "INSERT INTO enrollments ("+enrollmentCols+") VALUES ", "", 14, len(es), func(i int, a []any) []any {
		e := es[i]
		return append(a, e.ID, same{e.Journey}, same{e.Version}, string(e.PatientID), same{e.Campaign}, same{e.Variant}, same{e.Step}, same{string(e.Status)}, same{e.WakeAt.UTC()},
			same{string(e.WaitingFor)}, same{jsonMap(e.Vars)}, same{e.Outcome}, same{tx.now}, same{tx.now})
	})
	if err != nil {
		return fmt.Errorf("create enrollments: %w", err)
	}
	return nil
}

// UpdateEnrollment writes an enrollment's step, status, wake time, vars and outcome.
func (tx *Tx) UpdateEnrollment(ctx context.Context, e *rapport.Enrollment) error {
	return tx.UpdateEnrollments(ctx, []*rapport.Enrollment{e})
}

// UpdateEnrollments writes what UpdateEnrollment writes for several
// enrollments, in one UPDATE per group of up to 64 (see groupSize): a wake
// job of 200 enrollments made 200 statements (on PostgreSQL each one
// planned afresh).
func (tx *Tx) UpdateEnrollments(ctx context.Context, es []*rapport.Enrollment) error {
	const per = 64
	wake := "?"
	if tx.pgxTx != nil {
		wake = "CAST(? AS TIMESTAMPTZ)" // a VALUES list's parameters are text to PostgreSQL
	}
	for start := 0; start < len(es); {
		size := groupSize(len(es)-start, per)
		var b strings.Builder
		args := make([]any, 0, 1+7*size)
		b.WriteString("UPDATE enrollments SET step = v.column2, status = v.column3, wake_at = v.column4, waiting_for = v.column5, " +
			"vars = v.column6, outcome = v.column7, updated_at = ? FROM (VALUES ")
		args = append(args, tx.now)
		for i, e := range es[start : start+size] {
			e.UpdatedAt, e.WakeAt = tx.now, wakeTime(e.WakeAt)
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?, " + wake + ", ?, ?, ?)")
			args = append(args, e.ID, e.Step, string(e.Status), e.WakeAt.UTC(), string(e.WaitingFor), jsonMap(e.Vars), e.Outcome)
		}
		b.WriteString(") AS v WHERE enrollments.id = v.column1")
		if _, err := tx.q.exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("update %d enrollments: %w", size, err)
		}
		start += size
	}
	return nil
}

// wakeTime rounds a wake time up to the millisecond, so that it reads back
// exactly as written from either database (PostgreSQL keeps microseconds)
// and a wake job's due time can be compared with it.
func wakeTime(t time.Time) time.Time {
	r := t.Truncate(time.Millisecond)
	if r.Before(t) {
		r = r.Add(time.Millisecond)
	}
	return r.UTC()
}

// FindOverdueEnrollments returns up to limit live enrollments whose wake
// time passed before the given time, after the id after, in id order.
func (tx *Tx) FindOverdueEnrollments(ctx context.Context, before time.Time, after string, limit int) ([]*rapport.Enrollment, error) {
	return findEnrollments(ctx, tx.q, "WHERE status IN ('active', 'waiting') AND wake_at < ? AND id > ? ORDER BY id LIMIT ?", before.UTC(), after, limit)
}

func scanEnrollment(rs row) (*rapport.Enrollment, error) {
	var e rapport.Enrollment
	var status, vars string
	if err := rs.Scan(&e.ID, &e.Journey, &e.Version, &e.PatientID, &e.Campaign, &e.Variant, &e.Step, &status, &e.WakeAt,
		&e.WaitingFor, &vars, &e.Outcome, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return nil, fmt.Errorf("scan enrollment: %w", err)
	}
	e.Status = rapport.EnrollmentStatus(status)
	_ = json.Unmarshal([]byte(vars), &e.Vars)
	e.WakeAt, e.CreatedAt, e.UpdatedAt = e.WakeAt.UTC(), e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return &e, nil
}

func findEnrollments(ctx context.Context, q querier, where string, args ...any) ([]*rapport.Enrollment, error) {
	rs, err := q.query(ctx, "SELECT "+enrollmentCols+" FROM enrollments "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find enrollments: %w", err)
	}
	defer rs.Close()
	var out []*rapport.Enrollment
	for rs.Next() {
		e, err := scanEnrollment(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rs.Err()
}

// FindEnrollmentsByID returns enrollments by id.
func (tx *Tx) FindEnrollmentsByID(ctx context.Context, ids []string) ([]*rapport.Enrollment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inClause(ids)
	return findEnrollments(ctx, tx.q, "WHERE id IN ("+in+") ORDER BY id"+tx.forUpdate(), args...)
}

// forUpdate locks the rows a transaction reads to change: on PostgreSQL a
// wake job and a reply for the same enrollment, in two workers, would
// otherwise both advance it. SQLite has one writer at a time.
func (tx *Tx) forUpdate() string {
	if tx.db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// forUpdateOf is [Tx.forUpdate] for the rows of one table of a join.
func (tx *Tx) forUpdateOf(table string) string {
	if tx.forUpdate() == "" {
		return ""
	}
	return " FOR UPDATE OF " + table
}

// FindEnrollmentWaitingFor returns the live enrollment waiting for a reply
// to the message, or ENOTFOUND.
func (tx *Tx) FindEnrollmentWaitingFor(ctx context.Context, mid rapport.MessageID) (*rapport.Enrollment, error) {
	es, err := findEnrollments(ctx, tx.q, whereEnrollmentWaiting+tx.forUpdate(), string(mid))
	if err != nil {
		return nil, err
	} else if len(es) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no enrollment waits for message %s", mid)
	}
	return es[0], nil
}

// FindPatientEnrollments returns a patient's enrollments, oldest first.
func (db *DB) FindPatientEnrollments(ctx context.Context, pid rapport.PatientID) ([]*rapport.Enrollment, error) {
	return findEnrollments(ctx, db.q, "WHERE patient_id = ? ORDER BY created_at, id", string(pid))
}

// FindCampaignEnrollments returns a campaign's enrollments.
func (db *DB) FindCampaignEnrollments(ctx context.Context, campaign string) ([]*rapport.Enrollment, error) {
	return findEnrollments(ctx, db.q, whereCampaignEnrollments, campaign)
}

// FindCampaignEnrollments is [DB.FindCampaignEnrollments] inside the transaction.
func (tx *Tx) FindCampaignEnrollments(ctx context.Context, campaign string) ([]*rapport.Enrollment, error) {
	return findEnrollments(ctx, tx.q, whereCampaignEnrollments, campaign)
}

// PatientJourneys returns, per patient, the journeys they are or were in.
func (tx *Tx) PatientJourneys(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID]map[string]bool, error) {
	out := map[rapport.PatientID]map[string]bool{}
	err := chunked(ids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT DISTINCT patient_id, journey FROM enrollments WHERE patient_id IN ("+in+")", args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var pid rapport.PatientID
			var j string
			if err := rs.Scan(&pid, &j); err != nil {
				return err
			}
			if out[pid] == nil {
				out[pid] = map[string]bool{}
			}
			out[pid][j] = true
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("patient journeys: %w", err)
	}
	return out, nil
}

// LiveEnrollments returns, per patient, the journeys they are in now.
func (tx *Tx) LiveEnrollments(ctx context.Context, journey string, ids []rapport.PatientID) (map[rapport.PatientID]bool, error) {
	out := map[rapport.PatientID]bool{}
	err := chunked(ids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT patient_id FROM enrollments WHERE journey = ? AND status IN ('active', 'waiting') AND patient_id IN ("+in+")",
			append([]any{journey}, args...)...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var pid rapport.PatientID
			if err := rs.Scan(&pid); err != nil {
				return err
			}
			out[pid] = true
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("live enrollments: %w", err)
	}
	return out, nil
}

// PatientConditions returns, per patient, their condition codes.
func (tx *Tx) PatientConditions(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID][]string, error) {
	out := map[rapport.PatientID][]string{}
	err := chunked(ids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT patient_id, code FROM conditions WHERE patient_id IN ("+in+")", args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var pid rapport.PatientID
			var code string
			if err := rs.Scan(&pid, &code); err != nil {
				return err
			}
			out[pid] = append(out[pid], code)
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("patient conditions: %w", err)
	}
	return out, nil
}

// PatientIDsAfter returns up to limit patient ids greater than after, in
// order: the pages a campaign launch walks through.
func (tx *Tx) PatientIDsAfter(ctx context.Context, after string, limit int) ([]rapport.PatientID, error) {
	rs, err := tx.q.query(ctx, "SELECT id FROM patients WHERE id > ? ORDER BY id LIMIT ?", after, limit)
	if err != nil {
		return nil, fmt.Errorf("patient ids: %w", err)
	}
	defer rs.Close()
	var out []rapport.PatientID
	for rs.Next() {
		var id rapport.PatientID
		if err := rs.Scan(&id); err != nil {
			return nil, fmt.Errorf("patient ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rs.Err()
}

// chunked runs fn over ids in chunks, with an "?,?,…" clause and arguments.
// eachRowIn runs query, whose %s stands for an IN list, over ids a chunk
// at a time, and calls scan on every row.
func eachRowIn[T ~string](ctx context.Context, q querier, ids []T, query string, scan func(rows) error) error {
	return chunked(ids, func(in string, args []any) error {
		rs, err := q.query(ctx, fmt.Sprintf(query, in), args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			if err := scan(rs); err != nil {
				return err
			}
		}
		return rs.Err()
	})
}

func chunked[T ~string](ids []T, fn func(in string, args []any) error) error {
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		in, args := inClause(ids[start:min(start+chunk, len(ids))])
		if err := fn(in, args); err != nil {
			return err
		}
	}
	return nil
}
