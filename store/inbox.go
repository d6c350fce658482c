package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rapporthq/rapport"
)

const inboxCols = "id, patient_id, kind, priority, inbound_id, summary, journey, campaign, created_at, resolved_at, resolved_by, note"

// CreateInboxItem adds an item to the staff inbox, with its ledger event.
func (tx *Tx) CreateInboxItem(ctx context.Context, it *rapport.InboxItem) error {
	if it.ID == "" {
		it.ID = newID()
	}
	it.CreatedAt = tx.now
	if _, err := tx.q.exec(ctx, "INSERT INTO inbox_items ("+inboxCols+") VALUES "+placeholders(1, 12),
		it.ID, string(it.PatientID), string(it.Kind), string(it.Priority), it.InboundID, it.Summary, it.Journey, it.Campaign, tx.now, nil, "", ""); err != nil {
		return fmt.Errorf("create inbox item: %w", err)
	}
	return tx.AppendEvents(ctx, rapport.Event{PatientID: it.PatientID, Kind: rapport.EventInboxCreated, Journey: it.Journey, Campaign: it.Campaign,
		Payload: jsonPayload(map[string]string{"item": it.ID, "kind": string(it.Kind), "priority": string(it.Priority)})})
}

func scanInboxItem(rs row) (*rapport.InboxItem, error) {
	var it rapport.InboxItem
	var kind, prio string
	var resolved sql.NullTime
	if err := rs.Scan(&it.ID, &it.PatientID, &kind, &prio, &it.InboundID, &it.Summary, &it.Journey, &it.Campaign, &it.CreatedAt, &resolved, &it.ResolvedBy, &it.Note); err != nil {
		return nil, fmt.Errorf("scan inbox item: %w", err)
	}
	it.Kind, it.Priority, it.ResolvedAt, it.CreatedAt = rapport.InboxKind(kind), rapport.Priority(prio), fromNullTime(resolved), it.CreatedAt.UTC()
	return &it, nil
}

// FindInboxItems returns inbox items, most urgent and oldest first.
func (db *DB) FindInboxItems(ctx context.Context, f rapport.InboxFilter) ([]*rapport.InboxItem, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.Priority != "" {
		where, args = append(where, "priority = ?"), append(args, string(f.Priority))
	}
	if f.Open {
		where = append(where, "resolved_at IS NULL")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	order := "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, created_at, id"
	rs, err := db.q.query(ctx, "SELECT "+inboxCols+" FROM inbox_items WHERE "+strings.Join(where, " AND ")+" ORDER BY "+order+" LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find inbox items: %w", err)
	}
	defer rs.Close()
	var out []*rapport.InboxItem
	for rs.Next() {
		it, err := scanInboxItem(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rs.Err()
}

// ResolveInboxItem closes an item with a note, recording who did it.
func (tx *Tx) ResolveInboxItem(ctx context.Context, id, by, note string) (*rapport.InboxItem, error) {
	it, err := scanInboxItem(tx.q.queryRow(ctx, "SELECT "+inboxCols+" FROM inbox_items WHERE id = ?", id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, rapport.Errorf(rapport.ENOTFOUND, "inbox item %s not found", id)
		}
		return nil, err
	}
	if !it.ResolvedAt.IsZero() {
		return nil, rapport.Errorf(rapport.ECONFLICT, "inbox item %s is already resolved", id)
	}
	if _, err := tx.q.exec(ctx, "UPDATE inbox_items SET resolved_at = ?, resolved_by = ?, note = ? WHERE id = ?", tx.now, by, note, id); err != nil {
		return nil, fmt.Errorf("resolve inbox item: %w", err)
	}
	it.ResolvedAt, it.ResolvedBy, it.Note = tx.now, by, note
	return it, tx.AppendEvents(ctx, rapport.Event{PatientID: it.PatientID, Kind: rapport.EventInboxResolved, Journey: it.Journey, Campaign: it.Campaign,
		Payload: jsonPayload(map[string]string{"item": id, "by": by, "note": note})})
}
