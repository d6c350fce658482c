package fhirapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// maxObservationRows bounds one search: the latest readings of a patient.
const maxObservationRows = 1000

// searchObservations answers GET Observation?patient=ID (or Patient/ID):
// a searchset Bundle of the patient's reported readings, newest first, at
// most the latest 1000 rows, a blood pressure as one 85354-9 panel with
// its systolic and diastolic components. An unknown patient has none. The
// read is audited (action "search") before the bundle is sent.
func (a *api) searchObservations(w http.ResponseWriter, r *http.Request) {
	pid, err := observationPatient(r.URL.RawQuery)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var rows []*store.Observation
	err = a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.FindPatientByID(r.Context(), pid); err != nil {
			if rapport.ErrorCode(err) == rapport.ENOTFOUND {
				return nil
			}
			return err
		}
		if rows, err = tx.PatientObservations(r.Context(), pid, maxObservationRows); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), rapport.Audit{At: a.now(), Actor: actor(r), Action: "search",
			Resource: "Observation?patient=" + string(pid), PatientID: pid})
	})
	if err != nil {
		writeError(w, r, fmt.Errorf("search observations: %w", err))
		return
	}
	set := fhir.Searchset{Self: a.Base + "/Observation?" + url.Values{"patient": {string(pid)}}.Encode()}
	for _, o := range observationsOf(rows) {
		e, err := fhir.ObservationEntry(o, a.Base)
		if err != nil {
			writeError(w, r, fmt.Errorf("search observations: %w", err))
			return
		}
		set.Entries = append(set.Entries, e)
	}
	set.Total = len(set.Entries)
	body, err := fhir.SearchsetBundle(set)
	if err != nil {
		writeError(w, r, fmt.Errorf("search observations: %w", err))
		return
	}
	writeResource(w, http.StatusOK, body)
}

// observationPatient reads the one search parameter, patient, as an id or
// a Patient/id reference; any other parameter is refused.
func observationPatient(raw string) (rapport.PatientID, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "", rapport.Errorf(rapport.EINVALID, "the query string is not valid: %v", err)
	}
	for k := range q {
		if k != "patient" {
			return "", rapport.Errorf(rapport.EINVALID, "search parameter %s is not supported: use patient", strconv.Quote(k))
		}
	}
	if len(q["patient"]) != 1 {
		return "", rapport.Errorf(rapport.EINVALID, "patient: give exactly one, as ID or Patient/ID")
	}
	id := strings.TrimPrefix(q.Get("patient"), "Patient/")
	if !fhir.ValidID(id) {
		return "", rapport.Errorf(rapport.EINVALID, "patient: not a FHIR id")
	}
	return rapport.PatientID(id), nil
}

// observationsOf groups stored rows into FHIR Observations: the systolic
// and diastolic rows of one panel into a blood pressure panel named by the
// panel id, every other row on its own.
func observationsOf(rows []*store.Observation) []fhir.Observation {
	var out []fhir.Observation
	panels := map[string]int{} // panel id → index in out
	for _, o := range rows {
		v := fhir.Observation{ID: o.ID, PatientID: o.PatientID, Code: o.Code, Value: o.Value, Unit: o.Unit, Effective: o.EffectiveAt}
		if o.Code != selfreport.LOINCSystolic && o.Code != selfreport.LOINCDiastolic {
			out = append(out, v)
			continue
		}
		i, ok := panels[o.Panel]
		if !ok {
			i = len(out)
			panels[o.Panel] = i
			out = append(out, fhir.Observation{ID: o.Panel, PatientID: o.PatientID, Code: selfreport.LOINCBloodPressurePanel, Effective: o.EffectiveAt})
		}
		v.ID = ""
		// Systolic first, as FHIR's blood pressure profile lists them.
		if o.Code == selfreport.LOINCSystolic {
			out[i].Components = append([]fhir.Observation{v}, out[i].Components...)
		} else {
			out[i].Components = append(out[i].Components, v)
		}
	}
	return out
}
