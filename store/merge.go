package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
)

// CreateMerge records that m.Merged was folded into m.Survivor. It writes
// the link, and counts the holders of the merged record's numbers and
// addresses again (one person's records are one holder); the merge
// service decides what else changes.
func (tx *Tx) CreateMerge(ctx context.Context, m *rapport.Merge) error {
	if m.ID == "" {
		m.ID = newID()
	}
	m.At = tx.now
	if _, err := tx.q.exec(ctx, "INSERT INTO patient_merges (merged_id, id, survivor_id, candidate_id, merged_by, merged_at, ended) VALUES (?, ?, ?, ?, ?, ?, ?)",
		string(m.Merged), m.ID, string(m.Survivor), m.CandidateID, m.By, tx.now, mustJSON(orEmptyEnrollments(m.Ended))); err != nil {
		return fmt.Errorf("merge %s into %s: %w", m.Merged, m.Survivor, err)
	}
	return tx.refreshSharedOf(ctx, m.Merged)
}

func orEmptyEnrollments(es []*rapport.Enrollment) []*rapport.Enrollment {
	if es == nil {
		return []*rapport.Enrollment{}
	}
	return es
}

// FindMerge returns the merge that folded the record away, or ENOTFOUND.
func (tx *Tx) FindMerge(ctx context.Context, merged rapport.PatientID) (*rapport.Merge, error) {
	var m rapport.Merge
	var ended string
	err := tx.q.queryRow(ctx, "SELECT id, merged_id, survivor_id, candidate_id, merged_by, merged_at, ended FROM patient_merges WHERE merged_id = ?"+tx.forUpdate(),
		string(merged)).Scan(&m.ID, &m.Merged, &m.Survivor, &m.CandidateID, &m.By, &m.At, &ended)
	if IsNotFound(err) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "patient %s is not merged into another record", merged)
	} else if err != nil {
		return nil, fmt.Errorf("find merge of %s: %w", merged, err)
	}
	m.At = m.At.UTC()
	if err := json.Unmarshal([]byte(ended), &m.Ended); err != nil {
		return nil, fmt.Errorf("merge of %s: ended enrollments: %w", merged, err)
	}
	return &m, nil
}

// DeleteMerge removes the link of a merge, which gives the record back,
// and counts the holders of its numbers and addresses again.
func (tx *Tx) DeleteMerge(ctx context.Context, merged rapport.PatientID) error {
	n, err := tx.q.exec(ctx, "DELETE FROM patient_merges WHERE merged_id = ?", string(merged))
	if err != nil {
		return fmt.Errorf("unmerge %s: %w", merged, err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "patient %s is not merged into another record", merged)
	}
	return tx.refreshSharedOf(ctx, merged)
}

// MergedInto returns, for each of ids that survived merges, the records
// merged into it, oldest merge first: one query per batch, empty when
// nothing was ever merged.
func (tx *Tx) MergedInto(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID][]rapport.PatientID, error) {
	out := map[rapport.PatientID][]rapport.PatientID{}
	err := eachRowIn(ctx, tx.q, ids, "SELECT survivor_id, merged_id FROM patient_merges WHERE survivor_id IN (%s) ORDER BY merged_at, id", func(rs rows) error {
		var s, m rapport.PatientID
		if err := rs.Scan(&s, &m); err != nil {
			return err
		}
		out[s] = append(out[s], m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("merged records: %w", err)
	}
	return out, nil
}

// Survivors returns, for those of ids that were merged away, the record
// they were merged into.
func (tx *Tx) Survivors(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID]rapport.PatientID, error) {
	out := map[rapport.PatientID]rapport.PatientID{}
	err := eachRowIn(ctx, tx.q, ids, "SELECT merged_id, survivor_id FROM patient_merges WHERE merged_id IN (%s)", func(rs rows) error {
		var m, s rapport.PatientID
		if err := rs.Scan(&m, &s); err != nil {
			return err
		}
		out[m] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survivors: %w", err)
	}
	return out, nil
}

// RestoreEnrollments writes enrollments exactly as given, every column
// including the patient and the update time: how a merge moves an
// enrollment to the survivor, and an unmerge puts it back as it was.
func (tx *Tx) RestoreEnrollments(ctx context.Context, es []*rapport.Enrollment) error {
	for _, e := range es {
		if _, err := tx.q.exec(ctx, "UPDATE enrollments SET patient_id = ?, step = ?, status = ?, wake_at = ?, waiting_for = ?, vars = ?, outcome = ?, updated_at = ? WHERE id = ?",
			string(e.PatientID), e.Step, string(e.Status), e.WakeAt.UTC(), string(e.WaitingFor), jsonMap(e.Vars), e.Outcome, e.UpdatedAt.UTC(), e.ID); err != nil {
			return fmt.Errorf("restore enrollment %s: %w", e.ID, err)
		}
	}
	return nil
}

// FindLiveEnrollments returns the active and waiting enrollments of a patient.
func (tx *Tx) FindLiveEnrollments(ctx context.Context, pid rapport.PatientID) ([]*rapport.Enrollment, error) {
	return findEnrollments(ctx, tx.q, "WHERE patient_id = ? AND status IN ('active', 'waiting') ORDER BY id"+tx.forUpdate(), string(pid))
}

// PersonGroups maps every patient record that belongs to a group — merged
// into another, or in a pending or merged duplicate pair — to one key for
// its person (the group's smallest id). Records in no group are absent.
// Metrics count people with it.
func (db *DB) PersonGroups(ctx context.Context) (map[rapport.PatientID]rapport.PatientID, error) {
	parent := map[rapport.PatientID]rapport.PatientID{}
	var find func(rapport.PatientID) rapport.PatientID
	find = func(x rapport.PatientID) rapport.PatientID {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	union := func(a, b rapport.PatientID) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	for _, q := range []string{
		"SELECT merged_id, survivor_id FROM patient_merges",
		"SELECT patient_a, patient_b FROM duplicate_candidates WHERE status IN ('pending', 'merged')",
	} {
		rs, err := db.q.query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("person groups: %w", err)
		}
		for rs.Next() {
			var a, b rapport.PatientID
			if err := rs.Scan(&a, &b); err != nil {
				rs.Close()
				return nil, fmt.Errorf("person groups: %w", err)
			}
			union(a, b)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, fmt.Errorf("person groups: %w", err)
		}
	}
	out := make(map[rapport.PatientID]rapport.PatientID, len(parent))
	for x := range parent {
		out[x] = find(x)
	}
	return out, nil
}

// PendingDuplicatePartners returns, for those of ids in a pair pending
// review, the other records of their pairs.
func (tx *Tx) PendingDuplicatePartners(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID][]rapport.PatientID, error) {
	out := map[rapport.PatientID][]rapport.PatientID{}
	for _, q := range []string{
		"SELECT patient_a, patient_b FROM duplicate_candidates WHERE status = 'pending' AND patient_a IN (%s)",
		"SELECT patient_b, patient_a FROM duplicate_candidates WHERE status = 'pending' AND patient_b IN (%s)",
	} {
		err := eachRowIn(ctx, tx.q, ids, q, func(rs rows) error {
			var id, other rapport.PatientID
			if err := rs.Scan(&id, &other); err != nil {
				return err
			}
			out[id] = append(out[id], other)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("pending duplicate partners: %w", err)
		}
	}
	return out, nil
}

// CampaignPatients reports which of ids have an enrollment in the campaign.
func (tx *Tx) CampaignPatients(ctx context.Context, campaign string, ids []rapport.PatientID) (map[rapport.PatientID]bool, error) {
	out := map[rapport.PatientID]bool{}
	err := chunked(ids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT patient_id FROM enrollments WHERE campaign = ? AND patient_id IN ("+in+")", append([]any{campaign}, args...)...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id rapport.PatientID
			if err := rs.Scan(&id); err != nil {
				return err
			}
			out[id] = true
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("campaign patients: %w", err)
	}
	return out, nil
}
