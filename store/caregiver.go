package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rapporthq/rapport"
)

const caregiverCols = "id, patient_id, identifiers, given, family, relationship_system, relationship_code, relationship_display, language, " +
	"scope, consent, consent_at, consent_source, period_start, period_end, revoked_at, revoked_by, revoke_reason, created_at, updated_at, opted_out_at"

// SaveCaregiver inserts or replaces one caregiver; see [Tx.SaveCaregivers].
func (tx *Tx) SaveCaregiver(ctx context.Context, c *rapport.Caregiver) error {
	return tx.SaveCaregivers(ctx, []*rapport.Caregiver{c})
}

// SaveCaregivers inserts or replaces caregivers with distinct ids (assigned
// when empty) and their contact points. A replaced caregiver keeps its
// created_at and the time it opted out, if it did; its contact points are the ones given, those already stored
// under the same kind and raw value keeping their id and what rapport
// learned of them (status, evidence, when added). It does not validate:
// callers do, with [rapport.Caregiver.Validate].
func (tx *Tx) SaveCaregivers(ctx context.Context, cs []*rapport.Caregiver) error {
	if len(cs) == 0 {
		return nil
	}
	cols := strings.Split(caregiverCols, ", ")
	var set []string
	for _, c := range cols[1:] {
		switch c {
		case "created_at":
		case "opted_out_at":
			// The caregiver's own STOP: no save of the record lifts it.
			set = append(set, c+" = coalesce(caregivers."+c+", excluded."+c+")")
		default:
			set = append(set, c+" = excluded."+c)
		}
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		if c.ID == "" {
			c.ID = newID()
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = tx.now
		}
		c.UpdatedAt = tx.now
		ids[i] = c.ID
	}
	err := insertRows(ctx, tx.q, "INSERT INTO caregivers ("+caregiverCols+") VALUES ",
		" ON CONFLICT (id) DO UPDATE SET "+strings.Join(set, ", "), len(cols), len(cs), func(i int, a []any) []any {
			c := cs[i]
			return append(a, c.ID, string(c.PatientID), identifiersText(c.Identifiers), c.Given, c.Family,
				c.Relationship.System, c.Relationship.Code, c.Relationship.Display, c.Language, string(c.Scope),
				string(c.Consent), tnull(c.ConsentAt), string(c.ConsentSource), tnull(c.PeriodStart), tnull(c.PeriodEnd),
				tnull(c.RevokedAt), string(c.RevokedBy), c.RevokeReason, c.CreatedAt.UTC(), same{tx.now}, tnull(c.OptedOutAt))
		})
	if err != nil {
		return fmt.Errorf("save caregivers: %w", err)
	}
	return tx.replaceCaregiverContacts(ctx, ids, cs)
}

func identifiersText(ids []rapport.Identifier) string {
	if len(ids) == 0 {
		return ""
	}
	return mustJSON(ids)
}

// FindCaregiverByID returns one caregiver with its contact points, or ENOTFOUND.
func (db *DB) FindCaregiverByID(ctx context.Context, id string) (*rapport.Caregiver, error) {
	return findCaregiverByID(ctx, db.q, id, "")
}

// FindCaregiverByID is [DB.FindCaregiverByID] inside the transaction.
func (tx *Tx) FindCaregiverByID(ctx context.Context, id string) (*rapport.Caregiver, error) {
	return findCaregiverByID(ctx, tx.q, id, "")
}

func findCaregiverByID(ctx context.Context, q querier, id, lock string) (*rapport.Caregiver, error) {
	cs, err := findCaregivers(ctx, q, "id = ?"+lock, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "caregiver %s not found", id)
	}
	return cs[0], nil
}

// FindCaregiversByPatient returns the caregivers of a patient, revoked ones
// included, oldest first. A patient with none has an empty list.
func (db *DB) FindCaregiversByPatient(ctx context.Context, pid rapport.PatientID) ([]*rapport.Caregiver, error) {
	return findCaregivers(ctx, db.q, "patient_id = ? ORDER BY created_at, id", string(pid))
}

// FindCaregiversByPatient is [DB.FindCaregiversByPatient] inside the transaction.
func (tx *Tx) FindCaregiversByPatient(ctx context.Context, pid rapport.PatientID) ([]*rapport.Caregiver, error) {
	return findCaregivers(ctx, tx.q, "patient_id = ? ORDER BY created_at, id", string(pid))
}

// FindCaregiversByID returns the caregivers among ids that exist, by id:
// one query per few hundred ids, for the importer's batches.
func (tx *Tx) FindCaregiversByID(ctx context.Context, ids []string) (map[string]*rapport.Caregiver, error) {
	out := make(map[string]*rapport.Caregiver, len(ids))
	err := chunked(ids, func(in string, args []any) error {
		cs, err := findCaregivers(ctx, tx.q, "id IN ("+in+")", args...)
		for _, c := range cs {
			out[c.ID] = c
		}
		return err
	})
	return out, err
}

// RevokeCaregiver ends a caregiver's role now, by the patient or staff, and
// records it in the ledger. It returns the revoked caregiver; ENOTFOUND for
// an unknown id, ECONFLICT when it was revoked already.
func (tx *Tx) RevokeCaregiver(ctx context.Context, id string, by rapport.ContactSource, reason string) (*rapport.Caregiver, error) {
	c, err := findCaregiverByID(ctx, tx.q, id, tx.forUpdate())
	if err != nil {
		return nil, err
	}
	if err := c.Revoke(tx.now, by, reason); err != nil {
		return nil, err
	}
	c.UpdatedAt = tx.now
	if _, err := tx.q.exec(ctx, "UPDATE caregivers SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, updated_at = ? WHERE id = ?",
		tx.now, string(by), reason, tx.now, id); err != nil {
		return nil, fmt.Errorf("revoke caregiver %s: %w", id, err)
	}
	// The reason may quote the patient: the ledger keeps who and which,
	// and the import's own reasons, which quote nobody.
	payload := map[string]string{"caregiver_id": id, "by": string(by)}
	if by == rapport.SourceImport {
		payload["reason"] = reason
	}
	return c, tx.AppendEvents(ctx, rapport.Event{PatientID: c.PatientID, Kind: rapport.EventCaregiverRevoked, Payload: jsonPayload(payload)})
}

func findCaregivers(ctx context.Context, q querier, where string, args ...any) ([]*rapport.Caregiver, error) {
	rs, err := q.query(ctx, "SELECT "+caregiverCols+" FROM caregivers WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find caregivers: %w", err)
	}
	var out []*rapport.Caregiver
	for rs.Next() {
		c, err := scanCaregiver(rs)
		if err != nil {
			rs.Close()
			return nil, err
		}
		out = append(out, c)
	}
	err = rs.Err()
	rs.Close()
	if err != nil {
		return nil, fmt.Errorf("find caregivers: %w", err)
	}
	if err := loadCaregiverContacts(ctx, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

func scanCaregiver(rs rows) (*rapport.Caregiver, error) {
	c := &rapport.Caregiver{}
	var pid, idents, scope, consent, consentSource, revokedBy string
	if err := rs.Scan(&c.ID, &pid, &idents, &c.Given, &c.Family, &c.Relationship.System, &c.Relationship.Code, &c.Relationship.Display,
		&c.Language, &scope, &consent, timeOf{&c.ConsentAt}, &consentSource, timeOf{&c.PeriodStart}, timeOf{&c.PeriodEnd},
		timeOf{&c.RevokedAt}, &revokedBy, &c.RevokeReason, timeOf{&c.CreatedAt}, timeOf{&c.UpdatedAt}, timeOf{&c.OptedOutAt}); err != nil {
		return nil, fmt.Errorf("scan caregiver: %w", err)
	}
	if idents != "" {
		if err := json.Unmarshal([]byte(idents), &c.Identifiers); err != nil {
			return nil, fmt.Errorf("caregiver %s identifiers: %w", c.ID, err)
		}
	}
	c.PatientID, c.Scope, c.Consent = rapport.PatientID(pid), rapport.CaregiverScope(scope), rapport.CaregiverConsent(consent)
	c.ConsentSource, c.RevokedBy = rapport.ContactSource(consentSource), rapport.ContactSource(revokedBy)
	return c, nil
}
