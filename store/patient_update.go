package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// PatientUpdate is one patient's new state and the stored one it replaces
// (with its identifiers and contact points, as FindPatientsByID reads it).
type PatientUpdate struct {
	New, Old *rapport.Patient
}

// UpdatePatients is [Tx.UpdatePatient] for many patients at once, given
// their stored state: identifiers are replaced and contact points merged
// with a few statements for the whole batch instead of reads and writes per
// patient (a nightly import changes thousands). Each patient appears once.
// Unlike UpdatePatient it does not read the contact points back (that was
// a twentieth of a nightly import's time): New.Contacts stay as the source
// listed them, the new ones with their ids.
func (tx *Tx) UpdatePatients(ctx context.Context, us []PatientUpdate) error {
	if len(us) == 0 {
		return nil
	}
	ps := make([]*rapport.Patient, len(us))
	for i, u := range us {
		if u.New.ID != u.Old.ID {
			return fmt.Errorf("update patients: new %s, stored %s", u.New.ID, u.Old.ID)
		}
		ps[i] = u.New
	}
	if err := tx.updatePatientRows(ctx, ps); err != nil {
		return err
	}
	if err := tx.changeIdentifiers(ctx, us); err != nil {
		return err
	}
	var m contactMerge
	for _, u := range us {
		if err := tx.mergeContacts(ctx, u.New, u.Old.Contacts, &m); err != nil {
			return err
		}
	}
	return tx.applyMerge(ctx, &m)
}

// patientRowUpdate writes a patient's own columns, as updatePatientRow does.
var patientRowUpdate = rowUpdate{
	table: "patients",
	keys:  []string{"id"},
	cols: []string{"given", "family", "birth_date", "sex", "language", "time_zone", "address", "postal_code",
		"rural BOOLEAN", "internet_access BOOLEAN", "deceased BOOLEAN", "preferred_channel", "ruca INTEGER", "rural_stated BOOLEAN"},
	also: "updated_at = ?",
}

// updatePatientRows writes the own columns of ps, many patients a
// statement.
func (tx *Tx) updatePatientRows(ctx context.Context, ps []*rapport.Patient) error {
	n, err := updateRows(ctx, tx.q, patientRowUpdate, []any{tx.now}, len(ps), func(i int, a []any) []any {
		p := ps[i]
		p.UpdatedAt = tx.now
		return append(a, string(p.ID), p.Given, p.Family, p.BirthDate, string(p.Sex), p.Language, p.TimeZone, mustJSON(p.Address),
			p.Address.PostalCode, p.Rural, bnull(p.InternetAccess), p.Deceased, string(p.PreferredChannel), p.RUCA, p.RuralStated)
	})
	if err != nil {
		return fmt.Errorf("update patients: %w", err)
	} else if n != int64(len(ps)) {
		return rapport.Errorf(rapport.ENOTFOUND, "update patients: %d of %d not found", int64(len(ps))-n, len(ps))
	}
	return nil
}

// changeIdentifiers writes the difference between each patient's stored
// identifiers and its new ones (as insertIdentifiers stores them: the
// first of a repeated system and value wins): each row written touches a
// random page of the (system, value) index, and a CRM's export adds its
// own id to the EHR's two or three, which a rewrite of them all wrote
// again.
func (tx *Tx) changeIdentifiers(ctx context.Context, us []PatientUpdate) error {
	type key struct{ system, value string }
	var added []*rapport.Patient // each with only its added identifiers
	for _, u := range us {
		stored := map[key]string{} // → type
		for _, id := range u.Old.Identifiers {
			if _, ok := stored[key{id.System, id.Value}]; !ok {
				stored[key{id.System, id.Value}] = id.Type
			}
		}
		var add []rapport.Identifier
		kept := map[key]bool{}
		for _, id := range u.New.Identifiers {
			k := key{id.System, id.Value}
			if kept[k] {
				continue
			}
			kept[k] = true
			typ, ok := stored[k]
			switch {
			case !ok:
				add = append(add, id)
			case typ != id.Type:
				if _, err := tx.q.exec(ctx, "UPDATE patient_identifiers SET type = ? WHERE patient_id = ? AND system = ? AND value = ?",
					id.Type, string(u.New.ID), id.System, id.Value); err != nil {
					return fmt.Errorf("update patient identifiers: %w", err)
				}
			}
		}
		for _, id := range u.Old.Identifiers {
			if k := (key{id.System, id.Value}); !kept[k] {
				kept[k] = true // a repeat in Old is deleted once
				if _, err := tx.q.exec(ctx, "DELETE FROM patient_identifiers WHERE patient_id = ? AND system = ? AND value = ?",
					string(u.New.ID), id.System, id.Value); err != nil {
					return fmt.Errorf("update patient identifiers: %w", err)
				}
			}
		}
		if len(add) > 0 {
			added = append(added, &rapport.Patient{ID: u.New.ID, Identifiers: add})
		}
	}
	return tx.insertIdentifiers(ctx, added)
}
