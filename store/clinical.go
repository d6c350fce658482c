package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// refText encodes an unresolved reference for the *_ref columns, so that a
// later pass can resolve references to resources imported afterwards.
func refText(r rapport.Ref) string {
	switch {
	case r.ResourceID != "":
		return "id:" + r.Source + "|" + r.ResourceID
	case r.Identifier != nil:
		return "identifier:" + r.Identifier.System + "|" + r.Identifier.Value
	}
	return ""
}

// SaveCondition inserts or replaces a condition, assigning an id when it has none.
func (tx *Tx) SaveCondition(ctx context.Context, c *rapport.Condition) error {
	return tx.SaveConditions(ctx, []*rapport.Condition{c})
}

// SaveConditions inserts or replaces conditions with distinct ids.
func (tx *Tx) SaveConditions(ctx context.Context, cs []*rapport.Condition) error {
	err := tx.upsertRows(ctx, "conditions", []string{"id", "patient_id", "code_system", "code", "display", "clinical_status", "onset", "abatement"}, len(cs),
		func(i int, a []any) []any {
			c := cs[i]
			if c.ID == "" {
				c.ID = newID()
			}
			return append(a, c.ID, string(c.PatientID), c.Code.System, c.Code.Code, c.Code.Display, c.ClinicalStatus, tnull(c.Onset), tnull(c.Abatement))
		})
	if err != nil {
		return fmt.Errorf("save conditions: %w", err)
	}
	return nil
}

// SaveEncounter inserts or replaces an encounter.
func (tx *Tx) SaveEncounter(ctx context.Context, e *rapport.Encounter) error {
	return tx.SaveEncounters(ctx, []*rapport.Encounter{e})
}

// SaveEncounters inserts or replaces encounters with distinct ids.
func (tx *Tx) SaveEncounters(ctx context.Context, es []*rapport.Encounter) error {
	err := tx.upsertRows(ctx, "encounters", []string{"id", "patient_id", "status", "class", "type_system", "type_code", "type_display",
		"start_at", "end_at", "practitioner_id", "location_id", "practitioner_ref", "location_ref"}, len(es), func(i int, a []any) []any {
		e := es[i]
		if e.ID == "" {
			e.ID = newID()
		}
		return append(a, e.ID, string(e.PatientID), e.Status, e.Class, e.Type.System, e.Type.Code, e.Type.Display, tnull(e.Start), tnull(e.End),
			snull(e.PractitionerID), snull(e.LocationID), refText(e.Practitioner), refText(e.Location))
	})
	if err != nil {
		return fmt.Errorf("save encounters: %w", err)
	}
	return nil
}

// SaveAppointment inserts or replaces an appointment.
func (tx *Tx) SaveAppointment(ctx context.Context, a *rapport.Appointment) error {
	if a.ID == "" {
		a.ID = newID()
	}
	err := tx.upsert(ctx, "appointments", []string{"id", "patient_id", "status", "description", "service_system", "service_code", "service_display",
		"start_at", "end_at", "practitioner_id", "location_id", "practitioner_ref", "location_ref"},
		a.ID, string(a.PatientID), a.Status, a.Description, a.ServiceType.System, a.ServiceType.Code, a.ServiceType.Display,
		tnull(a.Start), tnull(a.End), snull(a.PractitionerID), snull(a.LocationID), refText(a.Practitioner), refText(a.Location))
	if err != nil {
		return fmt.Errorf("save appointment: %w", err)
	}
	return nil
}

// SaveMedicationRequest inserts or replaces a prescription.
func (tx *Tx) SaveMedicationRequest(ctx context.Context, m *rapport.MedicationRequest) error {
	return tx.SaveMedicationRequests(ctx, []*rapport.MedicationRequest{m})
}

// SaveMedicationRequests inserts or replaces prescriptions with distinct ids.
func (tx *Tx) SaveMedicationRequests(ctx context.Context, ms []*rapport.MedicationRequest) error {
	err := tx.upsertRows(ctx, "medication_requests", []string{"id", "patient_id", "status", "intent", "drug_system", "drug_code", "drug_name",
		"authored_on", "dosage", "days_supply", "quantity", "refills", "practitioner_id", "practitioner_ref"}, len(ms), func(i int, a []any) []any {
		m := ms[i]
		if m.ID == "" {
			m.ID = newID()
		}
		return append(a, m.ID, string(m.PatientID), m.Status, m.Intent, m.Medication.System, m.Medication.Code, m.Medication.Display,
			tnull(m.AuthoredOn), mustJSON(m.Dosage), m.DaysSupply, m.Quantity, m.Refills, snull(m.PractitionerID), refText(m.Practitioner))
	})
	if err != nil {
		return fmt.Errorf("save medication requests: %w", err)
	}
	return nil
}

// SaveMedicationDispense inserts or replaces a dispense.
func (tx *Tx) SaveMedicationDispense(ctx context.Context, d *rapport.MedicationDispense) error {
	return tx.SaveMedicationDispenses(ctx, []*rapport.MedicationDispense{d})
}

// SaveMedicationDispenses inserts or replaces dispenses with distinct ids.
func (tx *Tx) SaveMedicationDispenses(ctx context.Context, ds []*rapport.MedicationDispense) error {
	err := tx.upsertRows(ctx, "medication_dispenses", []string{"id", "patient_id", "request_id", "request_ref", "status", "drug_system", "drug_code",
		"drug_name", "quantity", "days_supply", "prepared", "handed_over"}, len(ds), func(i int, a []any) []any {
		d := ds[i]
		if d.ID == "" {
			d.ID = newID()
		}
		return append(a, d.ID, string(d.PatientID), snull(d.RequestID), refText(d.Request), d.Status, d.Medication.System, d.Medication.Code,
			d.Medication.Display, d.Quantity, d.DaysSupply, tnull(d.Prepared), tnull(d.HandedOver))
	})
	if err != nil {
		return fmt.Errorf("save medication dispenses: %w", err)
	}
	return tx.checkRefills(ctx, ds)
}

// SavePractitioner inserts or replaces a practitioner and indexes its identifiers.
func (tx *Tx) SavePractitioner(ctx context.Context, p *rapport.Practitioner) error {
	if p.ID == "" {
		p.ID = newID()
	}
	err := tx.upsert(ctx, "practitioners", []string{"id", "given", "family", "prefix", "phone", "email", "identifiers"},
		p.ID, p.Given, p.Family, p.Prefix, p.Phone, p.Email, mustJSON(p.Identifiers))
	if err != nil {
		return fmt.Errorf("save practitioner: %w", err)
	}
	return tx.indexIdentifiers(ctx, "Practitioner", p.ID, p.Identifiers)
}

// SaveLocation inserts or replaces a location and indexes its identifiers.
func (tx *Tx) SaveLocation(ctx context.Context, l *rapport.Location) error {
	if l.ID == "" {
		l.ID = newID()
	}
	err := tx.upsert(ctx, "locations", []string{"id", "name", "address", "phone", "latitude", "longitude", "identifiers"},
		l.ID, l.Name, mustJSON(l.Address), l.Phone, l.Latitude, l.Longitude, mustJSON(l.Identifiers))
	if err != nil {
		return fmt.Errorf("save location: %w", err)
	}
	return tx.indexIdentifiers(ctx, "Location", l.ID, l.Identifiers)
}

func (tx *Tx) indexIdentifiers(ctx context.Context, resourceType, entityID string, ids []rapport.Identifier) error {
	if _, err := tx.q.exec(ctx, "DELETE FROM resource_identifiers WHERE resource_type = ? AND entity_id = ?", resourceType, entityID); err != nil {
		return fmt.Errorf("index %s identifiers: %w", resourceType, err)
	}
	seen := map[rapport.Identifier]bool{}
	var uniq []rapport.Identifier
	for _, id := range ids {
		k := rapport.Identifier{System: id.System, Value: id.Value}
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	err := insertRows(ctx, tx.q, "INSERT INTO resource_identifiers (resource_type, system, value, entity_id) VALUES ", "", 4, len(uniq),
		func(i int, a []any) []any {
			return append(a, same{resourceType}, uniq[i].System, uniq[i].Value, same{entityID})
		})
	if err != nil {
		return fmt.Errorf("index %s identifiers: %w", resourceType, err)
	}
	return nil
}
