package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// Observation is one LOINC-coded value a patient reported. A blood
// pressure is two of them (systolic, diastolic) and its pulse a third,
// sharing Panel; a glucose or weight is one.
type Observation struct {
	ID        string
	PatientID rapport.PatientID
	// Panel is shared by the observations of one reading.
	Panel       string
	Code        rapport.Code
	Value       float64
	Unit        string // UCUM
	EffectiveAt time.Time
	// Source is the channel or way it came: sms, voice, email, api.
	Source    string
	InboundID string
	// Level is the reading's grade by the patient's thresholds when it
	// came: normal, high, urgent.
	Level     string
	CreatedAt time.Time
}

const observationCols = "id, patient_id, panel, code_system, code, display, value, unit, effective_at, source, inbound_id, level, created_at"

// CreateObservations inserts os, assigning ids (and a panel, when empty,
// of its own) and the creation time.
func (tx *Tx) CreateObservations(ctx context.Context, os []*Observation) error {
	for i, o := range os {
		if o.ID == "" {
			o.ID = newID()
		}
		if o.Panel == "" {
			o.Panel = o.ID
		}
		if o.EffectiveAt.IsZero() {
			return rapport.Errorf(rapport.EINVALID, "observation %d: effective_at is missing", i)
		}
		o.CreatedAt = tx.now
		_, err := tx.q.exec(ctx, "INSERT INTO observations ("+observationCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			o.ID, string(o.PatientID), o.Panel, o.Code.System, o.Code.Code, o.Code.Display, o.Value, o.Unit, o.EffectiveAt.UTC(),
			o.Source, o.InboundID, o.Level, tx.now)
		if err != nil {
			return fmt.Errorf("create observation %d (%s): %w", i, o.Code.Code, err)
		}
	}
	return nil
}

// PatientObservations lists up to limit of a patient's observations,
// newest first (the rows of one reading together, in code order).
func (tx *Tx) PatientObservations(ctx context.Context, pid rapport.PatientID, limit int) ([]*Observation, error) {
	if limit <= 0 {
		limit = 100
	}
	rs, err := tx.q.query(ctx, "SELECT "+observationCols+" FROM observations WHERE patient_id = ? ORDER BY effective_at DESC, panel DESC, code LIMIT ?",
		string(pid), limit)
	if err != nil {
		return nil, fmt.Errorf("find observations: %w", err)
	}
	defer rs.Close()
	var out []*Observation
	for rs.Next() {
		var o Observation
		var p string
		if err := rs.Scan(&o.ID, &p, &o.Panel, &o.Code.System, &o.Code.Code, &o.Code.Display, &o.Value, &o.Unit, timeOf{&o.EffectiveAt},
			&o.Source, &o.InboundID, &o.Level, timeOf{&o.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan observation: %w", err)
		}
		o.PatientID = rapport.PatientID(p)
		out = append(out, &o)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("find observations: %w", err)
	}
	return out, nil
}

// PatientThresholds returns a patient's thresholds as they were set
// (package selfreport's Thresholds as JSON), nil when none were.
func (tx *Tx) PatientThresholds(ctx context.Context, pid rapport.PatientID) ([]byte, error) {
	var s string
	err := tx.q.queryRow(ctx, "SELECT thresholds FROM patient_thresholds WHERE patient_id = ?", string(pid)).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find thresholds of patient %s: %w", pid, err)
	}
	return []byte(s), nil
}

// SetPatientThresholds stores a patient's thresholds, replacing any.
func (tx *Tx) SetPatientThresholds(ctx context.Context, pid rapport.PatientID, thresholds []byte, by string) error {
	_, err := tx.q.exec(ctx, "INSERT INTO patient_thresholds (patient_id, thresholds, updated_by, updated_at) VALUES (?, ?, ?, ?) "+
		"ON CONFLICT (patient_id) DO UPDATE SET thresholds = excluded.thresholds, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
		string(pid), string(thresholds), by, tx.now)
	if err != nil {
		return fmt.Errorf("set thresholds of patient %s: %w", pid, err)
	}
	return nil
}
