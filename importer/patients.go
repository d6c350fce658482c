package importer

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/verify"
)

// patientWrite is one patient record and what the batch decided for it.
type patientWrite struct {
	r    *record
	p    *rapport.Patient
	hash string
	// existing is the rapport patient this record updates ("" creates one);
	// linked says this very record was imported before, into existing.
	existing rapport.PatientID
	linked   bool
	// clashes are other patients that share an identifier with a new one;
	// clashesInBatch are new ones of the same batch (their ids come later).
	clashes        []rapport.PatientID
	clashesInBatch []*patientWrite
}

// writePatients creates, updates or skips patient records and returns the
// rapport id of every patient of the batch, by source resource id.
func (b *batch) writePatients(ctx context.Context, recs []*record) (map[string]rapport.PatientID, error) {
	known := make(map[string]rapport.PatientID, len(recs))
	if len(recs) == 0 {
		return known, nil
	}
	src := b.im.source()
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.id
	}
	links := map[string]store.SourceRecord{}
	if !b.bulk || b.written.anyID(ids) {
		var err error
		if links, err = b.tx.FindSourceRecords(ctx, src, "Patient", ids); err != nil {
			return nil, err
		}
	}
	var writes, fresh []*patientWrite
	for _, r := range recs {
		p := r.data.(*rapport.Patient)
		w := &patientWrite{r: r, p: p, hash: r.hash}
		link, linked := links[r.id]
		if linked && link.ContentHash == w.hash {
			known[r.id] = rapport.PatientID(link.EntityID)
			r.sum.counts("Patient").Unchanged++
			continue
		}
		if r.invalid != nil {
			if err := b.reject("Patient", r.where, r.invalid); err != nil {
				return nil, err
			}
			continue
		}
		if linked {
			known[r.id] = rapport.PatientID(link.EntityID)
			w.existing, w.linked = rapport.PatientID(link.EntityID), true
		} else {
			fresh = append(fresh, w)
		}
		writes = append(writes, w)
	}
	if err := b.matchByIdentifier(ctx, fresh, writes); err != nil {
		return nil, err
	}

	var creates []*rapport.Patient
	var events []rapport.Event
	var newLinks, relinks []store.SourceRecord
	for _, w := range writes {
		if w.existing == "" {
			if w.p.ID == "" {
				w.p.ID = rapport.PatientID(b.im.newID())
			}
			creates = append(creates, w.p)
		}
	}
	if err := b.tx.CreatePatients(ctx, creates); err != nil {
		return nil, fmt.Errorf("%s: %w", b.file, err)
	}
	changes, err := b.updatePatients(ctx, writes)
	if err != nil {
		return nil, err
	}
	for _, w := range writes {
		if w.existing == "" {
			w.r.sum.counts("Patient").Created++
			events = append(events, b.event(rapport.EventRecordCreated, w.p.ID, w.r, nil))
			for _, o := range w.clashesInBatch {
				// o may be the stored patient w found by identifier: o was
				// that patient seen through another system. One pair, once.
				if !slices.Contains(w.clashes, o.p.ID) {
					w.clashes = append(w.clashes, o.p.ID)
				}
			}
			for _, other := range w.clashes {
				if err := b.tx.AddPossibleDuplicate(ctx, w.p.ID, other, "shares an identifier with a different source record"); err != nil {
					return nil, err
				}
				w.r.sum.PossibleDuplicates++
			}
		} else {
			w.r.sum.counts("Patient").Updated++
			events = append(events, b.event(rapport.EventRecordUpdated, w.p.ID, w.r, changes[w]))
		}
		known[w.r.id] = w.p.ID
		link := store.SourceRecord{Source: src, ResourceType: "Patient", ResourceID: w.r.id, EntityID: string(w.p.ID), ContentHash: w.hash}
		if w.linked {
			relinks = append(relinks, link)
		} else {
			newLinks = append(newLinks, link)
		}
		if b.bulk {
			b.written.addID(w.r.id)
			for _, id := range w.p.Identifiers {
				b.written.addIdent(identKey(id))
			}
		}
	}
	if err := b.tx.PutSourceRecords(ctx, newLinks); err != nil {
		return nil, err
	}
	if err := b.tx.UpdateSourceRecords(ctx, relinks); err != nil {
		return nil, err
	}
	if err := b.audit(ctx, writes); err != nil {
		return nil, err
	}
	return known, b.tx.AppendEvents(ctx, events...)
}

// audit records, when the import has an actor, who created or updated
// each written patient.
func (b *batch) audit(ctx context.Context, writes []*patientWrite) error {
	if b.im.Actor == nil || len(writes) == 0 {
		return nil
	}
	as := make([]rapport.Audit, len(writes))
	for i, w := range writes {
		action := "update"
		if w.existing == "" {
			action = "create"
		}
		as[i] = rapport.Audit{Actor: *b.im.Actor, Action: action, Resource: "Patient/" + string(w.p.ID), PatientID: w.p.ID}
	}
	return b.tx.AppendAudit(ctx, as...)
}

// matchByIdentifier looks for patients that already carry an identifier of a
// record new to this source. One such patient, born the same day (or with no
// birth date on either side) and not linked to another record of this source,
// is the same person seen through another system: the record updates it.
// Anyone else sharing an identifier is a different person with a clashing
// identifier (a mother and child with one SSN): the record makes a new
// patient and the pair is reported as a possible duplicate.
//
// writes are the batch's writes in file order, fresh ones among them: a
// stored patient that a write earlier in the batch updates is judged by the
// identifiers it will then hold, as if the batch's records were written one
// after the other. (A fresh record found to be a stored patient takes that
// patient's place with its own identifiers too; records after it are
// judged by the stored ones.)
func (b *batch) matchByIdentifier(ctx context.Context, fresh, writes []*patientWrite) error {
	var idents []rapport.Identifier
	for _, w := range fresh {
		for _, id := range w.p.Identifiers {
			idents = append(idents, identKey(id))
		}
	}
	if len(idents) == 0 {
		return nil
	}
	found := map[rapport.Identifier][]rapport.PatientID{}
	if !b.bulk || b.written.anyIdent(idents) {
		var err error
		if found, err = b.tx.FindPatientsByIdentifier(ctx, idents); err != nil {
			return err
		}
	}
	// inBatch holds, for each identifier, the fresh records before w with it.
	inBatch := map[rapport.Identifier][]*patientWrite{}
	var checks []*patientWrite // one candidate each: the same person?
	held := newHolders(found)
	for _, w := range writes {
		if w.linked {
			held.update(w.existing, w.p.Identifiers)
			continue
		}
		var cands []rapport.PatientID
		for _, id := range w.p.Identifiers {
			k := identKey(id)
			for _, o := range inBatch[k] {
				if o != w && !slices.Contains(w.clashesInBatch, o) {
					w.clashesInBatch = append(w.clashesInBatch, o)
				}
			}
			inBatch[k] = append(inBatch[k], w)
			for _, pid := range held.of(k) {
				if !slices.Contains(cands, pid) {
					cands = append(cands, pid)
				}
			}
		}
		if len(cands) == 0 {
			continue
		}
		w.clashes = cands // unless w's one candidate is w (samePeople)
		if len(cands) == 1 && len(w.clashesInBatch) == 0 {
			checks = append(checks, w)
		}
	}
	same, err := b.samePeople(ctx, checks)
	if err != nil {
		return err
	}
	for _, w := range checks {
		if same[w] {
			w.existing, w.clashes = w.clashes[0], nil
		}
	}
	return nil
}

// holders tells who holds an identifier at a point of a batch read in file
// order: the stored patients found with it, as the batch's updates before
// that point leave them.
type holders struct {
	found   map[rapport.Identifier][]rapport.PatientID
	updated map[rapport.PatientID]map[rapport.Identifier]bool // each updated patient's identifiers now
	gained  map[rapport.Identifier][]rapport.PatientID        // the updated patients with each
}

func newHolders(found map[rapport.Identifier][]rapport.PatientID) *holders {
	return &holders{found: found, updated: map[rapport.PatientID]map[rapport.Identifier]bool{}, gained: map[rapport.Identifier][]rapport.PatientID{}}
}

// update records that the stored patient pid now holds ids alone.
func (h *holders) update(pid rapport.PatientID, ids []rapport.Identifier) {
	now := map[rapport.Identifier]bool{}
	for _, id := range ids {
		k := identKey(id)
		now[k] = true
		h.gained[k] = append(h.gained[k], pid)
	}
	h.updated[pid] = now
}

// of returns the stored patients holding k now, perhaps more than once.
func (h *holders) of(k rapport.Identifier) []rapport.PatientID {
	var out []rapport.PatientID
	for _, pid := range slices.Concat(h.found[k], h.gained[k]) {
		if now, ok := h.updated[pid]; !ok || now[k] {
			out = append(out, pid)
		}
	}
	return out
}

// identKey is an identifier as lookups key it: system and value, no type.
func identKey(id rapport.Identifier) rapport.Identifier {
	return rapport.Identifier{System: id.System, Value: id.Value}
}

// samePeople says which of the writes (each with one candidate in
// clashes) are their candidate seen through another system: not linked to
// another record of this source, and born the same day (or with no birth
// date on either side). Two queries for the batch.
func (b *batch) samePeople(ctx context.Context, ws []*patientWrite) (map[*patientWrite]bool, error) {
	same := map[*patientWrite]bool{}
	if b.bulk || len(ws) == 0 {
		// The database held no patients when the file began: every patient
		// in it was made by this file, linked to a record of this source.
		return same, nil
	}
	ids := make([]rapport.PatientID, len(ws))
	for i, w := range ws {
		ids[i] = w.clashes[0]
	}
	linked, err := b.tx.LinkedToSource(ctx, b.im.source(), ids)
	if err != nil {
		return nil, err
	}
	// The birth date is all it compares: the rows alone, not the identifiers
	// and contact points of the whole patients (whose reading was 12% of a
	// live feed's request in a profile).
	others, err := b.tx.FindPatientsBare(ctx, ids)
	if err != nil {
		return nil, err
	}
	born := make(map[rapport.PatientID]string, len(others))
	for _, o := range others {
		born[o.ID] = o.BirthDate
	}
	for _, w := range ws {
		cand := w.clashes[0]
		if linked[cand] {
			continue // another record of this very source: a different resource
		}
		birth, ok := born[cand]
		if !ok {
			return nil, fmt.Errorf("patient %s, found by identifier, is gone", cand)
		}
		same[w] = w.p.BirthDate == "" || birth == "" || w.p.BirthDate == birth
	}
	return same, nil
}

// updatePatient writes a changed patient over the stored one and returns the
// names of the fields that changed.
// updatePatients updates the stored patients of the writes that have one,
// and returns each write's changed fields. The stored patients are read in
// one query and written together ([store.Tx.UpdatePatients]); a batch in
// which two records update one patient goes one by one, each seeing the
// last.
func (b *batch) updatePatients(ctx context.Context, writes []*patientWrite) (map[*patientWrite][]string, error) {
	var ups []*patientWrite
	seen := map[rapport.PatientID]bool{}
	twice := false
	for _, w := range writes {
		if w.existing != "" {
			ups = append(ups, w)
			twice = twice || seen[w.existing]
			seen[w.existing] = true
		}
	}
	changes := make(map[*patientWrite][]string, len(ups))
	if len(ups) == 0 {
		return changes, nil
	}
	if b.bulk { // a resource repeated in the file: reading the stored patient needs the indexes
		if err := b.tx.EndBulkLoad(ctx); err != nil {
			return nil, err
		}
		b.bulk, b.written = false, nil
	}
	if twice {
		for _, w := range ups {
			changed, err := b.updatePatient(ctx, w)
			if err != nil {
				return nil, err
			}
			changes[w] = changed
		}
		return changes, nil
	}
	ids := make([]rapport.PatientID, len(ups))
	for i, w := range ups {
		ids[i] = w.existing
	}
	olds, err := b.tx.FindPatientsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[rapport.PatientID]*rapport.Patient, len(olds))
	for _, o := range olds {
		byID[o.ID] = o
	}
	us := make([]store.PatientUpdate, len(ups))
	for i, w := range ups {
		old := byID[w.existing]
		if old == nil {
			return nil, fmt.Errorf("%s: %w", w.r.where, rapport.Errorf(rapport.ENOTFOUND, "patient %s not found", w.existing))
		}
		w.p.ID = w.existing
		changes[w] = changedFields(old, w.p)
		us[i] = store.PatientUpdate{New: w.p, Old: old}
	}
	if err := b.tx.UpdatePatients(ctx, us); err != nil {
		return nil, fmt.Errorf("%s: %w", b.file, err)
	}
	return changes, nil
}

// updatePatient updates one stored patient, reading it first.
func (b *batch) updatePatient(ctx context.Context, w *patientWrite) ([]string, error) {
	old, err := b.tx.FindPatientByID(ctx, w.existing)
	if err != nil {
		return nil, err
	}
	w.p.ID = w.existing
	if err := b.tx.UpdatePatient(ctx, w.p); err != nil {
		return nil, fmt.Errorf("%s: %w", w.r.where, err)
	}
	return changedFields(old, w.p), nil
}

// verifyContacts judges a patient's contact points, address and rurality
// ([verify.Patient]), by the record's own rule when its reader has one.
func (im *Importer) verifyContacts(r *record, p *rapport.Patient, now time.Time) {
	if r.verify != nil {
		r.verify(p, now)
		return
	}
	for i := range p.Contacts {
		if p.Contacts[i].Source == "" {
			p.Contacts[i].Source = rapport.SourceImport
		}
	}
	verify.Patient(p, im.region(), now)
}
