package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
)

const candidateCols = "id, patient_a, patient_b, weight, probability, explanation, reason, status, decided_by, decided_at, detected_at"

// AddDuplicateCandidates enqueues scored pairs for review, each pair once
// in either order. A pair already queued and still pending takes the new
// score; one decided (merged or rejected) keeps its decision. Each new pair
// writes a patient.possible_duplicate event for both records. It returns
// the candidates as stored (ids filled). Errors: EINVALID naming the entry.
func (tx *Tx) AddDuplicateCandidates(ctx context.Context, cs []rapport.DuplicateCandidate) ([]rapport.DuplicateCandidate, error) {
	out := make([]rapport.DuplicateCandidate, 0, len(cs))
	for i := range cs {
		c := cs[i]
		c.Normalize()
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("duplicate candidate %d: %w", i, err)
		}
		c.ID, c.Status, c.DetectedAt = newID(), rapport.DuplicatePending, tx.now
		n, err := tx.q.exec(ctx, "INSERT INTO duplicate_candidates ("+candidateCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', NULL, ?) ON CONFLICT (patient_a, patient_b) DO NOTHING",
			c.ID, string(c.A), string(c.B), c.Weight, c.Probability, mustJSON(orEmptyEvidence(c.Explanation)), c.Reason, string(c.Status), tx.now)
		if err != nil {
			return nil, fmt.Errorf("add duplicate candidate %s/%s: %w", c.A, c.B, err)
		}
		if n == 0 {
			// Known pair: a pending one takes the newer score.
			if _, err := tx.q.exec(ctx, "UPDATE duplicate_candidates SET weight = ?, probability = ?, explanation = ?, reason = CASE WHEN ? = '' THEN reason ELSE ? END WHERE patient_a = ? AND patient_b = ? AND status = 'pending'",
				c.Weight, c.Probability, mustJSON(orEmptyEvidence(c.Explanation)), c.Reason, c.Reason, string(c.A), string(c.B)); err != nil {
				return nil, fmt.Errorf("rescore duplicate candidate %s/%s: %w", c.A, c.B, err)
			}
			stored, err := findCandidates(ctx, tx.q, "WHERE patient_a = ? AND patient_b = ?", string(c.A), string(c.B))
			if err != nil {
				return nil, err
			}
			out = append(out, stored...)
			continue
		}
		out = append(out, c)
		if err := tx.AppendEvents(ctx,
			rapport.Event{PatientID: c.A, Kind: rapport.EventPossibleDuplicate, Payload: jsonPayload(map[string]any{"other": c.B, "reason": c.Reason, "probability": c.Probability})},
			rapport.Event{PatientID: c.B, Kind: rapport.EventPossibleDuplicate, Payload: jsonPayload(map[string]any{"other": c.A, "reason": c.Reason, "probability": c.Probability})},
		); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AddDuplicateCandidates is [Tx.AddDuplicateCandidates] in a transaction of
// its own: the call the duplicate-detection run makes with its scored pairs.
func (db *DB) AddDuplicateCandidates(ctx context.Context, cs []rapport.DuplicateCandidate) (out []rapport.DuplicateCandidate, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		out, err = tx.AddDuplicateCandidates(ctx, cs)
		return err
	})
	return out, err
}

func orEmptyEvidence(e []rapport.FieldEvidence) []rapport.FieldEvidence {
	if e == nil {
		return []rapport.FieldEvidence{}
	}
	return e
}

// FindDuplicateCandidates lists the review queue: most probable first.
func (db *DB) FindDuplicateCandidates(ctx context.Context, f rapport.DuplicateFilter) ([]rapport.DuplicateCandidate, error) {
	where, args := "", []any{}
	if f.Status != "" {
		where, args = "WHERE status = ?", append(args, string(f.Status))
	}
	where += " ORDER BY probability DESC, weight DESC, id"
	if f.Limit > 0 {
		where, args = where+" LIMIT ?", append(args, f.Limit)
	}
	return findCandidates(ctx, db.q, where, args...)
}

// FindDuplicateCandidate returns one candidate by id, or ENOTFOUND.
func (tx *Tx) FindDuplicateCandidate(ctx context.Context, id string) (*rapport.DuplicateCandidate, error) {
	cs, err := findCandidates(ctx, tx.q, "WHERE id = ?"+tx.forUpdate(), id)
	if err != nil {
		return nil, err
	} else if len(cs) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "duplicate candidate %s not found", id)
	}
	return &cs[0], nil
}

// FindDuplicateCandidateFor returns the candidate of a pair (either order), or ENOTFOUND.
func (tx *Tx) FindDuplicateCandidateFor(ctx context.Context, a, b rapport.PatientID) (*rapport.DuplicateCandidate, error) {
	if a > b {
		a, b = b, a
	}
	cs, err := findCandidates(ctx, tx.q, "WHERE patient_a = ? AND patient_b = ?", string(a), string(b))
	if err != nil {
		return nil, err
	} else if len(cs) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no duplicate candidate for %s and %s", a, b)
	}
	return &cs[0], nil
}

// DecideDuplicate sets a candidate's status and who decided it, now; a
// pending status clears the decision (an unmerge puts a pair back in review).
func (tx *Tx) DecideDuplicate(ctx context.Context, id string, status rapport.DuplicateStatus, by string) error {
	var at any = tx.now
	if status == rapport.DuplicatePending {
		at, by = nil, ""
	}
	n, err := tx.q.exec(ctx, "UPDATE duplicate_candidates SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?", string(status), by, at, id)
	if err != nil {
		return fmt.Errorf("decide duplicate candidate %s: %w", id, err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "duplicate candidate %s not found", id)
	}
	return nil
}

func findCandidates(ctx context.Context, q querier, where string, args ...any) ([]rapport.DuplicateCandidate, error) {
	rs, err := q.query(ctx, "SELECT "+candidateCols+" FROM duplicate_candidates "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find duplicate candidates: %w", err)
	}
	defer rs.Close()
	var out []rapport.DuplicateCandidate
	for rs.Next() {
		var c rapport.DuplicateCandidate
		var expl, status string
		var decided sql.NullTime
		if err := rs.Scan(&c.ID, &c.A, &c.B, &c.Weight, &c.Probability, &expl, &c.Reason, &status, &c.DecidedBy, &decided, &c.DetectedAt); err != nil {
			return nil, fmt.Errorf("scan duplicate candidate: %w", err)
		}
		c.Status, c.DetectedAt = rapport.DuplicateStatus(status), c.DetectedAt.UTC()
		if err := json.Unmarshal([]byte(expl), &c.Explanation); err != nil {
			return nil, fmt.Errorf("duplicate candidate %s explanation: %w", c.ID, err)
		}
		if decided.Valid {
			t := decided.Time.UTC()
			c.DecidedAt = &t
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// AddPossibleDuplicate records that two patients may be one person, with the
// reason: a pending candidate of the review queue, with the ledger event for
// both. Recording a pair twice is a no-op.
func (tx *Tx) AddPossibleDuplicate(ctx context.Context, a, b rapport.PatientID, reason string) error {
	_, err := tx.AddDuplicateCandidates(ctx, []rapport.DuplicateCandidate{{A: a, B: b, Reason: reason}})
	return err
}

// PossibleDuplicate is a pair of patients that may be one person.
type PossibleDuplicate struct {
	A, B   rapport.PatientID
	Reason string
}

// FindPossibleDuplicates lists the queued pairs, oldest first.
func (db *DB) FindPossibleDuplicates(ctx context.Context) ([]PossibleDuplicate, error) {
	cs, err := findCandidates(ctx, db.q, "ORDER BY detected_at, patient_a")
	if err != nil {
		return nil, err
	}
	out := make([]PossibleDuplicate, len(cs))
	for i, c := range cs {
		out[i] = PossibleDuplicate{A: c.A, B: c.B, Reason: c.Reason}
	}
	return out, nil
}
