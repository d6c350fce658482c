package importer

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// caregiverLists is what one file says of its patients' caregivers: a
// patient whose caregivers the file lists wholly (a CSV row with caregiver
// columns; any patient of a full export, see [Importer.FullExport]) has
// exactly those, from this source; a RelatedPerson the file deletes has
// ended. Any other file says nothing of caregivers it leaves out: a delta
// or a live feed's Bundle holds only what changed.
type caregiverLists struct {
	patients map[rapport.PatientID]bool // whose caregivers the file lists wholly
	named    map[rapport.PatientID]bool // every patient a full export holds
	listed   map[string]bool            // RelatedPerson source ids the file lists
	deleted  []string                   // RelatedPerson source ids the file deletes
}

func newCaregiverLists() caregiverLists {
	return caregiverLists{patients: map[rapport.PatientID]bool{}, named: map[rapport.PatientID]bool{}, listed: map[string]bool{}}
}

// list notes that the file lists RelatedPerson id as pid's; a full export
// lists all of pid's.
func (l *caregiverLists) list(pid rapport.PatientID, id string, full bool) {
	l.listed[id] = true
	if full {
		l.patients[pid] = true
	}
}

// wholly returns the patients whose caregivers the file lists wholly: with
// a full export that holds any RelatedPerson, every patient it holds.
func (l *caregiverLists) wholly() map[rapport.PatientID]bool {
	if len(l.listed) == 0 && len(l.deleted) == 0 {
		return l.patients
	}
	for pid := range l.named {
		l.patients[pid] = true
	}
	return l.patients
}

// delete notes a resource the source deleted; only RelatedPersons matter here.
func (l *caregiverLists) delete(typ, id string) {
	if typ == "RelatedPerson" {
		l.deleted = append(l.deleted, id)
	}
}

// endUnlisted ends, at the file's end, the caregivers this source sent
// before that the file no longer lists for their patient, and those it
// deleted: revoked by the import with the reason, in the ledger, so that
// no alert goes to them. Their source link is marked changed, so that the
// source listing them again (the same content) lifts the revocation, as
// [rapport.Caregiver.Reimported] allows for the import's own.
func (b *batch) endUnlisted(ctx context.Context) error {
	l := &b.lists
	src := b.im.source()
	ends := map[string]string{} // caregiver id → reason
	var links []store.SourceRecord
	if len(l.deleted) > 0 {
		found, err := b.tx.FindSourceRecords(ctx, src, "RelatedPerson", l.deleted)
		if err != nil {
			return err
		}
		for _, s := range found {
			ends[s.EntityID] = "deleted in " + src
			links = append(links, s)
		}
	}
	if wholly := l.wholly(); len(wholly) > 0 && !b.bulk { // a bulk load found nothing stored before it
		pids := make([]rapport.PatientID, 0, len(wholly))
		for pid := range wholly {
			pids = append(pids, pid)
		}
		cgs, err := b.tx.FindImportedCaregivers(ctx, src, pids)
		if err != nil {
			return err
		}
		for _, c := range cgs {
			if !l.listed[c.ResourceID] && ends[c.ID] == "" {
				ends[c.ID] = "no longer listed by " + src
				links = append(links, store.SourceRecord{Source: src, ResourceType: "RelatedPerson", ResourceID: c.ResourceID, EntityID: c.ID})
			}
		}
	}
	ended := 0
	for _, s := range links {
		_, err := b.tx.RevokeCaregiver(ctx, s.EntityID, rapport.SourceImport, ends[s.EntityID])
		switch rapport.ErrorCode(err) {
		case "":
			ended++
		case rapport.ECONFLICT, rapport.ENOTFOUND: // ended already, or never saved
		default:
			return fmt.Errorf("end caregiver %s: %w", s.EntityID, err)
		}
	}
	for i := range links {
		links[i].ContentHash = "" // what comes next from the source is news
	}
	b.sum.CaregiversEnded += ended
	return b.tx.PutSourceRecords(ctx, links)
}
