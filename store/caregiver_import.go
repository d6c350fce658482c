package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// ImportedCaregiver is a caregiver in force that a source sent, with the
// source's id of the RelatedPerson it came from.
type ImportedCaregiver struct {
	ID         string
	PatientID  rapport.PatientID
	ResourceID string
}

// FindImportedCaregivers returns the caregivers of the patients pids that
// source sent as RelatedPersons and that are not revoked: those a new
// list from the source may end. One query per few hundred patients.
func (tx *Tx) FindImportedCaregivers(ctx context.Context, source string, pids []rapport.PatientID) ([]ImportedCaregiver, error) {
	var out []ImportedCaregiver
	err := chunked(pids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT c.id, c.patient_id, s.resource_id FROM caregivers c JOIN source_records s "+
			"ON s.entity_id = c.id AND s.resource_type = 'RelatedPerson' AND s.source = ? WHERE c.revoked_at IS NULL AND c.patient_id IN ("+in+")",
			append([]any{source}, args...)...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var c ImportedCaregiver
			var pid string
			if err := rs.Scan(&c.ID, &pid, &c.ResourceID); err != nil {
				return err
			}
			c.PatientID = rapport.PatientID(pid)
			out = append(out, c)
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find imported caregivers of %s: %w", source, err)
	}
	return out, nil
}
