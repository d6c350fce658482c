package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapporthq/rapport"
)

// CreateToken stores a token's record under the hash of its secret.
func (db *DB) CreateToken(ctx context.Context, t *rapport.Token, hash string) error {
	if t.ID == "" {
		t.ID = newID()
	}
	t.CreatedAt = db.clock.Now().UTC()
	if _, err := db.q.exec(ctx, "INSERT INTO api_tokens (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)",
		t.ID, t.Name, string(t.Role), hash, t.CreatedAt); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

// FindTokenByHash returns the live token whose secret hashes to hash.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*rapport.Token, error) {
	var t rapport.Token
	var role string
	err := db.q.queryRow(ctx, "SELECT id, name, role, created_at FROM api_tokens WHERE hash = ? AND revoked_at IS NULL", hash).
		Scan(&t.ID, &t.Name, &role, &t.CreatedAt)
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "unknown or revoked token")
	} else if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	t.Role = rapport.Role(role)
	return &t, nil
}

// FindTokens lists tokens, newest first, revoked ones included.
func (db *DB) FindTokens(ctx context.Context) ([]rapport.Token, error) {
	rs, err := db.q.query(ctx, "SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY created_at DESC, id")
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	defer rs.Close()
	var out []rapport.Token
	for rs.Next() {
		var t rapport.Token
		var role string
		var revoked sql.NullTime
		if err := rs.Scan(&t.ID, &t.Name, &role, &t.CreatedAt, &revoked); err != nil {
			return nil, fmt.Errorf("scan token: %w", err)
		}
		t.Role, t.RevokedAt = rapport.Role(role), fromNullTime(revoked)
		out = append(out, t)
	}
	return out, rs.Err()
}

// RevokeToken revokes a token by id.
func (db *DB) RevokeToken(ctx context.Context, id string) error {
	n, err := db.q.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", db.clock.Now().UTC(), id)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "token %s not found or already revoked", id)
	}
	return nil
}

// AppendAudit adds entries to the audit trail.
func (db *DB) AppendAudit(ctx context.Context, as ...rapport.Audit) error {
	err := insertRows(ctx, db.q, "INSERT INTO audit_log (at, actor_id, actor_name, action, resource, patient_id) VALUES ", "", 6, len(as), func(i int, a []any) []any {
		e := as[i]
		if e.At.IsZero() {
			e.At = db.clock.Now()
		}
		return append(a, e.At.UTC(), e.Actor.ID, e.Actor.Name, e.Action, e.Resource, snull(string(e.PatientID)))
	})
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// FindAudit returns the audit trail of one patient, or all of it for "".
func (db *DB) FindAudit(ctx context.Context, pid rapport.PatientID, limit int) ([]rapport.Audit, error) {
	q := "SELECT at, actor_id, actor_name, action, resource, coalesce(patient_id, '') FROM audit_log"
	var args []any
	if pid != "" {
		q, args = q+" WHERE patient_id = ?", append(args, string(pid))
	}
	if limit <= 0 {
		limit = 1000
	}
	rs, err := db.q.query(ctx, q+" ORDER BY seq LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find audit: %w", err)
	}
	defer rs.Close()
	var out []rapport.Audit
	for rs.Next() {
		var a rapport.Audit
		if err := rs.Scan(&a.At, &a.Actor.ID, &a.Actor.Name, &a.Action, &a.Resource, &a.PatientID); err != nil {
			return nil, fmt.Errorf("scan audit: %w", err)
		}
		a.At = a.At.UTC()
		out = append(out, a)
	}
	return out, rs.Err()
}
