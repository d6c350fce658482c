package api

import (
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/web"
)

// patient answers GET /api/v1/patients/{id}: the patient as rapport holds
// it — demographics, the address as normalised with its flags, the RUCA
// code and rurality, and every contact point with its status, flags and
// suggested correction — so staff can see what validation found. 404 for
// an unknown patient. Audited as a read before it is sent.
func (a *api) patient(w http.ResponseWriter, r *http.Request) {
	pid := rapport.PatientID(r.PathValue("id"))
	p, err := a.DB.FindPatientByID(r.Context(), pid)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if err := a.DB.AppendAudit(r.Context(), a.audit(r, "read", "Patient/"+string(pid), pid)); err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, p)
}
