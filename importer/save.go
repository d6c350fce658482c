package importer

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
)

// save writes one non-patient record under id (new when "") for patient pid,
// resolving its references, and returns its rapport id.
func (b *batch) save(ctx context.Context, r *record, pid rapport.PatientID, id string) (string, error) {
	var err error
	switch d := r.data.(type) {
	case *rapport.Condition:
		d.ID, d.PatientID = b.orNew(id), pid
		b.pend.conditions = append(b.pend.conditions, d)
		id = d.ID
	case *rapport.Encounter:
		d.ID, d.PatientID = id, pid
		if d.PractitionerID, err = b.ref(ctx, "Practitioner", &d.Practitioner); err != nil {
			return "", err
		}
		if d.LocationID, err = b.ref(ctx, "Location", &d.Location); err != nil {
			return "", err
		}
		d.ID = b.orNew(d.ID)
		b.pend.encounters = append(b.pend.encounters, d)
		id = d.ID
	case *rapport.Appointment:
		d.ID, d.PatientID = id, pid
		if d.PractitionerID, err = b.ref(ctx, "Practitioner", &d.Practitioner); err != nil {
			return "", err
		}
		if d.LocationID, err = b.ref(ctx, "Location", &d.Location); err != nil {
			return "", err
		}
		err = b.tx.SaveAppointment(ctx, d)
		id = d.ID
	case *rapport.MedicationRequest:
		d.ID, d.PatientID = id, pid
		if d.PractitionerID, err = b.ref(ctx, "Practitioner", &d.Practitioner); err != nil {
			return "", err
		}
		d.ID = b.orNew(d.ID)
		b.pend.requests = append(b.pend.requests, d)
		id = d.ID
	case *rapport.MedicationDispense:
		d.ID, d.PatientID = id, pid
		if d.RequestID, err = b.ref(ctx, "MedicationRequest", &d.Request); err != nil {
			return "", err
		}
		d.ID = b.orNew(d.ID)
		b.pend.dispenses = append(b.pend.dispenses, d)
		id = d.ID
	case *rapport.Caregiver:
		id = b.saveCaregiver(d, pid, id, r.consentDated)
	case *rapport.Practitioner:
		d.ID = id
		err = b.tx.SavePractitioner(ctx, d)
		id = d.ID
	case *rapport.Location:
		d.ID = id
		err = b.tx.SaveLocation(ctx, d)
		id = d.ID
	default:
		return "", fmt.Errorf("importer: no writer for %T", r.data)
	}
	return id, err
}

// ref resolves a reference to a practitioner, location or prescription of
// this source, caching answers for the file. An unresolved reference is kept
// and resolved after the file, when what it names may have arrived.
func (b *batch) ref(ctx context.Context, typ string, r *rapport.Ref) (string, error) {
	if r.IsZero() {
		return "", nil
	}
	if r.ResourceID != "" && r.Source == "" {
		r.Source = b.im.source()
	}
	key := typ + "\x00" + r.Source + "\x00" + r.ResourceID
	if r.Identifier != nil {
		key += "\x00" + r.Identifier.System + "\x00" + r.Identifier.Value
	}
	if id, ok := b.refs[key]; ok {
		return id, nil
	}
	id, ok, err := b.tx.ResolveRef(ctx, typ, *r)
	if err != nil {
		return "", err
	}
	if ok { // only cache hits: a miss may resolve once the resource arrives
		b.refs[key] = id
	}
	return id, nil
}

// pending holds the clinical records of a batch until they are written
// together, in multi-row statements, in an order that satisfies foreign
// keys (prescriptions before their dispenses).
type pending struct {
	conditions []*rapport.Condition
	encounters []*rapport.Encounter
	requests   []*rapport.MedicationRequest
	dispenses  []*rapport.MedicationDispense
	caregivers []*rapport.Caregiver
	// reimported holds the ids of caregivers the source sent before;
	// consentDated those of them whose consent the import dated.
	reimported, consentDated map[string]bool
}

// writePending writes the batch's pending clinical records.
func (b *batch) writePending(ctx context.Context) error {
	p := &b.pend
	if err := b.tx.SaveConditions(ctx, p.conditions); err != nil {
		return err
	}
	if err := b.tx.SaveEncounters(ctx, p.encounters); err != nil {
		return err
	}
	if err := b.tx.SaveMedicationRequests(ctx, p.requests); err != nil {
		return err
	}
	// Regimens follow the prescriptions, proposed for staff to start: an
	// import never starts reminding by itself.
	rc, err := reminders.FromRequests(ctx, b.tx, p.requests)
	if err != nil {
		return err
	}
	b.sum.Regimens.Add(rc)
	if err := b.tx.SaveMedicationDispenses(ctx, p.dispenses); err != nil {
		return err
	}
	if err := b.writeCaregivers(ctx); err != nil {
		return err
	}
	*p = newPending()
	return nil
}

func newPending() pending {
	return pending{reimported: map[string]bool{}, consentDated: map[string]bool{}}
}

// orNew is id, or a new one when it is empty.
func (b *batch) orNew(id string) string {
	if id == "" {
		return b.im.newID()
	}
	return id
}
