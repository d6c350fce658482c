package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

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
	var reidentified []*rapport.Patient
	for i, u := range us {
		if u.New.ID != u.Old.ID {
			return fmt.Errorf("update patients: new %s, stored %s", u.New.ID, u.Old.ID)
		}
		ps[i] = u.New
		// Identifiers the source left as they were are not rewritten: each
		// rewrite touches a random page of the (system, value) index.
		if !sameIdentifiers(u.Old.Identifiers, u.New.Identifiers) {
			reidentified = append(reidentified, u.New)
		}
	}
	if err := tx.updatePatientRows(ctx, ps); err != nil {
		return err
	}
	if err := tx.replaceIdentifiers(ctx, reidentified); err != nil {
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

// replaceIdentifiers deletes the stored identifiers of ps and inserts
// their new ones.
func (tx *Tx) replaceIdentifiers(ctx context.Context, ps []*rapport.Patient) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]rapport.PatientID, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	if err := chunked(ids, func(in string, args []any) error {
		_, err := tx.q.exec(ctx, "DELETE FROM patient_identifiers WHERE patient_id IN ("+in+")", args...)
		return err
	}); err != nil {
		return fmt.Errorf("update patient identifiers: %w", err)
	}
	return tx.insertIdentifiers(ctx, ps)
}

// sameIdentifiers reports whether writing upd's identifiers (as
// insertIdentifiers does: the first of a repeated system and value wins)
// would store exactly the stored ones.
func sameIdentifiers(stored, upd []rapport.Identifier) bool {
	type ident struct{ system, value, typ string }
	norm := func(ids []rapport.Identifier) []ident {
		out := make([]ident, 0, len(ids))
		for _, id := range ids {
			if !slices.ContainsFunc(out, func(o ident) bool { return o.system == id.System && o.value == id.Value }) {
				out = append(out, ident{id.System, id.Value, id.Type})
			}
		}
		slices.SortFunc(out, func(a, b ident) int {
			return cmp.Or(cmp.Compare(a.system, b.system), cmp.Compare(a.value, b.value))
		})
		return out
	}
	return slices.Equal(norm(stored), norm(upd))
}
