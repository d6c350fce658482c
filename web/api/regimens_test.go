package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/web/api"
)

// TestRegimenEndpoints: staff enter a regimen (zone from the patient, the
// first reminder's time shown), list it and stop it; each step is
// audited; bad requests name the field.
func TestRegimenEndpoints(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		base := "/api/v1/patients/" + string(p.ID) + "/regimens"
		req := map[string]any{"medication": map[string]string{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril 10 MG"},
			"times": []string{"20:00", "08:00"}, "reminders_requested": true, "escalate_after_missed": 2}
		a := e.do("POST", base, e.staff, req)
		if a.status != 201 {
			t.Fatalf("add: %d %s", a.status, a.body)
		}
		var reg api.Regimen
		a.into(t, &reg)
		// start is 09:00 in Chicago: the next dose is tonight's at 20:00.
		wantNext := time.Date(2026, 3, 3, 20, 0, 0, 0, time.FixedZone("CST", -6*3600))
		if reg.ID == "" || reg.Zone != "America/Chicago" || reg.Status != "active" || len(reg.Times) != 2 || reg.Times[0].At != "08:00" ||
			reg.NextDueAt == nil || !reg.NextDueAt.Equal(wantNext) || reg.Start != "2026-03-03" || !reg.RemindersRequested ||
			reg.EscalateAfterMissed != 2 || reg.EscalateWindowDays != 7 {
			t.Errorf("added %s", a.body)
		}
		var list api.RegimenList
		a = e.do("GET", base, e.staff, nil)
		a.into(t, &list)
		if a.status != 200 || len(list.Regimens) != 1 || list.Regimens[0].ID != reg.ID {
			t.Fatalf("list: %d %s", a.status, a.body)
		}
		bad := []struct {
			body any
			want string
		}{
			{map[string]any{"medication": map[string]string{"code": "1"}}, "times:"},
			{map[string]any{"times": []string{"08:00"}}, "medication:"},
			{map[string]any{"medication": map[string]string{"code": "1"}, "times": []string{"8 in the morning"}}, "times[0]:"},
			{map[string]any{"medication": map[string]string{"code": "1"}, "times": []string{"08:00"}, "zone": "Mars/Olympus"}, "zone:"},
			{map[string]any{"medication": map[string]string{"code": "1"}, "times": []string{"08:00"}, "start": "tomorrow"}, "start:"},
			{map[string]any{"medication": map[string]string{"code": "1"}, "times": []string{"08:00", "08:00"}}, "times[1]:"},
			{map[string]any{"medication": map[string]string{"code": "1"}, "times": []string{"08:00"}, "checkin_after_minutes": 60}, "checkin_after_minutes:"},
			{map[string]any{"medication": map[string]string{"code": "1"}, "times": []string{"08:00"}, "escalate_window_days": 365}, "escalate_window_days:"},
			{map[string]any{"medication": map[string]string{"code": "1"}, "times": []string{"08:00"}, "escalate_after_missed": -1}, "escalate_after_missed:"},
		}
		for _, b := range bad {
			a := e.do("POST", base, e.staff, b.body)
			if a.status != 400 || !strings.Contains(a.errorMessage(t), b.want) {
				t.Errorf("POST %v: %d %s, want 400 naming %s", b.body, a.status, a.body, b.want)
			}
		}
		if a := e.do("POST", "/api/v1/patients/nobody/regimens", e.staff, req); a.status != 404 {
			t.Errorf("add to unknown patient: %d", a.status)
		}
		a = e.do("POST", "/api/v1/regimens/"+reg.ID+"/stop", e.staff, nil)
		var stopped api.Regimen
		a.into(t, &stopped)
		if a.status != 200 || stopped.Status != "stopped" || stopped.NextDueAt != nil {
			t.Errorf("stop: %d %s", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/regimens/nothing/stop", e.staff, nil); a.status != 404 {
			t.Errorf("stop unknown: %d", a.status)
		}
		var actions []string
		for _, au := range e.audits(p.ID) {
			if strings.Contains(au.Resource, "egimen") {
				actions = append(actions, au.Action)
			}
		}
		if strings.Join(actions, ",") != "create,read,update" {
			t.Errorf("audit of the regimen: %v, want create, read, update", actions)
		}
	})
}

// TestPatchRegimen: staff change the care-team rules of a regimen already
// entered; a field left out keeps its value, a bad one changes nothing and
// is named, and alerts to caregivers need check-ins.
func TestPatchRegimen(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		a := e.do("POST", "/api/v1/patients/"+string(p.ID)+"/regimens", e.staff, map[string]any{
			"medication": map[string]string{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril"},
			"times":      []string{"08:00"}, "reminders_requested": true, "checkin_after_minutes": 120})
		var reg api.Regimen
		a.into(t, &reg)
		if a.status != 201 || reg.AlertCaregivers {
			t.Fatalf("add: %d %s", a.status, a.body)
		}
		url := "/api/v1/regimens/" + reg.ID
		steps := []struct {
			body         map[string]any
			status       int
			missed, days int
			alert        bool
			wantErr      string
		}{
			{map[string]any{"alert_caregivers": true}, 200, reg.EscalateAfterMissed, reg.EscalateWindowDays, true, ""},
			{map[string]any{"escalate_after_missed": 2}, 200, 2, reg.EscalateWindowDays, true, ""},
			{map[string]any{"escalate_window_days": 14}, 200, 2, 14, true, ""},
			{map[string]any{"escalate_window_days": 365, "alert_caregivers": false}, 400, 2, 14, true, "escalate_window_days"},
			{map[string]any{"escalate_after_missed": 0, "alert_caregivers": false}, 200, 0, 14, false, ""},
		}
		for i, s := range steps {
			a := e.do("PATCH", url, e.staff, s.body)
			if a.status != s.status {
				t.Fatalf("step %d %v: %d %s, want %d", i, s.body, a.status, a.body, s.status)
			}
			if s.status != 200 && !strings.Contains(a.errorMessage(t), s.wantErr) {
				t.Errorf("step %d: error %s does not name %s", i, a.body, s.wantErr)
			}
			var list api.RegimenList
			e.do("GET", "/api/v1/patients/"+string(p.ID)+"/regimens", e.staff, nil).into(t, &list)
			got := list.Regimens[0]
			if got.EscalateAfterMissed != s.missed || got.EscalateWindowDays != s.days || got.AlertCaregivers != s.alert {
				t.Errorf("step %d %v: escalate %d in %d days, alert %v; want %d in %d, %v", i, s.body,
					got.EscalateAfterMissed, got.EscalateWindowDays, got.AlertCaregivers, s.missed, s.days, s.alert)
			}
		}

		// Without check-ins there is nothing to alert on.
		a = e.do("POST", "/api/v1/patients/"+string(p.ID)+"/regimens", e.staff, map[string]any{
			"medication": map[string]string{"code": "197361", "display": "amlodipine"}, "times": []string{"09:00"}})
		var plain api.Regimen
		a.into(t, &plain)
		if a := e.do("PATCH", "/api/v1/regimens/"+plain.ID, e.staff, map[string]any{"alert_caregivers": true}); a.status != 400 ||
			!strings.Contains(a.errorMessage(t), "alert_caregivers") {
			t.Errorf("alerts without check-ins: %d %s, want 400 naming alert_caregivers", a.status, a.body)
		}
		if a := e.do("PATCH", "/api/v1/regimens/nothing", e.staff, map[string]any{"alert_caregivers": true}); a.status != 404 {
			t.Errorf("unknown regimen: %d", a.status)
		}
		if a := e.do("PATCH", url, e.integration, map[string]any{"alert_caregivers": true}); a.status != 403 {
			t.Errorf("without the staff role: %d", a.status)
		}
	})
}

// TestPatchRegimenReadingPriority: staff set the inbox priority of the
// out-of-range readings a regimen concerns, on creation and by PATCH; a
// value other than normal, high, urgent or "" is 400 naming
// reading_priority and changes nothing, and each change is audited.
func TestPatchRegimenReadingPriority(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		a := e.do("POST", "/api/v1/patients/"+string(p.ID)+"/regimens", e.staff, map[string]any{
			"medication": map[string]string{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril"},
			"times":      []string{"08:00"}, "reading_priority": "normal"})
		var reg api.Regimen
		a.into(t, &reg)
		if a.status != 201 || reg.ReadingPriority != rapport.PriorityNormal {
			t.Fatalf("add with reading_priority normal: %d %s", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/patients/"+string(p.ID)+"/regimens", e.staff, map[string]any{
			"medication": map[string]string{"display": "amlodipine"}, "times": []string{"09:00"}, "reading_priority": "asap"}); a.status != 400 ||
			!strings.Contains(a.errorMessage(t), "reading_priority") {
			t.Errorf("add with reading_priority asap: %d %s, want 400 naming reading_priority", a.status, a.body)
		}
		url := "/api/v1/regimens/" + reg.ID
		steps := []struct {
			body   map[string]any
			status int
			want   rapport.Priority
		}{
			{map[string]any{"reading_priority": "urgent"}, 200, rapport.PriorityUrgent},
			{map[string]any{"escalate_after_missed": 2}, 200, rapport.PriorityUrgent}, // left out: kept
			{map[string]any{"reading_priority": "low"}, 400, rapport.PriorityUrgent},
			{map[string]any{"reading_priority": "URGENT"}, 400, rapport.PriorityUrgent},
			{map[string]any{"reading_priority": "high", "escalate_window_days": 365}, 400, rapport.PriorityUrgent},
			{map[string]any{"reading_priority": "high"}, 200, rapport.PriorityHigh},
			{map[string]any{"reading_priority": ""}, 200, ""},
		}
		for i, s := range steps {
			a := e.do("PATCH", url, e.staff, s.body)
			if a.status != s.status {
				t.Fatalf("step %d %v: %d %s, want %d", i, s.body, a.status, a.body, s.status)
			}
			if s.status == 400 && !strings.Contains(a.errorMessage(t), "reading_priority") && s.body["escalate_window_days"] == nil {
				t.Errorf("step %d: error %s does not name reading_priority", i, a.body)
			}
			var list api.RegimenList
			e.do("GET", "/api/v1/patients/"+string(p.ID)+"/regimens", e.staff, nil).into(t, &list)
			if got := list.Regimens[0].ReadingPriority; got != s.want {
				t.Errorf("step %d %v: reading_priority %q, want %q", i, s.body, got, s.want)
			}
		}
		audit, err := e.db.FindAudit(e.ctx, rapport.AuditFilter{PatientID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		updates := 0
		for _, x := range audit {
			if x.Action == "update" && x.Resource == "Regimen/"+reg.ID {
				updates++
			}
		}
		if updates != 4 {
			t.Errorf("%d audited updates of the regimen, want 4 (the changes that took)", updates)
		}
	})
}
