package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// staleUnlisted is the evidence of a contact point the source stopped listing.
const staleUnlisted = "no longer listed by the source record"

// contactMerge is what merging sources' contact points into the stored ones
// left to write: new contact points to insert and stored ones to mark stale.
// A batch of patients shares one, so each kind of write is a few statements
// for the whole batch.
type contactMerge struct {
	added []*rapport.ContactPoint
	stale []rapport.ContactPoint
}

// mergeContacts updates the stored contact points of p (current) from
// p.Contacts and adds to m the new ones and the imported ones the source no
// longer lists, for [Tx.applyMerge] to write.
func (tx *Tx) mergeContacts(ctx context.Context, p *rapport.Patient, current []rapport.ContactPoint, m *contactMerge) error {
	type key struct {
		kind rapport.ContactKind
		raw  string
	}
	stored := make(map[key]rapport.ContactPoint, len(current))
	for _, c := range current {
		stored[key{c.Kind, c.Raw}] = c
	}
	listed := make(map[key]bool, len(p.Contacts))
	for i := range p.Contacts {
		c := &p.Contacts[i]
		k := key{c.Kind, c.Raw}
		listed[k] = true
		old, ok := stored[k]
		if !ok {
			c.PatientID = p.ID
			m.added = append(m.added, c)
			continue
		}
		if old.Use != c.Use || old.Rank != c.Rank || flagsText(old.Flags) != flagsText(c.Flags) || old.Suggestion != c.Suggestion {
			if _, err := tx.q.exec(ctx, "UPDATE contact_points SET use = ?, rank = ?, flags = ?, suggestion = ? WHERE id = ?",
				string(c.Use), c.Rank, flagsText(c.Flags), c.Suggestion, old.ID); err != nil {
				return fmt.Errorf("update contact point: %w", err)
			}
		}
	}
	// In stored order (kind, rank, raw), so the ledger's order is the same
	// on every run; a (kind, raw) stored twice counts once, as in the map.
	for _, c := range current {
		k := key{c.Kind, c.Raw}
		old := stored[k]
		if listed[k] || old.Source != rapport.SourceImport || old.Status == rapport.StatusStale {
			continue
		}
		listed[k] = true
		m.stale = append(m.stale, old)
	}
	return nil
}

// applyMerge inserts the merge's new contact points and marks its unlisted
// ones stale.
func (tx *Tx) applyMerge(ctx context.Context, m *contactMerge) error {
	if err := tx.insertContactPoints(ctx, m.added); err != nil {
		return err
	}
	return tx.markUnlisted(ctx, m.stale)
}

// markUnlisted marks contact points stale because the source no longer
// lists them, with the ledger event [Tx.SetContactStatus] writes for each,
// in one UPDATE per 500 and one ledger insert: the caller read them, so
// nothing is read again.
func (tx *Tx) markUnlisted(ctx context.Context, cs []rapport.ContactPoint) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]string, len(cs))
	evs := make([]rapport.Event, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
		evs[i] = rapport.Event{PatientID: c.PatientID, Kind: rapport.EventContactStatus,
			Payload: jsonPayload(map[string]string{"contact_id": c.ID, "kind": string(c.Kind), "from": string(c.Status),
				"to": string(rapport.StatusStale), "reason": staleUnlisted})}
	}
	if err := chunked(ids, func(in string, args []any) error {
		_, err := tx.q.exec(ctx, "UPDATE contact_points SET status = ?, status_reason = ?, status_at = ? WHERE id IN ("+in+")",
			append([]any{string(rapport.StatusStale), staleUnlisted, tx.now}, args...)...)
		return err
	}); err != nil {
		return fmt.Errorf("mark unlisted contact points stale: %w", err)
	}
	return tx.AppendEvents(ctx, evs...)
}
