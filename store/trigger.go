package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// TriggerEvents returns up to limit ledger events of the kinds with a seq
// above after and a time at or before until, in ledger order: what the
// journey event triggers read next.
//
// It reads one kind at a time, each a seek in ledger (kind, seq), and once
// limit events are in hand it reads the next kinds only up to the last of
// them: one kind usually fills the page (an import's record events), and
// the others then read a few rows instead of a page each that a union
// sorted and threw away.
func (tx *Tx) TriggerEvents(ctx context.Context, after int64, kinds []rapport.EventKind, until time.Time, limit int) ([]rapport.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []rapport.Event
	bound := int64(math.MaxInt64)
	for _, k := range kinds {
		evs, err := tx.triggerEventsOf(ctx, k, after, bound, until.UTC(), limit)
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
		slices.SortFunc(out, func(a, b rapport.Event) int { return cmp.Compare(a.Seq, b.Seq) })
		if len(out) >= limit {
			out = out[:limit]
			bound = out[limit-1].Seq
		}
	}
	return out, nil
}

// triggerEventsOf reads the next events of one kind up to seq bound.
func (tx *Tx) triggerEventsOf(ctx context.Context, kind rapport.EventKind, after, bound int64, until time.Time, limit int) ([]rapport.Event, error) {
	rs, err := tx.q.query(ctx, queryTriggerEvents, string(kind), after, bound, until, limit)
	if err != nil {
		return nil, fmt.Errorf("trigger events: %w", err)
	}
	out, err := scanEvents(rs)
	if err != nil {
		return nil, fmt.Errorf("trigger events: %w", err)
	}
	return out, nil
}

// TriggerRecord is a clinical record an event trigger looks at: whose it
// is, its status and when it happened.
type TriggerRecord struct {
	EntityID  string
	PatientID rapport.PatientID
	Status    string
	// At is an encounter's or appointment's end, a dispense's hand-over.
	At time.Time
}

// triggerRecordQueries read records of each type through their source
// links; the source's resource id comes first.
var triggerRecordQueries = map[string]string{
	"Encounter":          "SELECT s.resource_id, r.id, r.patient_id, r.status, r.end_at FROM source_records s JOIN encounters r ON r.id = s.entity_id",
	"Appointment":        "SELECT s.resource_id, r.id, r.patient_id, r.status, r.end_at FROM source_records s JOIN appointments r ON r.id = s.entity_id",
	"MedicationDispense": "SELECT s.resource_id, r.id, r.patient_id, r.status, r.handed_over FROM source_records s JOIN medication_dispenses r ON r.id = s.entity_id",
}

// FindTriggerRecord finds the record an import event names by its source,
// resource type (Encounter, Appointment, MedicationDispense) and the
// source's resource id; ENOTFOUND when there is none.
func (tx *Tx) FindTriggerRecord(ctx context.Context, source, resourceType, resourceID string) (TriggerRecord, error) {
	rs, err := tx.FindTriggerRecords(ctx, source, resourceType, []string{resourceID})
	if err != nil {
		return TriggerRecord{}, err
	}
	r, ok := rs[resourceID]
	if !ok {
		return r, rapport.Errorf(rapport.ENOTFOUND, "%s %s|%s not found", resourceType, source, resourceID)
	}
	return r, nil
}

// FindTriggerRecords finds the records of one source and resource type by
// the source's resource ids, in one query: a page of the trigger job's
// import events names hundreds of them. Ids not found are absent.
func (tx *Tx) FindTriggerRecords(ctx context.Context, source, resourceType string, resourceIDs []string) (map[string]TriggerRecord, error) {
	q, ok := triggerRecordQueries[resourceType]
	if !ok {
		return nil, rapport.Errorf(rapport.EINVALID, "no trigger record of type %q", resourceType)
	}
	out := make(map[string]TriggerRecord, len(resourceIDs))
	if len(resourceIDs) == 0 {
		return out, nil
	}
	err := chunked(resourceIDs, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, q+" WHERE s.source = ? AND s.resource_type = ? AND s.resource_id IN ("+in+")", append([]any{source, resourceType}, args...)...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var r TriggerRecord
			var id, pid string
			var at sql.NullTime
			if err := rs.Scan(&id, &r.EntityID, &pid, &r.Status, &at); err != nil {
				return err
			}
			r.PatientID, r.At = rapport.PatientID(pid), fromNullTime(at)
			out[id] = r
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find %s records of %s: %w", strings.ToLower(resourceType), source, err)
	}
	return out, nil
}

// EnrolledSince returns which of the patients have an enrollment in the
// journey, in any status, created at or after since: a trigger that fires
// again for the same fact (a re-import) enrolls nobody twice.
func (tx *Tx) EnrolledSince(ctx context.Context, journey string, ids []rapport.PatientID, since time.Time) (map[rapport.PatientID]bool, error) {
	out, err := tx.patientsAmong(ctx, "SELECT DISTINCT patient_id FROM enrollments WHERE journey = ? AND created_at >= ? AND patient_id IN (",
		[]any{journey, since.UTC()}, ids)
	if err != nil {
		return nil, fmt.Errorf("enrolled since: %w", err)
	}
	return out, nil
}
