package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/store"
)

// UploadArgs is the job that imports a stored upload.
type UploadArgs struct {
	UploadID string `json:"upload_id"`
}

// Kind is the job kind.
func (UploadArgs) Kind() string { return "import_upload" }

// UploadWorker imports uploads. A crash after the import but before the
// upload is marked done retries the job, and the re-import changes nothing.
type UploadWorker struct {
	river.WorkerDefaults[UploadArgs]
	db *store.DB
	im *Importer
}

// NewUploadWorker returns the worker; im's Source is replaced by each upload's.
func NewUploadWorker(db *store.DB, im *Importer) *UploadWorker {
	return &UploadWorker{db: db, im: im}
}

// Work imports one upload.
func (w *UploadWorker) Work(ctx context.Context, job *river.Job[UploadArgs]) error {
	u, err := w.db.FindUpload(ctx, job.Args.UploadID, true)
	if err != nil {
		return err
	}
	if u.Status != rapport.UploadPending {
		return nil // already imported by an earlier attempt
	}
	im := *w.im
	im.Source = u.Source
	// The token that uploaded it imports it: its id and name (its source).
	im.Actor = &rapport.Actor{ID: u.Actor, Name: u.Source}
	sum, err := im.ImportFHIRReader(ctx, bytes.NewReader(u.Content), u.Name, fhir.Kind(u.Kind))
	if err != nil {
		if rapport.ErrorCode(err) == rapport.EINVALID {
			return w.db.FinishUpload(ctx, u.ID, rapport.UploadRejected, nil, err.Error())
		}
		return fmt.Errorf("import upload %s: %w", u.ID, err) // retried by the queue
	}
	b, _ := json.Marshal(sum)
	return w.db.FinishUpload(ctx, u.ID, rapport.UploadDone, b, "")
}
