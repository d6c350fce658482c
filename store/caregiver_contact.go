package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
)

// Caregivers' contact points live in caregiver_contacts, never in
// contact_points: see migration 00024.
const caregiverContactCols = "id, caregiver_id, kind, raw, value, use, line_type, region, rank, status, status_reason, status_at, source, " +
	"flags, suggestion, added_at"

// replaceCaregiverContacts makes the stored contact points of the
// caregivers (ids, in the order of cs) those of cs. A stored one the
// caregiver lists again (same kind and raw value) keeps its id, status and
// evidence, and when it was added; the others are deleted.
func (tx *Tx) replaceCaregiverContacts(ctx context.Context, ids []string, cs []*rapport.Caregiver) error {
	type key struct {
		caregiver string
		kind      rapport.ContactKind
		raw       string
	}
	stored := map[key]rapport.ContactPoint{}
	err := eachRowIn(ctx, tx.q, ids, "SELECT "+caregiverContactCols+" FROM caregiver_contacts WHERE caregiver_id IN (%s)", func(rs rows) error {
		cp, cid, err := scanCaregiverContact(rs)
		if err == nil {
			stored[key{cid, cp.Kind, cp.Raw}] = cp
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("save caregiver contacts: %w", err)
	}
	if len(stored) > 0 {
		if err := chunked(ids, func(in string, args []any) error {
			_, err := tx.q.exec(ctx, "DELETE FROM caregiver_contacts WHERE caregiver_id IN ("+in+")", args...)
			return err
		}); err != nil {
			return fmt.Errorf("save caregiver contacts: %w", err)
		}
	}
	type owned struct {
		caregiver string
		cp        *rapport.ContactPoint
	}
	var all []owned
	for _, c := range cs {
		for i := range c.Contacts {
			cp := &c.Contacts[i]
			if old, ok := stored[key{c.ID, cp.Kind, cp.Raw}]; ok {
				cp.ID, cp.Status, cp.StatusReason, cp.StatusAt, cp.AddedAt = old.ID, old.Status, old.StatusReason, old.StatusAt, old.AddedAt
			}
			if cp.ID == "" {
				cp.ID = newID()
			}
			if cp.StatusAt.IsZero() {
				cp.StatusAt = tx.now
			}
			if cp.AddedAt.IsZero() {
				cp.AddedAt = tx.now
			}
			cp.PatientID = "" // the caregiver's, not the patient's
			all = append(all, owned{c.ID, cp})
		}
	}
	err = insertRows(ctx, tx.q, "INSERT INTO caregiver_contacts ("+caregiverContactCols+") VALUES ", "", 16, len(all), func(i int, a []any) []any {
		c := all[i].cp
		return append(a, c.ID, all[i].caregiver, string(c.Kind), c.Raw, c.Value, string(c.Use), string(c.LineType), c.Region, c.Rank,
			string(c.Status), c.StatusReason, c.StatusAt.UTC(), string(c.Source), flagsText(c.Flags), c.Suggestion, c.AddedAt.UTC())
	})
	if err != nil {
		return fmt.Errorf("save caregiver contacts: %w", err)
	}
	return nil
}

// loadCaregiverContacts fills in the caregivers' contact points, ordered
// by kind, rank and raw value as a patient's are.
func loadCaregiverContacts(ctx context.Context, q querier, cs []*rapport.Caregiver) error {
	byID := make(map[string]*rapport.Caregiver, len(cs))
	ids := make([]string, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
	}
	err := eachRowIn(ctx, q, ids, "SELECT "+caregiverContactCols+" FROM caregiver_contacts WHERE caregiver_id IN (%s) ORDER BY caregiver_id, kind, rank, raw",
		func(rs rows) error {
			cp, cid, err := scanCaregiverContact(rs)
			if err != nil {
				return err
			}
			c := byID[cid]
			c.Contacts = append(c.Contacts, cp)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load caregiver contacts: %w", err)
	}
	return nil
}

func scanCaregiverContact(rs rows) (rapport.ContactPoint, string, error) {
	var c rapport.ContactPoint
	var cid, kind, use, lt, status, source, flags string
	if err := rs.Scan(&c.ID, &cid, &kind, &c.Raw, &c.Value, &use, &lt, &c.Region, &c.Rank, &status, &c.StatusReason,
		timeOf{&c.StatusAt}, &source, &flags, &c.Suggestion, timeOf{&c.AddedAt}); err != nil {
		return c, "", fmt.Errorf("scan caregiver contact: %w", err)
	}
	if flags != "" {
		if err := json.Unmarshal([]byte(flags), &c.Flags); err != nil {
			return c, "", fmt.Errorf("caregiver contact %s flags: %w", c.ID, err)
		}
	}
	c.Kind, c.Use, c.LineType = rapport.ContactKind(kind), rapport.ContactUse(use), rapport.LineType(lt)
	c.Status, c.Source = rapport.ContactStatus(status), rapport.ContactSource(source)
	return c, cid, nil
}

// LearnCaregiverContact records what a failed delivery taught about one of
// a caregiver's contact points: its line type when lt is not empty (a
// "number" that takes no texts is a landline), else its status. The
// reason is the evidence. ENOTFOUND for an unknown id. No ledger event:
// the ledger's contact events are the patient's contact points'.
func (tx *Tx) LearnCaregiverContact(ctx context.Context, id string, lt rapport.LineType, status rapport.ContactStatus, reason string) error {
	q, args := "UPDATE caregiver_contacts SET status = ?, status_reason = ?, status_at = ? WHERE id = ?", []any{string(status), reason, tx.now, id}
	if lt != "" {
		q, args = "UPDATE caregiver_contacts SET line_type = ?, status_reason = ?, status_at = ? WHERE id = ?", []any{string(lt), reason, tx.now, id}
	}
	n, err := tx.q.exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("learn caregiver contact %s: %w", id, err)
	}
	if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "caregiver contact %s not found", id)
	}
	return nil
}
