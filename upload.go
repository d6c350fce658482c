package rapport

import (
	"encoding/json"
	"time"
)

// UploadStatus is where an upload is on its way into the database.
type UploadStatus string

const (
	UploadPending  UploadStatus = "pending"
	UploadDone     UploadStatus = "done"
	UploadRejected UploadStatus = "rejected"
)

// Upload is FHIR data pushed through the API for import by a job: stored
// first, so an accepted upload is never lost, then imported.
type Upload struct {
	ID         string          `json:"id"`
	Source     string          `json:"source"`
	Name       string          `json:"name"`
	Kind       string          `json:"kind"` // "bundle" or "ndjson"
	Content    []byte          `json:"-"`
	Status     UploadStatus    `json:"status"`
	Summary    json.RawMessage `json:"summary,omitempty"`
	Error      string          `json:"error,omitempty"`
	Actor      string          `json:"actor,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
	FinishedAt time.Time       `json:"finished_at,omitzero"`
}
