package importer

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// writeRecords creates, updates or skips non-patient records. known maps the
// batch's patients' source ids to their rapport ids; others are looked up.
func (b *batch) writeRecords(ctx context.Context, recs []*record, known map[string]rapport.PatientID) error {
	if len(recs) == 0 {
		return nil
	}
	if err := b.resolveSubjects(ctx, recs, known); err != nil {
		return err
	}
	src := b.im.source()
	byType := map[string][]string{}
	for _, r := range recs {
		byType[r.typ] = append(byType[r.typ], r.id)
	}
	links := map[string]map[string]store.SourceRecord{}
	for typ, ids := range byType {
		l, err := b.tx.FindSourceRecords(ctx, src, typ, ids)
		if err != nil {
			return err
		}
		links[typ] = l
	}
	var events []rapport.Event
	var newLinks []store.SourceRecord
	for _, r := range recs {
		pid := known[r.subject.ResourceID]
		if needsSubject(r.data) && pid == "" {
			field := "subject"
			if r.typ == "RelatedPerson" {
				field = "patient"
			}
			err := rapport.Errorf(rapport.EINVALID, "%s: %s: Patient/%s is not known: import the patient first", r.where, field, r.subject.ResourceID)
			if r.subject.Identifier != nil {
				err = rapport.Errorf(rapport.EINVALID, "%s: %s: no single patient has identifier %s|%s", r.where, field, r.subject.Identifier.System, r.subject.Identifier.Value)
			}
			if err := b.reject(r.typ, r.where, err); err != nil {
				return err
			}
			continue
		}
		if r.typ == "RelatedPerson" {
			b.lists.list(pid, r.id, b.im.FullExport)
		}
		hash := r.hash
		link, exists := links[r.typ][r.id]
		if exists && link.ContentHash == hash {
			r.sum.counts(r.typ).Unchanged++
			continue
		}
		if r.invalid != nil {
			if err := b.reject(r.typ, r.where, r.invalid); err != nil {
				return err
			}
			continue
		}
		id, err := b.save(ctx, r, pid, link.EntityID)
		if err != nil {
			return fmt.Errorf("%s: %w", r.where, err)
		}
		kind := rapport.EventRecordCreated
		if exists {
			kind = rapport.EventRecordUpdated
			r.sum.counts(r.typ).Updated++
		} else {
			r.sum.counts(r.typ).Created++
		}
		events = append(events, b.event(kind, pid, r, nil))
		if a, ok := r.data.(*rapport.Appointment); ok && !exists && booked[a.Status] {
			// A booking is engagement, whoever prompted it: metrics count
			// decliners who book on their own as engaged too. It is dated
			// by the appointment, so that back-filled history (imported
			// after a decline) never credits the decline.
			events = append(events, rapport.Event{PatientID: pid, Kind: rapport.EventEngaged, At: a.Start,
				Payload: []byte(`{"how":"booking","appointment":"` + id + `"}`)})
		}
		newLinks = append(newLinks, store.SourceRecord{Source: src, ResourceType: r.typ, ResourceID: r.id, EntityID: id, ContentHash: hash})
	}
	if err := b.writePending(ctx); err != nil {
		return err
	}
	if err := b.tx.PutSourceRecords(ctx, newLinks); err != nil {
		return err
	}
	return b.tx.AppendEvents(ctx, events...)
}

// booked are the appointment statuses that mean the patient booked.
var booked = map[string]bool{"booked": true, "arrived": true, "fulfilled": true, "checked-in": true}

func needsSubject(data any) bool {
	switch data.(type) {
	case *rapport.Practitioner, *rapport.Location:
		return false
	}
	return true
}

// resolveSubjects adds to known the patients the records refer to that are
// not in the batch, by source id (one query) or by identifier.
func (b *batch) resolveSubjects(ctx context.Context, recs []*record, known map[string]rapport.PatientID) error {
	var ids []string
	var idents []rapport.Identifier
	for _, r := range recs {
		switch {
		case r.subject.ResourceID != "" && known[r.subject.ResourceID] == "":
			ids = append(ids, r.subject.ResourceID)
		case r.subject.Identifier != nil:
			idents = append(idents, *r.subject.Identifier)
		}
	}
	if len(ids) > 0 {
		links, err := b.tx.FindSourceRecords(ctx, b.im.source(), "Patient", ids)
		if err != nil {
			return err
		}
		for id, l := range links {
			known[id] = rapport.PatientID(l.EntityID)
		}
	}
	if len(idents) > 0 {
		found, err := b.tx.FindPatientsByIdentifier(ctx, idents)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.subject.Identifier == nil {
				continue
			}
			if ps := found[identKey(*r.subject.Identifier)]; len(ps) == 1 {
				// Give the record a source-id-like key so the lookup above finds it.
				r.subject.ResourceID = "identifier:" + r.subject.Identifier.System + "|" + r.subject.Identifier.Value
				known[r.subject.ResourceID] = ps[0]
			}
		}
	}
	return nil
}
