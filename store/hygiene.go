package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// PatientsAfter returns up to limit patients whose id sorts after after, in
// id order, with identifiers and contact points: one page of a stream over
// every patient (keyset pagination, so a large list is never loaded at once).
func (db *DB) PatientsAfter(ctx context.Context, after rapport.PatientID, limit int) ([]*rapport.Patient, error) {
	ps, err := findPatients(ctx, db.q, "WHERE id > ?", []any{string(after)}, limit, 0, withAll)
	if err != nil {
		return nil, fmt.Errorf("patients after %s: %w", after, err)
	}
	return ps, nil
}

// PatientIDsChangedAfter lists the patients created or updated after
// since, in id order.
func (db *DB) PatientIDsChangedAfter(ctx context.Context, since time.Time) ([]rapport.PatientID, error) {
	rs, err := db.q.query(ctx, "SELECT id FROM patients WHERE updated_at > ? ORDER BY id", since.UTC())
	if err != nil {
		return nil, fmt.Errorf("patients changed since: %w", err)
	}
	defer rs.Close()
	var out []rapport.PatientID
	for rs.Next() {
		var id rapport.PatientID
		if err := rs.Scan(&id); err != nil {
			return nil, fmt.Errorf("scan patient id: %w", err)
		}
		out = append(out, id)
	}
	return out, rs.Err()
}

// UpdateContactNormalised stores what validation derived from each contact
// point's raw value (value, line type, region, flags, suggestion); status is changed only
// through [Tx.SetContactStatus], which keeps the ledger.
func (tx *Tx) UpdateContactNormalised(ctx context.Context, cps []rapport.ContactPoint) error {
	for _, c := range cps {
		if _, err := tx.q.exec(ctx, "UPDATE contact_points SET value = ?, line_type = ?, region = ?, flags = ?, suggestion = ? WHERE id = ?",
			c.Value, string(c.LineType), c.Region, flagsText(c.Flags), c.Suggestion, c.ID); err != nil {
			return fmt.Errorf("update contact point %s: %w", c.ID, err)
		}
	}
	return nil
}

// ContactCount is how many contact points share a kind, status and reason.
type ContactCount struct {
	Kind   rapport.ContactKind   `json:"kind"`
	Status rapport.ContactStatus `json:"status"`
	Reason string                `json:"reason,omitempty"`
	N      int                   `json:"n"`
}

// CountContacts counts contact points by kind, status and reason.
func (db *DB) CountContacts(ctx context.Context) ([]ContactCount, error) {
	rs, err := db.q.query(ctx, "SELECT kind, status, status_reason, count(*) FROM contact_points GROUP BY kind, status, status_reason ORDER BY kind, status, status_reason")
	if err != nil {
		return nil, fmt.Errorf("count contacts: %w", err)
	}
	defer rs.Close()
	var out []ContactCount
	for rs.Next() {
		var c ContactCount
		if err := rs.Scan(&c.Kind, &c.Status, &c.Reason, &c.N); err != nil {
			return nil, fmt.Errorf("scan contact count: %w", err)
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// ContactStatusChange is one status change recorded in the ledger.
type ContactStatusChange struct {
	ContactID string
	From, To  rapport.ContactStatus
}

// ContactStatusChanges streams the contact status changes the ledger
// recorded after from and at or before to, in ledger order, to fn.
func (db *DB) ContactStatusChanges(ctx context.Context, from, to time.Time, fn func(ContactStatusChange) error) error {
	rs, err := db.q.query(ctx, "SELECT payload FROM ledger WHERE kind = ? AND at > ? AND at <= ? ORDER BY seq",
		string(rapport.EventContactStatus), from.UTC(), to.UTC())
	if err != nil {
		return fmt.Errorf("contact status changes: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var payload string
		if err := rs.Scan(&payload); err != nil {
			return fmt.Errorf("scan contact status change: %w", err)
		}
		var p struct {
			ContactID string `json:"contact_id"`
			From      string `json:"from"`
			To        string `json:"to"`
		}
		if err := json.Unmarshal([]byte(payload), &p); err != nil {
			return fmt.Errorf("contact status change payload: %w", err)
		}
		if p.To == "" { // a line type change, not a status change
			continue
		}
		if err := fn(ContactStatusChange{ContactID: p.ContactID, From: rapport.ContactStatus(p.From), To: rapport.ContactStatus(p.To)}); err != nil {
			return err
		}
	}
	return rs.Err()
}

// HygieneRun is one stored hygiene run: its report and the linkage model
// it scored duplicates with, both JSON the store does not interpret.
type HygieneRun struct {
	ID         string
	StartedAt  time.Time
	FinishedAt time.Time
	Report     json.RawMessage
	Model      json.RawMessage
}

// SaveHygieneRun stores a run; an empty ID gets a new one.
func (db *DB) SaveHygieneRun(ctx context.Context, r *HygieneRun) error {
	if r.ID == "" {
		r.ID = newID()
	}
	if _, err := db.q.exec(ctx, "INSERT INTO hygiene_runs (id, started_at, finished_at, report, model) VALUES (?, ?, ?, ?, ?)",
		r.ID, r.StartedAt.UTC(), r.FinishedAt.UTC(), string(r.Report), string(r.Model)); err != nil {
		return fmt.Errorf("save hygiene run: %w", err)
	}
	return nil
}

const hygieneCols = "SELECT id, started_at, finished_at, report, model FROM hygiene_runs "

func scanHygieneRun(r row, what string) (*HygieneRun, error) {
	var h HygieneRun
	var report, model string
	if err := r.Scan(&h.ID, &h.StartedAt, &h.FinishedAt, &report, &model); IsNotFound(err) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "%s not found", what)
	} else if err != nil {
		return nil, fmt.Errorf("scan hygiene run: %w", err)
	}
	h.StartedAt, h.FinishedAt = h.StartedAt.UTC(), h.FinishedAt.UTC()
	h.Report = json.RawMessage(report)
	if model != "" {
		h.Model = json.RawMessage(model)
	}
	return &h, nil
}

// LatestHygieneRun returns the most recent run; ENOTFOUND when none ran.
func (db *DB) LatestHygieneRun(ctx context.Context) (*HygieneRun, error) {
	return scanHygieneRun(db.q.queryRow(ctx, hygieneCols+"ORDER BY started_at DESC, id DESC LIMIT 1"), "hygiene run")
}

// FindHygieneRun returns one run by id; ENOTFOUND when there is none.
func (db *DB) FindHygieneRun(ctx context.Context, id string) (*HygieneRun, error) {
	return scanHygieneRun(db.q.queryRow(ctx, hygieneCols+"WHERE id = ?", id), "hygiene run "+id)
}

// CountDuplicateCandidates counts the review queue's pairs by status.
func (db *DB) CountDuplicateCandidates(ctx context.Context) (map[rapport.DuplicateStatus]int, error) {
	rs, err := db.q.query(ctx, "SELECT status, count(*) FROM duplicate_candidates GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("count duplicate candidates: %w", err)
	}
	defer rs.Close()
	out := map[rapport.DuplicateStatus]int{}
	for rs.Next() {
		var status string
		var n int
		if err := rs.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("count duplicate candidates: %w", err)
		}
		out[rapport.DuplicateStatus(status)] = n
	}
	return out, rs.Err()
}
