package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
)

// CreateUpload stores an upload as pending.
func (tx *Tx) CreateUpload(ctx context.Context, u *rapport.Upload) error {
	if u.ID == "" {
		u.ID = newID()
	}
	u.Status, u.CreatedAt = rapport.UploadPending, tx.now
	if _, err := tx.q.exec(ctx, "INSERT INTO uploads (id, source, name, kind, content, status, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		u.ID, u.Source, u.Name, u.Kind, u.Content, string(u.Status), u.Actor, tx.now); err != nil {
		return fmt.Errorf("create upload: %w", err)
	}
	return nil
}

// FindUpload returns an upload, with its content when withContent.
func (db *DB) FindUpload(ctx context.Context, id string, withContent bool) (*rapport.Upload, error) {
	content := "x''"
	if db.dialect == Postgres {
		content = "''::bytea"
	}
	if withContent {
		content = "content"
	}
	var u rapport.Upload
	var status, summary string
	var finished sql.NullTime
	err := db.q.queryRow(ctx, "SELECT id, source, name, kind, "+content+", status, summary, error, actor, created_at, finished_at FROM uploads WHERE id = ?", id).
		Scan(&u.ID, &u.Source, &u.Name, &u.Kind, &u.Content, &status, &summary, &u.Error, &u.Actor, &u.CreatedAt, &finished)
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "upload %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find upload: %w", err)
	}
	u.Status, u.Summary, u.FinishedAt, u.CreatedAt = rapport.UploadStatus(status), json.RawMessage(summary), fromNullTime(finished), u.CreatedAt.UTC()
	return &u, nil
}

// FinishUpload records the outcome of an upload's import and drops its
// content, which now lives in the domain tables.
func (db *DB) FinishUpload(ctx context.Context, id string, status rapport.UploadStatus, summary json.RawMessage, errText string) error {
	if len(summary) == 0 {
		summary = json.RawMessage("{}")
	}
	empty := any([]byte{})
	if _, err := db.q.exec(ctx, "UPDATE uploads SET status = ?, summary = ?, error = ?, finished_at = ?, content = ? WHERE id = ?",
		string(status), string(summary), errText, db.clock.Now().UTC(), empty, id); err != nil {
		return fmt.Errorf("finish upload: %w", err)
	}
	return nil
}
