package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/rapporthq/rapport"
)

// What delivery teaches about contact points: shared values, answers that
// confirm an address, soft failures, staleness. The rules are the domain's
// ([rapport.ContactPoint.Confirm], [rapport.Staleness]); this file persists.

// refreshShared recounts the patients holding the values of cps. During a
// bulk load the count waits for [Tx.EndBulkLoad], which recounts every value
// once, at the end. In any other import's transaction it waits for the
// commit, which recounts each value the file touched once: a batch at a
// time, an email held by fifty people was counted again by every batch
// that brought one more holder.
func (tx *Tx) refreshShared(ctx context.Context, cps []*rapport.ContactPoint) error {
	if tx.bulkLoad || len(cps) == 0 {
		return nil
	}
	if tx.sharedDue != nil {
		for _, c := range cps {
			tx.sharedDue.add(c.Kind, c.Value)
		}
		return nil
	}
	vs := sharedValues{}
	for _, c := range cps {
		vs.add(c.Kind, c.Value)
	}
	return tx.recount(ctx, vs)
}

// sharedValues are values of each contact kind, each once.
type sharedValues map[rapport.ContactKind]map[string]struct{}

func (s sharedValues) add(kind rapport.ContactKind, value string) {
	if value == "" {
		return
	}
	if s[kind] == nil {
		s[kind] = map[string]struct{}{}
	}
	s[kind][value] = struct{}{}
}

// countDueShared recounts the holders of the values an import's
// transaction touched (see refreshShared).
func (tx *Tx) countDueShared(ctx context.Context) error {
	due := tx.sharedDue
	tx.sharedDue = nil
	return tx.recount(ctx, due)
}

// recount recounts the holders of each of vs, a kind at a time.
func (tx *Tx) recount(ctx context.Context, vs sharedValues) error {
	for _, kind := range slices.Sorted(maps.Keys(vs)) {
		if err := tx.RefreshShared(ctx, kind, slices.Sorted(maps.Keys(vs[kind]))); err != nil {
			return err
		}
	}
	return nil
}

// The recounts read the index contact_points_value (kind, value,
// patient_id) alone (TestSharedCountsReadTheIndex), and write one row per
// value whose count changed: its holders' contact points are not touched.
const (
	// upsertCounts stores the count of each value held by two or more
	// patients among the contact points that %s selects, where it changed.
	// An empty value (a number that did not parse) is no one's address: it
	// is never counted.
	upsertCounts = "INSERT INTO shared_values (kind, value, holders) SELECT kind, value, count(DISTINCT patient_id) " +
		"FROM contact_points WHERE %s AND value <> '' GROUP BY kind, value HAVING count(DISTINCT patient_id) > 1 " +
		"ON CONFLICT (kind, value) DO UPDATE SET holders = excluded.holders WHERE shared_values.holders <> excluded.holders"
	// deleteUnshared forgets the values in %s now held by one patient or none.
	deleteUnshared = "DELETE FROM shared_values WHERE kind = ? AND value IN (%s) AND (SELECT count(DISTINCT patient_id) " +
		"FROM contact_points c WHERE c.kind = shared_values.kind AND c.value = shared_values.value) < 2"
	// countPeople counts people, not records, for the values in %s that a
	// record merged into another holds: a person's records are one holder
	// (two duplicate records of one phone are not a family's landline).
	// Merges are few, so the records' count above stays the fast path and
	// only these values are counted again.
	countPeople = "UPDATE shared_values SET holders = (SELECT count(DISTINCT coalesce(m.survivor_id, c.patient_id)) " +
		"FROM contact_points c LEFT JOIN patient_merges m ON m.merged_id = c.patient_id " +
		"WHERE c.kind = shared_values.kind AND c.value = shared_values.value) " +
		"WHERE kind = ? AND value IN (%s) AND EXISTS (SELECT 1 FROM contact_points c JOIN patient_merges m ON m.merged_id = c.patient_id " +
		"WHERE c.kind = shared_values.kind AND c.value = shared_values.value)"
	// deleteOnePerson forgets the values in %s that one person holds.
	deleteOnePerson = "DELETE FROM shared_values WHERE kind = ? AND value IN (%s) AND holders < 2"
)

var (
	// upsertShared counts the values in %s.
	upsertShared = fmt.Sprintf(upsertCounts, "kind = ? AND value IN (%s)")
	// upsertAllShared counts every value.
	upsertAllShared = fmt.Sprintf(upsertCounts, "true")
)

// RefreshShared recounts, for each of values, how many people hold it as
// a contact point of kind (what [rapport.ContactPoint.SharedBy] reads: 0
// when only one holds it; a person's merged records are one). Import does
// it for the values it writes, [Tx.CreateMerge] and [Tx.DeleteMerge] for
// the merged record's.
func (tx *Tx) RefreshShared(ctx context.Context, kind rapport.ContactKind, values []string) error {
	var merges bool
	if err := tx.q.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM patient_merges)").Scan(&merges); err != nil {
		return fmt.Errorf("count shared contact points: %w", err)
	}
	steps := []string{upsertShared, deleteUnshared}
	if merges {
		steps = append(steps, countPeople, deleteOnePerson)
	}
	for chunk := range slices.Chunk(values, 500) {
		in, args := inClause(chunk)
		args = append([]any{string(kind)}, args...)
		for _, q := range steps {
			if _, err := tx.q.exec(ctx, fmt.Sprintf(q, in), args...); err != nil {
				return fmt.Errorf("count shared contact points: %w", err)
			}
		}
	}
	return nil
}

// refreshSharedOf recounts the holders of the values on the contact points
// of patient pid: a merge or an unmerge of it changes how many people hold
// them.
func (tx *Tx) refreshSharedOf(ctx context.Context, pid rapport.PatientID) error {
	held := sharedValues{}
	err := eachRowIn(ctx, tx.q, []rapport.PatientID{pid}, "SELECT kind, value FROM contact_points WHERE patient_id IN (%s)", func(rs rows) error {
		var kind, value string
		err := rs.Scan(&kind, &value)
		held.add(rapport.ContactKind(kind), value)
		return err
	})
	if err != nil {
		return fmt.Errorf("count shared contact points of %s: %w", pid, err)
	}
	return tx.recount(ctx, held)
}

// refreshAllShared counts the holders of every value held by more than one
// patient, in one pass over the (kind, value) index: the end of a bulk load,
// which runs only into a database that held no patients, so no merges.
func (tx *Tx) refreshAllShared(ctx context.Context) error {
	if _, err := tx.q.exec(ctx, upsertAllShared); err != nil {
		return fmt.Errorf("count shared contact points: %w", err)
	}
	return nil
}

// ConfirmContactPoint records that an answer to a message rapport sent to
// the contact point proved it works, now (see [rapport.ContactPoint.Confirm]):
// it becomes valid with evidence as the reason and a ledger event, unless
// it is opted out, which it stays.
func (tx *Tx) ConfirmContactPoint(ctx context.Context, id, evidence string) error {
	c, err := tx.FindContactPoint(ctx, id)
	if err != nil {
		return err
	}
	changed := c.Confirm(tx.now)
	if _, err := tx.q.exec(ctx, "UPDATE contact_points SET confirmed_at = ?, soft_failures = ? WHERE id = ?",
		tnull(c.ConfirmedAt), c.SoftFailures, id); err != nil {
		return fmt.Errorf("confirm contact point: %w", err)
	}
	if !changed {
		return nil
	}
	return tx.SetContactStatus(ctx, id, c.Status, evidence)
}

// RecordSoftFailure counts a delivery to the contact point that failed at
// at for a passing reason (see [rapport.ContactPoint.SoftFail]). The
// failure that reaches pol's soft-failure limit makes the contact point
// stale at once, with its evidence and a contact-status event, rather than
// at the next sweep of [DB.MarkStaleContacts]: the next message then goes
// by another channel. It reports whether the contact point became stale.
func (tx *Tx) RecordSoftFailure(ctx context.Context, id string, at time.Time, pol rapport.Staleness) (stale bool, err error) {
	c, err := tx.FindContactPoint(ctx, id)
	if err != nil {
		return false, err
	}
	c.SoftFail(at)
	if _, err := tx.q.exec(ctx, "UPDATE contact_points SET soft_failures = ?, soft_failed_at = ? WHERE id = ?",
		c.SoftFailures, tnull(c.SoftFailedAt), id); err != nil {
		return false, fmt.Errorf("record soft failure: %w", err)
	}
	if l := pol.Limit(); l == 0 || c.SoftFailures < l {
		return false, nil // only the failure rule applies here; age is the sweep's
	}
	stale, why := pol.Stale(&c, tx.now)
	if !stale {
		return false, nil
	}
	ev, err := tx.markContactStale(ctx, &c, why)
	if err != nil {
		return false, err
	}
	return true, tx.AppendEvents(ctx, ev)
}

// markContactStale sets c stale with why as its evidence and returns the
// contact-status event to append.
func (tx *Tx) markContactStale(ctx context.Context, c *rapport.ContactPoint, why string) (rapport.Event, error) {
	if _, err := tx.q.exec(ctx, "UPDATE contact_points SET status = ?, status_reason = ?, status_at = ? WHERE id = ?",
		string(rapport.StatusStale), why, tx.now, c.ID); err != nil {
		return rapport.Event{}, fmt.Errorf("mark contact point stale: %w", err)
	}
	return rapport.Event{PatientID: c.PatientID, Kind: rapport.EventContactStatus,
		Payload: jsonPayload(map[string]string{"contact_id": c.ID, "kind": string(c.Kind), "from": string(c.Status), "to": string(rapport.StatusStale), "reason": why})}, nil
}

// staleBatch is how many contact points one transaction of
// [DB.MarkStaleContacts] reads.
const staleBatch = 500

// MarkStaleContacts marks stale every phone and email that pol finds stale
// at the database clock's now: not confirmed by an answered message for
// pol.MaxAge, or with too many soft failures since. Each is changed with
// its evidence and a contact-status event in the ledger (which the
// contact-reverify journey's trigger reads). It works in batches, each in
// its own transaction, and returns how many it marked; an error leaves the
// batches before it done. The monthly hygiene run calls it.
func (db *DB) MarkStaleContacts(ctx context.Context, pol rapport.Staleness) (int, error) {
	marked, after := 0, ""
	for {
		var n int
		var last string
		err := db.InTx(ctx, func(tx *Tx) error {
			var err error
			n, last, err = tx.markStale(ctx, pol, after)
			return err
		})
		if err != nil {
			return marked, err
		}
		marked += n
		if last == "" {
			return marked, nil
		}
		after = last
	}
}

// markStale marks one batch of candidates after the id after, and returns
// how many it marked and the last id read ("" when none was left).
func (tx *Tx) markStale(ctx context.Context, pol rapport.Staleness, after string) (int, string, error) {
	limit := pol.Limit()
	if limit == 0 {
		limit = 1 << 30
	}
	rs, err := tx.q.query(ctx, contactSelect+"WHERE cp.status IN ('unverified', 'valid') AND cp.kind IN ('phone', 'email') "+
		"AND (coalesce(cp.confirmed_at, cp.added_at) < ? OR cp.soft_failures >= ?) AND cp.id > ? ORDER BY cp.id LIMIT ?",
		pol.Cutoff(tx.now).UTC(), limit, after, staleBatch)
	if err != nil {
		return 0, "", fmt.Errorf("find stale contact points: %w", err)
	}
	var cands []rapport.ContactPoint
	for rs.Next() {
		c, err := scanContactPoint(rs)
		if err != nil {
			rs.Close()
			return 0, "", err
		}
		cands = append(cands, c)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return 0, "", fmt.Errorf("find stale contact points: %w", err)
	}
	if len(cands) == 0 {
		return 0, "", nil
	}
	var evs []rapport.Event
	for _, c := range cands {
		stale, why := pol.Stale(&c, tx.now)
		if !stale {
			continue
		}
		ev, err := tx.markContactStale(ctx, &c, why)
		if err != nil {
			return 0, "", err
		}
		evs = append(evs, ev)
	}
	return len(evs), cands[len(cands)-1].ID, tx.AppendEvents(ctx, evs...)
}
