package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// CreateToken stores a token's record under the hash of its secret.
func (db *DB) CreateToken(ctx context.Context, t *rapport.Token, hash string) error {
	if t.ID == "" {
		t.ID = newID()
	}
	t.CreatedAt = db.clock.Now().UTC()
	// Names are unique (the audit trail names actors by them), revoked
	// tokens' included.
	n, err := db.q.exec(ctx, "INSERT INTO api_tokens (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
		t.ID, t.Name, string(t.Role), hash, t.CreatedAt)
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	if n == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "a token named %q already exists (revoked tokens keep their names): choose another --name", t.Name)
	}
	return nil
}

// FindTokenByHash returns the live token whose secret hashes to hash.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*rapport.Token, error) {
	var t rapport.Token
	var role string
	// Off the writer: see openSideReader.
	err := db.side.queryRow(ctx, "SELECT id, name, role, created_at FROM api_tokens WHERE hash = ? AND revoked_at IS NULL", hash).
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
	return appendAudit(ctx, db.q, db.clock.Now(), as)
}

// AppendAudit adds entries to the audit trail inside tx: they stand or
// fall with the change they record.
func (tx *Tx) AppendAudit(ctx context.Context, as ...rapport.Audit) error {
	return appendAudit(ctx, tx.q, tx.now, as)
}

func appendAudit(ctx context.Context, q querier, now time.Time, as []rapport.Audit) error {
	if len(as) == 0 {
		return nil
	}
	err := insertRows(ctx, q, "INSERT INTO audit_log (at, actor_id, actor_name, action, resource, patient_id) VALUES ", "", 6, len(as), func(i int, a []any) []any {
		e := as[i]
		if e.At.IsZero() {
			e.At = now
		}
		return append(a, e.At.UTC(), e.Actor.ID, e.Actor.Name, e.Action, e.Resource, snull(string(e.PatientID)))
	})
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// FindAudit returns a page of the audit trail that f selects, oldest first.
func (db *DB) FindAudit(ctx context.Context, f rapport.AuditFilter) ([]rapport.Audit, error) {
	q := "SELECT seq, at, actor_id, actor_name, action, resource, coalesce(patient_id, '') FROM audit_log WHERE seq > ?"
	args := []any{f.After}
	if f.PatientID != "" {
		q, args = q+" AND patient_id = ?", append(args, string(f.PatientID))
	}
	if f.Actor != "" {
		q, args = q+" AND (actor_id = ? OR actor_name = ?)", append(args, f.Actor, f.Actor)
	}
	if !f.Since.IsZero() {
		q, args = q+" AND at >= ?", append(args, f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q, args = q+" AND at < ?", append(args, f.Until.UTC())
	}
	limit := f.Limit
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
		if err := rs.Scan(&a.Seq, &a.At, &a.Actor.ID, &a.Actor.Name, &a.Action, &a.Resource, &a.PatientID); err != nil {
			return nil, fmt.Errorf("scan audit: %w", err)
		}
		a.At = a.At.UTC()
		out = append(out, a)
	}
	return out, rs.Err()
}
