package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// maxObservations bounds one answer of GET .../observations.
const maxObservations = 500

// Observation is one LOINC-coded value a patient reported; a blood
// pressure's systolic and diastolic (and its pulse) share Panel.
type Observation struct {
	ID          string            `json:"id"`
	PatientID   rapport.PatientID `json:"patient_id"`
	Panel       string            `json:"panel"`
	Code        rapport.Code      `json:"code"`
	Value       float64           `json:"value"`
	Unit        string            `json:"unit"`
	EffectiveAt time.Time         `json:"effective_at"`
	Source      string            `json:"source"`
	InboundID   string            `json:"inbound_id,omitempty"`
	Level       string            `json:"level"`
	CreatedAt   time.Time         `json:"created_at"`
}

// ObservationList is the answer of GET /api/v1/patients/{id}/observations.
type ObservationList struct {
	Observations []Observation `json:"observations"`
}

// observations answers GET /api/v1/patients/{id}/observations?limit=,
// newest first (100 by default, at most 500); 404 for an unknown patient,
// 400 for a bad limit. Audited as a read.
func (a *api) observations(w http.ResponseWriter, r *http.Request) {
	pid := rapport.PatientID(r.PathValue("id"))
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxObservations {
			web.Error(w, r, rapport.Errorf(rapport.EINVALID, "limit %q is not a number from 1 to %d", v, maxObservations))
			return
		}
		limit = n
	}
	out := ObservationList{Observations: []Observation{}}
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.FindPatientByID(r.Context(), pid); err != nil {
			return err
		}
		os, err := tx.PatientObservations(r.Context(), pid, limit)
		if err != nil {
			return err
		}
		for _, o := range os {
			out.Observations = append(out.Observations, Observation{ID: o.ID, PatientID: o.PatientID, Panel: o.Panel, Code: o.Code, Value: o.Value,
				Unit: o.Unit, EffectiveAt: o.EffectiveAt, Source: o.Source, InboundID: o.InboundID, Level: o.Level, CreatedAt: o.CreatedAt})
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "read", "Patient/"+string(pid)+"/observations", pid))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, out)
}

// setThresholds answers PUT /api/v1/patients/{id}/thresholds: the body
// replaces the patient's thresholds (a field left out takes the default),
// and the answer is the thresholds now in force, defaults filled in. 400
// names the limit at fault; 404 for an unknown patient. Audited, and
// thresholds.changed in the ledger.
func (a *api) setThresholds(w http.ResponseWriter, r *http.Request) {
	var req selfreport.Thresholds
	if !decode(w, r, &req) {
		return
	}
	pid := rapport.PatientID(r.PathValue("id"))
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.FindPatientByID(r.Context(), pid); err != nil {
			return err
		}
		if err := readings.SetThresholds(r.Context(), tx, pid, req, "token:"+actor(r).Name); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "update", "Patient/"+string(pid)+"/thresholds", pid))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, req.WithDefaults())
}
