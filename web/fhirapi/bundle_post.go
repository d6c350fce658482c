package fhirapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/store"
)

// bundleName names the request body in import errors: "Bundle entry 3
// (Patient/abc): birthDate: …".
const bundleName = "Bundle"

// postBundle answers POST at the base with a Bundle: imported at once and
// answered 200 with an OperationOutcome summarising the import, or — with
// "Prefer: respond-async" — stored and queued, answered 202 with the status
// URL in Content-Location. The import is all or nothing: a bad entry is
// answered 400 naming the entry and field, and nothing is stored (a queued
// Bundle's resources are read before it is stored; a reference that only
// the database can refute, such as to a patient not imported, makes the
// queued import rejected instead). The data's
// source is the calling token's name: resources are recognised on re-import
// by that source and their ids, so a second POST of the same Bundle changes
// nothing.
func (a *api) postBundle(w http.ResponseWriter, r *http.Request) {
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		writeOutcome(w, http.StatusUnsupportedMediaType, "error", "not-supported", rapport.ErrorMessage(err))
		return
	}
	body, err := a.readBody(w, r)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeOutcome(w, http.StatusRequestEntityTooLarge, "error", "too-long", fmt.Sprintf("the request body is larger than %d bytes", a.MaxUpload))
		return
	} else if err != nil {
		writeError(w, r, rapport.Errorf(rapport.EINVALID, "read the request body: %v", err))
		return
	}
	types, err := checkBundle(body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if preferAsync(r.Header.Values("Prefer")) {
		// Check every resource now, so that bad input is refused at once
		// and never stored; only what needs the database (references to
		// patients not imported) is left for the job to find.
		err := fhir.ReadBundle(bytes.NewReader(body), bundleName, func(it fhir.Item) error { return it.Err })
		if err != nil {
			writeError(w, r, err)
			return
		}
		a.queueBundle(w, r, body)
		return
	}
	im := *a.Importer
	who := actor(r)
	im.Source, im.Actor = who.Name, &who
	// A feed's Bundles of one changed patient (or visit) each, posted at
	// once, share a transaction.
	sum, err := a.together.Import(r.Context(), im, body, bundleName, types)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeResource(w, http.StatusOK, summaryOutcome(sum))
}

// readBody reads the whole body, at most MaxUpload bytes: the import reads
// a Bundle wholly anyway, and a queued one is stored.
func (a *api) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > a.MaxUpload {
		return nil, &http.MaxBytesError{Limit: a.MaxUpload}
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, a.MaxUpload))
}

// preferAsync reports whether a Prefer header asks for respond-async.
func preferAsync(values []string) bool {
	for _, v := range values {
		for pref := range strings.SplitSeq(v, ",") {
			name, _, _ := strings.Cut(pref, ";")
			name, _, _ = strings.Cut(name, "=")
			if strings.EqualFold(strings.TrimSpace(name), "respond-async") {
				return true
			}
		}
	}
	return false
}

// queueBundle stores the body as an upload and enqueues its import job in
// the same transaction, so an accepted upload is never lost and never
// imported twice.
func (a *api) queueBundle(w http.ResponseWriter, r *http.Request, body []byte) {
	who := actor(r)
	u := &rapport.Upload{Source: who.Name, Name: bundleName, Kind: string(fhir.KindBundle), Content: body, Actor: who.ID}
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.CreateUpload(r.Context(), u); err != nil {
			return err
		}
		_, err := a.Queue.InsertTx(r.Context(), tx, river.InsertManyParams{Args: importer.UploadArgs{UploadID: u.ID}})
		return err
	})
	if err != nil {
		writeError(w, r, fmt.Errorf("queue bundle: %w", err))
		return
	}
	w.Header().Set("Content-Location", a.Base+"/_upload/"+u.ID)
	writeOutcome(w, http.StatusAccepted, "information", "informational", "the Bundle is queued for import; GET the Content-Location URL for the outcome")
}
