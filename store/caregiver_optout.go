package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// FindCaregiversByContact returns the caregivers, of any patient, who have
// a contact point of kind with the normalised value: whom a text from that
// address may be from. None is an empty list.
func (tx *Tx) FindCaregiversByContact(ctx context.Context, kind rapport.ContactKind, value string) ([]*rapport.Caregiver, error) {
	if value == "" {
		return nil, nil
	}
	return findCaregivers(ctx, tx.q, "id IN (SELECT caregiver_id FROM caregiver_contacts WHERE kind = ? AND value = ?) ORDER BY created_at, id",
		string(kind), value)
}

// OptOutCaregivers records that the caregivers with the given ids said
// STOP: each one not opted out yet is opted out now, with a ledger event
// (payload: the caregiver and the inbound message that said it, never its
// text). It returns the ids it opted out.
func (tx *Tx) OptOutCaregivers(ctx context.Context, ids []string, inbound string) ([]string, error) {
	return tx.setCaregiversOptedOut(ctx, ids, inbound, true)
}

// OptInCaregivers records that the caregivers with the given ids, opted
// out before, said START: each one opted out is opted in again, with a
// ledger event (payload: the caregiver and the inbound message). The
// patient's consent to the caregiver is not touched: it is the patient's.
// It returns the ids it opted in.
func (tx *Tx) OptInCaregivers(ctx context.Context, ids []string, inbound string) ([]string, error) {
	return tx.setCaregiversOptedOut(ctx, ids, inbound, false)
}

// setCaregiversOptedOut opts the caregivers with the given ids out (or
// back in) if they are not already, each with its ledger event, and
// returns the ids it changed.
func (tx *Tx) setCaregiversOptedOut(ctx context.Context, ids []string, inbound string, out bool) ([]string, error) {
	found, err := tx.FindCaregiversByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	kind, word, at := rapport.EventCaregiverOptedOut, "opt out", tnull(tx.now)
	if !out {
		kind, word, at = rapport.EventCaregiverOptedIn, "opt in", nil
	}
	var done []string
	var evs []rapport.Event
	for _, id := range ids {
		c := found[id]
		if c == nil || c.OptedOutAt.IsZero() != out {
			continue // already as asked
		}
		if _, err := tx.q.exec(ctx, "UPDATE caregivers SET opted_out_at = ?, updated_at = ? WHERE id = ?", at, tx.now, id); err != nil {
			return nil, fmt.Errorf("%s caregiver %s: %w", word, id, err)
		}
		done = append(done, id)
		evs = append(evs, rapport.Event{PatientID: c.PatientID, Kind: kind,
			Payload: jsonPayload(map[string]string{"caregiver_id": id, "inbound": inbound})})
	}
	return done, tx.AppendEvents(ctx, evs...)
}
