package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rapporthq/rapport"
)

const patientCols = "id, given, family, birth_date, sex, language, time_zone, address, postal_code, rural, internet_access, deceased, preferred_channel, created_at, updated_at, ruca, rural_stated"

// CreatePatients inserts new patients with their identifiers and contact
// points, assigning ids to those that have none and stamping times.
func (tx *Tx) CreatePatients(ctx context.Context, ps []*rapport.Patient) error {
	for _, p := range ps {
		if p.ID == "" {
			p.ID = rapport.PatientID(newID())
		}
		p.CreatedAt, p.UpdatedAt = tx.now, tx.now
	}
	err := insertRows(ctx, tx.q, "INSERT INTO patients ("+patientCols+") VALUES ", "", 17, len(ps), func(i int, a []any) []any {
		p := ps[i]
		return append(a, string(p.ID), p.Given, p.Family, p.BirthDate, string(p.Sex), p.Language, p.TimeZone,
			mustJSON(p.Address), p.Address.PostalCode, p.Rural, bnull(p.InternetAccess), p.Deceased, string(p.PreferredChannel), same{tx.now}, same{tx.now},
			p.RUCA, p.RuralStated)
	})
	if err != nil {
		return fmt.Errorf("insert patients: %w", err)
	}
	if err := tx.insertIdentifiers(ctx, ps); err != nil {
		return err
	}
	var cps []*rapport.ContactPoint
	for _, p := range ps {
		for i := range p.Contacts {
			p.Contacts[i].PatientID = p.ID
			cps = append(cps, &p.Contacts[i])
		}
	}
	return tx.insertContactPoints(ctx, cps)
}

func (tx *Tx) insertIdentifiers(ctx context.Context, ps []*rapport.Patient) error {
	type idRow struct {
		p  rapport.PatientID
		id rapport.Identifier
	}
	var rows []idRow
	for _, p := range ps {
		seen := map[rapport.Identifier]bool{}
		for _, id := range p.Identifiers {
			key := rapport.Identifier{System: id.System, Value: id.Value}
			if !seen[key] {
				seen[key] = true
				rows = append(rows, idRow{p.ID, id})
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	err := insertRows(ctx, tx.q, "INSERT INTO patient_identifiers (patient_id, system, value, type) VALUES ", "", 4, len(rows), func(i int, a []any) []any {
		return append(a, string(rows[i].p), same{rows[i].id.System}, rows[i].id.Value, same{rows[i].id.Type})
	})
	if err != nil {
		return fmt.Errorf("insert patient identifiers: %w", err)
	}
	return nil
}

// UpdatePatient replaces a patient's demographics and identifiers and merges
// its contact points: new ones are added, known ones keep their status
// history, and imported ones missing from p.Contacts are marked stale.
func (tx *Tx) UpdatePatient(ctx context.Context, p *rapport.Patient) error {
	if err := tx.updatePatientRow(ctx, p); err != nil {
		return err
	}
	if _, err := tx.q.exec(ctx, "DELETE FROM patient_identifiers WHERE patient_id = ?", string(p.ID)); err != nil {
		return fmt.Errorf("update patient identifiers: %w", err)
	}
	if err := tx.insertIdentifiers(ctx, []*rapport.Patient{p}); err != nil {
		return err
	}
	return tx.mergeContactPoints(ctx, p)
}

// updatePatientRow writes p's own columns.
func (tx *Tx) updatePatientRow(ctx context.Context, p *rapport.Patient) error {
	p.UpdatedAt = tx.now
	n, err := tx.q.exec(ctx, `UPDATE patients SET given = ?, family = ?, birth_date = ?, sex = ?, language = ?, time_zone = ?,
		address = ?, postal_code = ?, rural = ?, internet_access = ?, deceased = ?, preferred_channel = ?, updated_at = ?,
		ruca = ?, rural_stated = ? WHERE id = ?`,
		p.Given, p.Family, p.BirthDate, string(p.Sex), p.Language, p.TimeZone, mustJSON(p.Address), p.Address.PostalCode,
		p.Rural, bnull(p.InternetAccess), p.Deceased, string(p.PreferredChannel), tx.now, p.RUCA, p.RuralStated, string(p.ID))
	if err != nil {
		return fmt.Errorf("update patient: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "patient %s not found", p.ID)
	}
	return nil
}

// FindPatientByID returns a patient with identifiers and contact points.
func (db *DB) FindPatientByID(ctx context.Context, id rapport.PatientID) (*rapport.Patient, error) {
	return findPatientByID(ctx, db.q, id)
}

// FindPatientByID is [DB.FindPatientByID] inside the transaction.
func (tx *Tx) FindPatientByID(ctx context.Context, id rapport.PatientID) (*rapport.Patient, error) {
	return findPatientByID(ctx, tx.q, id)
}

func findPatientByID(ctx context.Context, q querier, id rapport.PatientID) (*rapport.Patient, error) {
	ps, err := findPatients(ctx, q, "WHERE id = ?", []any{string(id)}, 1, 0, withAll)
	if err != nil {
		return nil, err
	} else if len(ps) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "patient %s not found", id)
	}
	return ps[0], nil
}

// FindPatientsByID returns the patients with the given ids (those that
// exist), with identifiers and contact points.
func (tx *Tx) FindPatientsByID(ctx context.Context, ids []rapport.PatientID) ([]*rapport.Patient, error) {
	return tx.findPatientsByID(ctx, ids, withAll)
}

// FindPatientsWithContacts returns the patients with the given ids with
// their contact points but not their identifiers: what messages are
// planned from, a campaign at a time.
func (tx *Tx) FindPatientsWithContacts(ctx context.Context, ids []rapport.PatientID) ([]*rapport.Patient, error) {
	return tx.findPatientsByID(ctx, ids, withContacts)
}

// FindPatientsBare returns the patients with the given ids without their
// identifiers and contact points, for callers that need demographics only
// (a campaign's segment over a million patients).
func (tx *Tx) FindPatientsBare(ctx context.Context, ids []rapport.PatientID) ([]*rapport.Patient, error) {
	return tx.findPatientsByID(ctx, ids, 0)
}

// patientParts says what findPatients loads beside the patient's row.
type patientParts int

const (
	withIdentifiers patientParts = 1 << iota
	withContacts
	withAll = withIdentifiers | withContacts
)

func (tx *Tx) findPatientsByID(ctx context.Context, ids []rapport.PatientID, parts patientParts) ([]*rapport.Patient, error) {
	var out []*rapport.Patient
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		in, args := inClause(ids[start:min(start+chunk, len(ids))])
		ps, err := findPatients(ctx, tx.q, "WHERE id IN ("+in+")", args, chunk, 0, parts)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// FindPatients returns the patients that match f, ordered by id, and how
// many match in all.
func (db *DB) FindPatients(ctx context.Context, f rapport.PatientFilter) ([]*rapport.Patient, int, error) {
	var where []string
	var args []any
	if f.ID != nil {
		where, args = append(where, "id = ?"), append(args, string(*f.ID))
	}
	if f.Identifier != nil {
		c := "id IN (SELECT patient_id FROM patient_identifiers WHERE value = ?"
		args = append(args, f.Identifier.Value)
		if f.Identifier.System != "" {
			c += " AND system = ?"
			args = append(args, f.Identifier.System)
		}
		where = append(where, c+")")
	}
	if f.Phone != "" {
		where = append(where, "id IN (SELECT patient_id FROM contact_points WHERE kind = 'phone' AND value = ?)")
		args = append(args, f.Phone)
	}
	clause := ""
	if len(where) > 0 {
		clause = "WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.q.queryRow(ctx, "SELECT count(*) FROM patients "+clause, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count patients: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	ps, err := findPatients(ctx, db.q, clause, args, limit, f.Offset, withAll)
	return ps, total, err
}

func findPatients(ctx context.Context, q querier, clause string, args []any, limit, offset int, parts patientParts) ([]*rapport.Patient, error) {
	rs, err := q.query(ctx, "SELECT "+patientCols+" FROM patients "+clause+" ORDER BY id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("find patients: %w", err)
	}
	defer rs.Close()
	var ps []*rapport.Patient
	byID := map[rapport.PatientID]*rapport.Patient{}
	for rs.Next() {
		p, err := scanPatient(rs)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
		byID[p.ID] = p
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("find patients: %w", err)
	}
	rs.Close()
	if len(ps) == 0 {
		return ps, nil
	}
	if parts&withIdentifiers != 0 {
		if err := loadIdentifiers(ctx, q, byID); err != nil {
			return nil, err
		}
	}
	if parts&withContacts != 0 {
		if err := loadContactPoints(ctx, q, byID); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

func scanPatient(rs rows) (*rapport.Patient, error) {
	var p rapport.Patient
	var sex, addr, postal, preferred string
	var internet sql.NullBool
	if err := rs.Scan(&p.ID, &p.Given, &p.Family, &p.BirthDate, &sex, &p.Language, &p.TimeZone, &addr, &postal,
		&p.Rural, &internet, &p.Deceased, &preferred, &p.CreatedAt, &p.UpdatedAt, &p.RUCA, &p.RuralStated); err != nil {
		return nil, fmt.Errorf("scan patient: %w", err)
	}
	p.Sex, p.PreferredChannel = rapport.Sex(sex), rapport.Channel(preferred)
	if internet.Valid {
		p.InternetAccess = &internet.Bool
	}
	if err := json.Unmarshal([]byte(addr), &p.Address); err != nil {
		return nil, fmt.Errorf("patient %s address: %w", p.ID, err)
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// patientsAmong returns which of ids query selects: query selects one
// patient id column and ends in "IN (", the ids following args.
func (tx *Tx) patientsAmong(ctx context.Context, query string, args []any, ids []rapport.PatientID) (map[rapport.PatientID]bool, error) {
	out := map[rapport.PatientID]bool{}
	err := chunked(ids, func(in string, idArgs []any) error {
		rs, err := tx.q.query(ctx, query+in+")", append(slices.Clone(args), idArgs...)...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id string
			if err := rs.Scan(&id); err != nil {
				return err
			}
			out[rapport.PatientID(id)] = true
		}
		return rs.Err()
	})
	return out, err
}

// inClause returns "?,?,?" and the ids as arguments.
func inClause[T ~string](ids []T) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = string(id)
	}
	return strings.TrimSuffix(strings.Repeat("?,", len(ids)), ","), args
}

func patientIDs(byID map[rapport.PatientID]*rapport.Patient) []rapport.PatientID {
	ids := make([]rapport.PatientID, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	return ids
}

func loadIdentifiers(ctx context.Context, q querier, byID map[rapport.PatientID]*rapport.Patient) error {
	in, args := inClause(patientIDs(byID))
	rs, err := q.query(ctx, "SELECT patient_id, system, value, type FROM patient_identifiers WHERE patient_id IN ("+in+") ORDER BY patient_id, system, value", args...)
	if err != nil {
		return fmt.Errorf("load identifiers: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var pid rapport.PatientID
		var id rapport.Identifier
		if err := rs.Scan(&pid, &id.System, &id.Value, &id.Type); err != nil {
			return fmt.Errorf("scan identifier: %w", err)
		}
		byID[pid].Identifiers = append(byID[pid].Identifiers, id)
	}
	return rs.Err()
}

// FindPatientsByIdentifier returns, for each identifier, the ids of the
// patients that carry it.
func (tx *Tx) FindPatientsByIdentifier(ctx context.Context, ids []rapport.Identifier) (map[rapport.Identifier][]rapport.PatientID, error) {
	out := map[rapport.Identifier][]rapport.PatientID{}
	const chunk = 400
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, 0, 2*len(part))
		for _, id := range part {
			args = append(args, id.System, id.Value)
		}
		// A row-value IN over a VALUES list: both databases turn it into an
		// index lookup per pair (PostgreSQL planned the equivalent chain of
		// ORs as a scan of the whole table, quadratic over a bulk import).
		rs, err := tx.q.query(ctx, fmt.Sprintf(queryPatientsByIdentifier, placeholders(len(part), 2)), args...)
		if err != nil {
			return nil, fmt.Errorf("find patients by identifier: %w", err)
		}
		for rs.Next() {
			var id rapport.Identifier
			var pid rapport.PatientID
			if err := rs.Scan(&id.System, &id.Value, &pid); err != nil {
				rs.Close()
				return nil, fmt.Errorf("scan identifier: %w", err)
			}
			out[id] = append(out[id], pid)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, fmt.Errorf("find patients by identifier: %w", err)
		}
	}
	return out, nil
}

// IsNotFound reports whether err says something was not found.
func IsNotFound(err error) bool {
	return rapport.ErrorCode(err) == rapport.ENOTFOUND || errors.Is(err, sql.ErrNoRows)
}

// SetPreferredChannel records the channel a patient asked to be reached on.
func (tx *Tx) SetPreferredChannel(ctx context.Context, id rapport.PatientID, ch rapport.Channel) error {
	n, err := tx.q.exec(ctx, "UPDATE patients SET preferred_channel = ?, updated_at = ? WHERE id = ?", string(ch), tx.now, string(id))
	if err != nil {
		return fmt.Errorf("set preferred channel: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "patient %s not found", id)
	}
	return nil
}

// PatientZone is what places a patient in time: the recorded time zone and
// the postal code.
type PatientZone struct {
	TimeZone, PostalCode string
}

// PatientZones returns the time zone and postal code of the patients with
// the given ids (those that exist): all a send needs of them to honour
// quiet hours, read without the rest of the row.
func (tx *Tx) PatientZones(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID]PatientZone, error) {
	out := make(map[rapport.PatientID]PatientZone, len(ids))
	err := eachRowIn(ctx, tx.q, ids, "SELECT id, time_zone, postal_code FROM patients WHERE id IN (%s)", func(rs rows) error {
		var id string
		var z PatientZone
		if err := rs.Scan(&id, &z.TimeZone, &z.PostalCode); err != nil {
			return err
		}
		out[rapport.PatientID(id)] = z
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("patient zones: %w", err)
	}
	return out, nil
}
