package fhirapi

import (
	"fmt"
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
)

// readPatient answers GET Patient/{id}: the Patient resource, or 404 with
// an OperationOutcome. Each successful read is audited (action "read")
// before the patient is sent; if the audit cannot be written, nothing is.
func (a *api) readPatient(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !fhir.ValidID(id) {
		writeError(w, r, rapport.Errorf(rapport.ENOTFOUND, "Patient/%s not found: not a FHIR id", id))
		return
	}
	p, err := a.DB.FindPatientByID(r.Context(), rapport.PatientID(id))
	if err != nil {
		writeError(w, r, err)
		return
	}
	body, err := fhir.PatientResource(p)
	if err != nil {
		writeError(w, r, fmt.Errorf("read patient: %w", err))
		return
	}
	entry := rapport.Audit{At: a.now(), Actor: actor(r), Action: "read", Resource: "Patient/" + string(p.ID), PatientID: p.ID}
	if err := a.DB.AppendAudit(r.Context(), entry); err != nil {
		writeError(w, r, fmt.Errorf("read patient: %w", err))
		return
	}
	if !p.UpdatedAt.IsZero() {
		w.Header().Set("Last-Modified", p.UpdatedAt.UTC().Format(http.TimeFormat))
	}
	writeResource(w, http.StatusOK, body)
}
