package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/verify"
	"github.com/rapporthq/rapport/web"
)

// CaregiverList is the answer of GET /api/v1/patients/{id}/caregivers.
type CaregiverList struct {
	Caregivers []*rapport.Caregiver `json:"caregivers"`
}

// CaregiverRequest is the body of POST /api/v1/patients/{id}/caregivers:
// staff add a person who helps the patient. A relationship code without a
// system is a v3-RoleCode (DAU, SPS, GUARD…). Scope defaults to reminders
// and consent to not_recorded; a consent given or refused is dated
// ConsentAt, or now.
type CaregiverRequest struct {
	Given        string                   `json:"given"`
	Family       string                   `json:"family"`
	Relationship rapport.Code             `json:"relationship"`
	Contacts     []CaregiverContact       `json:"contacts"`
	Language     string                   `json:"language"`
	Scope        rapport.CaregiverScope   `json:"scope"`
	Consent      rapport.CaregiverConsent `json:"consent"`
	ConsentAt    time.Time                `json:"consent_at"`
}

// CaregiverContact is a contact point in a [CaregiverRequest], judged as
// an imported one is.
type CaregiverContact struct {
	Kind  rapport.ContactKind `json:"kind"`
	Value string              `json:"value"`
	Use   rapport.ContactUse  `json:"use"`
}

// RevokeRequest is the body of POST /api/v1/caregivers/{id}/revoke: who
// ended the caregiver's role — the patient (staff recording their wish)
// or staff (the default) — and why.
type RevokeRequest struct {
	By     rapport.ContactSource `json:"by"`
	Reason string                `json:"reason"`
}

// caregivers answers GET /api/v1/patients/{id}/caregivers: the patient's
// caregivers, revoked ones included, oldest first; 404 for an unknown
// patient. Audited as a read before it is sent.
func (a *api) caregivers(w http.ResponseWriter, r *http.Request) {
	pid := rapport.PatientID(r.PathValue("id"))
	if _, err := a.DB.FindPatientByID(r.Context(), pid); err != nil {
		web.Error(w, r, err)
		return
	}
	cs, err := a.DB.FindCaregiversByPatient(r.Context(), pid)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if cs == nil {
		cs = []*rapport.Caregiver{}
	}
	if err := a.DB.AppendAudit(r.Context(), a.audit(r, "read", "Patient/"+string(pid)+"/caregivers", pid)); err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, CaregiverList{Caregivers: cs})
}

// addCaregiver answers POST /api/v1/patients/{id}/caregivers: 201 with the
// caregiver as stored, its contact points judged; 400 naming the field at
// fault, 404 for an unknown patient. The creation is audited and in the
// ledger, in the same transaction.
func (a *api) addCaregiver(w http.ResponseWriter, r *http.Request) {
	var req CaregiverRequest
	if !decode(w, r, &req) {
		return
	}
	pid := rapport.PatientID(r.PathValue("id"))
	var c *rapport.Caregiver
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		p, err := tx.FindPatientByID(r.Context(), pid)
		if err != nil {
			return err
		}
		// Numbers are read in the patient's country: a caregiver usually lives near.
		c = req.caregiver(pid, verify.PatientRegion(p, "US"), tx.Now())
		if c.ConsentAt.After(tx.Now()) {
			return rapport.Errorf(rapport.EINVALID, "consent_at: %s is in the future", c.ConsentAt.Format(time.RFC3339))
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := tx.SaveCaregiver(r.Context(), c); err != nil {
			return err
		}
		if err := tx.AppendEvents(r.Context(), rapport.Event{PatientID: pid, Kind: rapport.EventRecordCreated,
			Payload: []byte(`{"type":"Caregiver","source":"api","id":"` + c.ID + `"}`)}); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "create", "Caregiver/"+c.ID, pid))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusCreated, c)
}

// caregiver builds the caregiver the request describes for patient pid,
// its contact points judged for region at now.
func (req *CaregiverRequest) caregiver(pid rapport.PatientID, region string, now time.Time) *rapport.Caregiver {
	// Messages are templated by primary language: "es-MX" is "es".
	lang, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(req.Language)), "-")
	c := &rapport.Caregiver{PatientID: pid, Given: strings.TrimSpace(req.Given), Family: strings.TrimSpace(req.Family),
		Relationship: req.Relationship, Language: lang, Scope: req.Scope, Consent: req.Consent}
	if c.Relationship.System == "" && rapport.RoleDisplay(c.Relationship.Code) != "" {
		c.Relationship.System = rapport.RoleCodeSystem
	}
	if c.Relationship.System == rapport.RoleCodeSystem && c.Relationship.Display == "" {
		c.Relationship.Display = rapport.RoleDisplay(c.Relationship.Code)
	}
	if c.Scope == "" {
		c.Scope = rapport.ScopeReminders
	}
	if c.Consent == "" {
		c.Consent = rapport.ConsentNotRecorded
	}
	if c.Consent == rapport.ConsentGranted || c.Consent == rapport.ConsentRefused {
		c.ConsentAt, c.ConsentSource = req.ConsentAt, rapport.SourceStaff
		if c.ConsentAt.IsZero() {
			c.ConsentAt = now
		}
	}
	for _, in := range req.Contacts {
		cp := rapport.ContactPoint{Kind: in.Kind, Raw: in.Value, Use: in.Use, Source: rapport.SourceStaff}
		verify.ContactPoint(&cp, region, now)
		c.Contacts = append(c.Contacts, cp)
	}
	return c
}

// revokeCaregiver answers POST /api/v1/caregivers/{id}/revoke: 200 with
// the revoked caregiver, 400 for a bad "by", 404 for an unknown caregiver,
// 409 when it was revoked already. Audited in the same transaction; the
// ledger records it (see [store.Tx.RevokeCaregiver]).
func (a *api) revokeCaregiver(w http.ResponseWriter, r *http.Request) {
	var req RevokeRequest
	if !decode(w, r, &req) {
		return
	}
	switch req.By {
	case "":
		req.By = rapport.SourceStaff
	case rapport.SourcePatient, rapport.SourceStaff:
	default:
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "by: %q is not one of patient, staff", req.By))
		return
	}
	var c *rapport.Caregiver
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) (err error) {
		if c, err = tx.RevokeCaregiver(r.Context(), r.PathValue("id"), req.By, req.Reason); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "update", "Caregiver/"+c.ID+"/revoke", c.PatientID))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, c)
}
