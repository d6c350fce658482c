package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/internal/zones"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// RegimenRequest is the body of POST /api/v1/patients/{id}/regimens: staff
// enter when a patient takes a medication, for rapport to remind them.
// Times are local "HH:MM" in Zone (default: the patient's time zone);
// EveryDays 1 (the default) is daily, 7 weekly on Start's weekday; Start
// defaults to today in the zone. RemindersRequested says the patient asked
// for the reminders, so the limits on unsolicited ones do not apply.
type RegimenRequest struct {
	Medication         rapport.Code `json:"medication"`
	Times              []string     `json:"times"`
	EveryDays          int          `json:"every_days"`
	Zone               string       `json:"zone"`
	Start              string       `json:"start"`
	End                string       `json:"end"`
	RemindersRequested bool         `json:"reminders_requested"`
	// CheckinAfterMinutes asks "did you take it?" this long after each
	// dose (1 yes, 2 not yet, 3 skipped); 0 asks nothing. It needs
	// RemindersRequested.
	CheckinAfterMinutes int `json:"checkin_after_minutes"`
	// EscalateAfterMissed missed doses (said in check-ins) within
	// EscalateWindowDays put an item in the care team's inbox; nil takes 3
	// in 7 days, 0 turns it off.
	EscalateAfterMissed *int `json:"escalate_after_missed"`
	EscalateWindowDays  int  `json:"escalate_window_days"`
	// AlertCaregivers texts the patient's caregivers (consent granted, in
	// scope) when a check-in says a dose was skipped or not yet taken. It
	// needs check-ins.
	AlertCaregivers bool `json:"alert_caregivers"`
	// ReadingPriority is the inbox priority of the patient's out-of-range
	// readings the regimen concerns (normal, high, urgent); "" takes the
	// reading's level.
	ReadingPriority rapport.Priority `json:"reading_priority"`
}

// Regimen is a regimen as the API shows it.
type Regimen struct {
	ID                  string            `json:"id"`
	PatientID           rapport.PatientID `json:"patient_id"`
	Medication          rapport.Code      `json:"medication"`
	Zone                string            `json:"zone"`
	Times               []RegimenTime     `json:"times"`
	EveryDays           int               `json:"every_days"`
	Start               string            `json:"start"`
	End                 string            `json:"end,omitempty"`
	RemindersRequested  bool              `json:"reminders_requested"`
	CheckinAfterMinutes int               `json:"checkin_after_minutes"`
	EscalateAfterMissed int               `json:"escalate_after_missed"`
	EscalateWindowDays  int               `json:"escalate_window_days"`
	AlertCaregivers     bool              `json:"alert_caregivers"`
	ReadingPriority     rapport.Priority  `json:"reading_priority"`
	Status              string            `json:"status"`
	NextDueAt           *time.Time        `json:"next_due_at"`
	CreatedBy           string            `json:"created_by"`
	CreatedAt           time.Time         `json:"created_at"`
	UpdatedAt           time.Time         `json:"updated_at"`
}

// RegimenTime is a current dose time; PatientChosen when the patient set it.
type RegimenTime struct {
	At            string `json:"at"`
	PatientChosen bool   `json:"patient_chosen"`
}

// RegimenList is the answer of GET /api/v1/patients/{id}/regimens.
type RegimenList struct {
	Regimens []Regimen `json:"regimens"`
}

// regimens answers GET /api/v1/patients/{id}/regimens, oldest first; 404
// for an unknown patient. Audited as a read.
func (a *api) regimens(w http.ResponseWriter, r *http.Request) {
	pid := rapport.PatientID(r.PathValue("id"))
	out := RegimenList{Regimens: []Regimen{}}
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.FindPatientByID(r.Context(), pid); err != nil {
			return err
		}
		rs, err := tx.PatientRegimens(r.Context(), pid)
		if err != nil {
			return err
		}
		for _, reg := range rs {
			v, err := regimenView(reg)
			if err != nil {
				return err
			}
			out.Regimens = append(out.Regimens, v)
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "read", "Patient/"+string(pid)+"/regimens", pid))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, out)
}

// addRegimen answers POST /api/v1/patients/{id}/regimens: 201 with the
// regimen and its first reminder's time; 400 naming the field at fault,
// 404 for an unknown patient. Audited, and regimen.created in the ledger.
func (a *api) addRegimen(w http.ResponseWriter, r *http.Request) {
	var req RegimenRequest
	if !decode(w, r, &req) {
		return
	}
	pid := rapport.PatientID(r.PathValue("id"))
	var out Regimen
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		p, err := tx.FindPatientByID(r.Context(), pid)
		if err != nil {
			return err
		}
		sched, err := req.schedule(p, tx.Now())
		if err != nil {
			return err
		}
		reg, err := reminders.Create(r.Context(), tx, sched, req.RemindersRequested, time.Duration(req.CheckinAfterMinutes)*time.Minute, "token:"+actor(r).Name)
		if err != nil {
			return err
		}
		alert := req.AlertCaregivers
		settings := RegimenSettings{EscalateAfterMissed: req.EscalateAfterMissed, EscalateWindowDays: req.EscalateWindowDays, AlertCaregivers: &alert,
			ReadingPriority: &req.ReadingPriority}
		if err := settings.apply(r.Context(), tx, reg); err != nil {
			return err
		}
		if out, err = regimenView(reg); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "create", "Regimen/"+reg.ID, pid))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusCreated, out)
}

// StartRequest is the body of POST /api/v1/regimens/{id}/start: staff
// start the reminders of a regimen proposed from an imported prescription.
type StartRequest struct {
	RemindersRequested  bool `json:"reminders_requested"`
	CheckinAfterMinutes int  `json:"checkin_after_minutes"`
}

// startRegimen answers POST /api/v1/regimens/{id}/start: 200 with the
// started regimen and its first reminder's time; 409 when it is not
// proposed (active already, or stopped: a stopped one stays stopped), 404
// for an unknown one, 400 naming the field at fault. Audited, and
// regimen.started in the ledger.
func (a *api) startRegimen(w http.ResponseWriter, r *http.Request) {
	var req StartRequest
	if !decode(w, r, &req) {
		return
	}
	a.changeRegimen(w, r, func(tx *store.Tx) (*store.Regimen, error) {
		return reminders.Start(r.Context(), tx, r.PathValue("id"), req.RemindersRequested, time.Duration(req.CheckinAfterMinutes)*time.Minute, "token:"+actor(r).Name)
	})
}

// stopRegimen answers POST /api/v1/regimens/{id}/stop: 200 with the
// stopped regimen (stopping one already stopped changes nothing), 404 for
// an unknown one. Audited.
func (a *api) stopRegimen(w http.ResponseWriter, r *http.Request) {
	a.changeRegimen(w, r, func(tx *store.Tx) (*store.Regimen, error) {
		return reminders.Stop(r.Context(), tx, r.PathValue("id"), "token:"+actor(r).Name)
	})
}

// changeRegimen runs change in a transaction, audits it as an update of
// the regimen it returns, and answers 200 with the regimen (or the error).
func (a *api) changeRegimen(w http.ResponseWriter, r *http.Request, change func(tx *store.Tx) (*store.Regimen, error)) {
	var out Regimen
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		reg, err := change(tx)
		if err != nil {
			return err
		}
		if out, err = regimenView(reg); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "update", "Regimen/"+reg.ID, reg.PatientID))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, out)
}

// schedule is the regimen the request describes for p.
func (req *RegimenRequest) schedule(p *rapport.Patient, now time.Time) (dosing.Regimen, error) {
	zone := req.Zone
	if zone == "" {
		zone = p.TimeZone
	}
	if zone == "" {
		return dosing.Regimen{}, rapport.Errorf(rapport.EINVALID, "zone: the patient has no time zone on record; give one, such as America/Chicago")
	}
	loc, err := zones.Load(zone)
	if err != nil || zone == "Local" {
		return dosing.Regimen{}, rapport.Errorf(rapport.EINVALID, "zone: %q is not an IANA time zone", zone)
	}
	if req.Medication.Code == "" && req.Medication.Display == "" {
		return dosing.Regimen{}, rapport.Errorf(rapport.EINVALID, "medication: give a code or a display name")
	}
	s := dosing.Regimen{PatientID: p.ID, Medication: req.Medication, Zone: loc, EveryDays: req.EveryDays, Start: dosing.DateOf(now.In(loc))}
	if req.Start != "" {
		if s.Start, err = dosing.ParseDate(req.Start); err != nil {
			return s, rapport.Errorf(rapport.EINVALID, "start: %q is not a date YYYY-MM-DD", req.Start)
		}
	}
	if req.End != "" {
		if s.End, err = dosing.ParseDate(req.End); err != nil {
			return s, rapport.Errorf(rapport.EINVALID, "end: %q is not a date YYYY-MM-DD", req.End)
		}
	}
	if len(req.Times) == 0 {
		return s, rapport.Errorf(rapport.EINVALID, "times: none; give local dose times such as [\"08:00\", \"20:00\"]")
	}
	for i, t := range req.Times {
		at, err := dosing.ParseTimeOfDay(t)
		if err != nil {
			return s, rapport.Errorf(rapport.EINVALID, "times[%d]: %q is not a time HH:MM", i, t)
		}
		if slices.ContainsFunc(s.Times, func(d dosing.DoseTime) bool { return d.At == at }) {
			return s, rapport.Errorf(rapport.EINVALID, "times[%d]: %s is given twice", i, at)
		}
		s.Times = append(s.Times, dosing.DoseTime{At: at})
	}
	slices.SortFunc(s.Times, func(a, b dosing.DoseTime) int { return int(a.At - b.At) }) // any order will do
	return s, nil
}

// regimenView shows a stored regimen.
func regimenView(r *store.Regimen) (Regimen, error) {
	s, err := reminders.Schedule(r)
	if err != nil {
		return Regimen{}, err
	}
	v := Regimen{ID: r.ID, PatientID: r.PatientID, Medication: r.Drug, Zone: r.Zone, EveryDays: max(s.EveryDays, 1), Start: s.Start.String(),
		RemindersRequested: r.RemindersRequested, CheckinAfterMinutes: int(r.CheckinAfter / time.Minute),
		EscalateAfterMissed: r.EscalateMissed, EscalateWindowDays: int(r.EscalateWindow.Hours() / 24), AlertCaregivers: r.AlertCaregivers, ReadingPriority: r.ReadingPriority, Status: string(r.Status), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Times: []RegimenTime{}}
	if !s.End.IsZero() {
		v.End = s.End.String()
	}
	if !r.NextDueAt.IsZero() {
		v.NextDueAt = &r.NextDueAt
	}
	for _, t := range s.Times {
		if t.Until.IsZero() {
			v.Times = append(v.Times, RegimenTime{At: t.At.String(), PatientChosen: t.PatientChosen})
		}
	}
	return v, nil
}
