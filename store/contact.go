package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rapporthq/rapport"
)

// contactCols are the columns a contact point is written with.
const contactCols = "id, patient_id, kind, raw, value, use, line_type, region, rank, status, status_reason, status_at, source, flags, suggestion, " +
	"confirmed_at, soft_failures, soft_failed_at, added_at"

// contactSelect reads contact points (as cp) with how many patients hold
// each one's value (shared_values keeps the values held by two or more),
// in scanContactPoint's order; the caller adds the WHERE clause. The count
// is a subquery, not a join: PostgreSQL hashed all of shared_values for a
// page of patients' contact points.
const contactSelect = "SELECT cp.id, cp.patient_id, cp.kind, cp.raw, cp.value, cp.use, cp.line_type, cp.region, cp.rank, cp.status, " +
	"cp.status_reason, cp.status_at, cp.source, cp.flags, cp.suggestion, " +
	"coalesce((SELECT sv.holders FROM shared_values sv WHERE sv.kind = cp.kind AND sv.value = cp.value), 0), " +
	"cp.confirmed_at, cp.soft_failures, cp.soft_failed_at, cp.added_at FROM contact_points cp "

func (tx *Tx) insertContactPoints(ctx context.Context, cps []*rapport.ContactPoint) error {
	for _, c := range cps {
		if c.ID == "" {
			c.ID = newID()
		}
		if c.StatusAt.IsZero() {
			c.StatusAt = tx.now
		}
		if c.AddedAt.IsZero() {
			c.AddedAt = tx.now
		}
	}
	err := insertRows(ctx, tx.q, "INSERT INTO contact_points ("+contactCols+") VALUES ", "", 19, len(cps), func(i int, a []any) []any {
		c := cps[i]
		return append(a, c.ID, string(c.PatientID), string(c.Kind), c.Raw, c.Value, string(c.Use), string(c.LineType),
			same{c.Region}, c.Rank, string(c.Status), c.StatusReason, same{c.StatusAt.UTC()}, same{string(c.Source)},
			flagsText(c.Flags), c.Suggestion,
			same{tnull(c.ConfirmedAt)}, same{c.SoftFailures}, same{tnull(c.SoftFailedAt)}, same{c.AddedAt.UTC()})
	})
	if err != nil {
		return fmt.Errorf("insert contact points: %w", err)
	}
	return tx.refreshShared(ctx, cps)
}

// mergeContactPoints brings the stored contact points of p in line with
// p.Contacts as a source sees them: unknown ones are added; known ones take
// the new use, rank, flags and suggestion (a newer judgement of the same
// value) but keep their status (hygiene and delivery feedback
// may know better than the source); imported ones the source no longer lists
// are marked stale, with that as evidence. p.Contacts is reloaded afterwards.
func (tx *Tx) mergeContactPoints(ctx context.Context, p *rapport.Patient) error {
	byID := map[rapport.PatientID]*rapport.Patient{p.ID: {ID: p.ID}}
	if err := loadContactPoints(ctx, tx.q, byID); err != nil {
		return err
	}
	var m contactMerge
	if err := tx.mergeContacts(ctx, p, byID[p.ID].Contacts, &m); err != nil {
		return err
	}
	if err := tx.applyMerge(ctx, &m); err != nil {
		return err
	}
	byID[p.ID].Contacts = nil
	if err := loadContactPoints(ctx, tx.q, byID); err != nil {
		return err
	}
	p.Contacts = byID[p.ID].Contacts
	return nil
}

func loadContactPoints(ctx context.Context, q querier, byID map[rapport.PatientID]*rapport.Patient) error {
	in, args := inClause(patientIDs(byID))
	// Unordered: sorting every row of the page in SQL (a temporary B-tree
	// on SQLite) cost more than sorting each patient's few in Go.
	rs, err := q.query(ctx, contactSelect+"WHERE cp.patient_id IN ("+in+")", args...)
	if err != nil {
		return fmt.Errorf("load contact points: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		c, err := scanContactPoint(rs)
		if err != nil {
			return err
		}
		p := byID[c.PatientID]
		p.Contacts = append(p.Contacts, c)
	}
	if err := rs.Err(); err != nil {
		return err
	}
	for _, p := range byID {
		slices.SortFunc(p.Contacts, contactOrder)
	}
	return nil
}

// contactOrder is the order of a patient's contact points: by kind, rank
// and raw value, then id, so that equal ones come in one order every time.
func contactOrder(a, b rapport.ContactPoint) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.Raw, b.Raw), cmp.Compare(a.ID, b.ID))
}

func scanContactPoint(rs row) (rapport.ContactPoint, error) {
	var c rapport.ContactPoint
	var kind, use, lt, status, source, flags string
	if err := rs.Scan(&c.ID, &c.PatientID, &kind, &c.Raw, &c.Value, &use, &lt, &c.Region, &c.Rank, &status,
		&c.StatusReason, &c.StatusAt, &source, &flags, &c.Suggestion, &c.SharedBy, timeOf{&c.ConfirmedAt}, &c.SoftFailures,
		timeOf{&c.SoftFailedAt}, timeOf{&c.AddedAt}); err != nil {
		return c, fmt.Errorf("scan contact point: %w", err)
	}
	if flags != "" {
		if err := json.Unmarshal([]byte(flags), &c.Flags); err != nil {
			return c, fmt.Errorf("contact point %s flags: %w", c.ID, err)
		}
	}
	c.Kind, c.Use, c.LineType = rapport.ContactKind(kind), rapport.ContactUse(use), rapport.LineType(lt)
	c.Status, c.Source, c.StatusAt = rapport.ContactStatus(status), rapport.ContactSource(source), c.StatusAt.UTC()
	return c, nil
}

// FindContactPoint returns one contact point by id.
func (tx *Tx) FindContactPoint(ctx context.Context, id string) (rapport.ContactPoint, error) {
	c, err := scanContactPoint(tx.q.queryRow(ctx, contactSelect+"WHERE cp.id = ?", id))
	if IsNotFound(err) {
		return c, rapport.Errorf(rapport.ENOTFOUND, "contact point %s not found", id)
	}
	return c, err
}

// FindContactPointsByValue returns the contact points of a kind whose
// normalised value is value (a number shared by a family lists several).
func (db *DB) FindContactPointsByValue(ctx context.Context, kind rapport.ContactKind, value string) ([]rapport.ContactPoint, error) {
	return findContactPointsByValue(ctx, db.q, kind, value)
}

// FindContactPointsByValue is [DB.FindContactPointsByValue] inside the transaction.
func (tx *Tx) FindContactPointsByValue(ctx context.Context, kind rapport.ContactKind, value string) ([]rapport.ContactPoint, error) {
	return findContactPointsByValue(ctx, tx.q, kind, value)
}

func findContactPointsByValue(ctx context.Context, q querier, kind rapport.ContactKind, value string) ([]rapport.ContactPoint, error) {
	rs, err := q.query(ctx, contactSelect+"WHERE cp.kind = ? AND cp.value = ? ORDER BY cp.patient_id", string(kind), value)
	if err != nil {
		return nil, fmt.Errorf("find contact points: %w", err)
	}
	defer rs.Close()
	var out []rapport.ContactPoint
	for rs.Next() {
		c, err := scanContactPoint(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// SetContactStatus changes a contact point's status with its evidence and
// records the change in the ledger.
func (tx *Tx) SetContactStatus(ctx context.Context, id string, status rapport.ContactStatus, reason string) error {
	c, err := tx.FindContactPoint(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.q.exec(ctx, "UPDATE contact_points SET status = ?, status_reason = ?, status_at = ? WHERE id = ?",
		string(status), reason, tx.now, id); err != nil {
		return fmt.Errorf("set contact status: %w", err)
	}
	return tx.AppendEvents(ctx, rapport.Event{
		PatientID: c.PatientID, Kind: rapport.EventContactStatus,
		Payload: jsonPayload(map[string]string{"contact_id": id, "kind": string(c.Kind), "from": string(c.Status), "to": string(status), "reason": reason}),
	})
}

// SetContactLineType records what delivery taught about a phone's line type
// (a text refused because the number is a landline), with a ledger event.
func (tx *Tx) SetContactLineType(ctx context.Context, id string, lt rapport.LineType, reason string) error {
	c, err := tx.FindContactPoint(ctx, id)
	if err != nil {
		return err
	}
	if c.LineType == lt {
		return nil
	}
	if _, err := tx.q.exec(ctx, "UPDATE contact_points SET line_type = ?, status_reason = ?, status_at = ? WHERE id = ?", string(lt), reason, tx.now, id); err != nil {
		return fmt.Errorf("set contact line type: %w", err)
	}
	return tx.AppendEvents(ctx, rapport.Event{
		PatientID: c.PatientID, Kind: rapport.EventContactStatus,
		Payload: jsonPayload(map[string]string{"contact_id": id, "kind": string(c.Kind), "line_type": string(lt), "reason": reason}),
	})
}

// flagsText is the stored form of a contact point's flags: a JSON array,
// or "" for none (most contact points), which costs nothing to store.
func flagsText(flags []rapport.ContactFlag) string {
	if len(flags) == 0 {
		return ""
	}
	return mustJSON(flags)
}
