package fhirapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/importer"
)

// uploadStatus answers GET _upload/{id}, the status URL of a queued
// import (FHIR's asynchronous request pattern): 202 while pending, 200 with
// the import's summary as an OperationOutcome when done, 400 with the
// reason when rejected. An upload is visible only to the token that made
// it, and to admins; to others it does not exist.
func (a *api) uploadStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	u, err := a.DB.FindUpload(r.Context(), id, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if who := actor(r); u.Actor != who.ID && who.Role != rapport.RoleAdmin {
		writeError(w, r, rapport.Errorf(rapport.ENOTFOUND, "upload %s not found", id))
		return
	}
	switch u.Status {
	case rapport.UploadPending:
		w.Header().Set("X-Progress", "queued for import")
		w.Header().Set("Retry-After", "2")
		writeOutcome(w, http.StatusAccepted, "information", "informational", "the import is pending")
	case rapport.UploadDone:
		var sum importer.Summary
		if err := json.Unmarshal(u.Summary, &sum); err != nil {
			writeError(w, r, fmt.Errorf("upload %s summary: %w", u.ID, err))
			return
		}
		writeResource(w, http.StatusOK, summaryOutcome(sum))
	case rapport.UploadRejected:
		writeOutcome(w, http.StatusBadRequest, "error", "invalid", u.Error)
	default:
		writeError(w, r, fmt.Errorf("upload %s has unknown status %q", u.ID, u.Status))
	}
}
