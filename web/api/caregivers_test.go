package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// TestCaregiverEndpoints: staff add a caregiver (contact points judged,
// relationship completed, consent dated now), list it beside — never in —
// the patient's own contact points, and revoke it; each step is audited,
// and bad requests name the field.
func TestCaregiverEndpoints(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("es")
		base := "/api/v1/patients/" + string(p.ID) + "/caregivers"
		req := map[string]any{"given": "Lucía", "family": "Diaz", "relationship": map[string]string{"code": "DAU"},
			"contacts": []map[string]string{{"kind": "phone", "value": "(512) 867-5310", "use": "mobile"}},
			"language": "es-MX", "scope": "conversation", "consent": "granted"}
		a := e.do("POST", base, e.staff, req)
		if a.status != 201 {
			t.Fatalf("add: %d %s", a.status, a.body)
		}
		var c rapport.Caregiver
		a.into(t, &c)
		if c.ID == "" || c.PatientID != p.ID || c.Relationship != (rapport.Code{System: rapport.RoleCodeSystem, Code: "DAU", Display: "daughter"}) || c.Language != "es" ||
			c.Consent != rapport.ConsentGranted || c.ConsentSource != rapport.SourceStaff || !c.ConsentAt.Equal(start) || !c.MayReceive(rapport.ProxyCheckIn, start) {
			t.Errorf("added %s", a.body)
		}
		if len(c.Contacts) != 1 || c.Contacts[0].Value != "+15128675310" || c.Contacts[0].Status != rapport.StatusUnverified || c.Contacts[0].Source != rapport.SourceStaff {
			t.Errorf("contacts %+v", c.Contacts)
		}

		var list struct{ Caregivers []rapport.Caregiver }
		a = e.do("GET", base, e.staff, nil)
		a.into(t, &list)
		if a.status != 200 || len(list.Caregivers) != 1 || list.Caregivers[0].ID != c.ID {
			t.Fatalf("list: %d %s", a.status, a.body)
		}
		var pat rapport.Patient
		e.do("GET", "/api/v1/patients/"+string(p.ID), e.staff, nil).into(t, &pat)
		if len(pat.Contacts) != 1 || pat.Contacts[0].Value != rosaMobile {
			t.Errorf("patient's own contacts now %+v", pat.Contacts)
		}

		bad := []struct {
			body any
			want string
		}{
			{map[string]any{"given": "X"}, "relationship:"},
			{map[string]any{"relationship": map[string]string{"code": "SON"}}, "name:"},
			{map[string]any{"given": "X", "relationship": map[string]string{"code": "SON"}, "scope": "everything"}, "scope:"},
			{map[string]any{"given": "X", "relationship": map[string]string{"code": "SON"}, "consent": "granted", "consent_at": start.Add(time.Hour)}, "consent_at:"},
			{map[string]any{"given": "X", "relationship": map[string]string{"code": "SON"}, "language": "1"}, "language:"},
			{map[string]any{"given": "X", "relationship": map[string]string{"code": "SON"}, "contacts": []map[string]string{{"kind": "fax", "value": "1"}}}, "contacts[0]:"},
		}
		for _, b := range bad {
			a := e.do("POST", base, e.staff, b.body)
			if a.status != 400 || !strings.Contains(a.errorMessage(t), b.want) {
				t.Errorf("POST %v: %d %s, want 400 naming %s", b.body, a.status, a.body, b.want)
			}
		}
		if a := e.do("POST", "/api/v1/patients/nobody/caregivers", e.staff, req); a.status != 404 {
			t.Errorf("add to unknown patient: %d", a.status)
		}
		if a := e.do("GET", "/api/v1/patients/nobody/caregivers", e.staff, nil); a.status != 404 {
			t.Errorf("list of unknown patient: %d", a.status)
		}

		revoke := "/api/v1/caregivers/" + c.ID + "/revoke"
		if a := e.do("POST", revoke, e.staff, map[string]string{"by": "import"}); a.status != 400 {
			t.Errorf("revoke by import: %d %s", a.status, a.body)
		}
		a = e.do("POST", revoke, e.staff, map[string]string{"by": "patient", "reason": "asked at the front desk"})
		var r rapport.Caregiver
		a.into(t, &r)
		if a.status != 200 || r.RevokedBy != rapport.SourcePatient || !r.RevokedAt.Equal(start) || r.MayReceive(rapport.ProxyDoseReminder, start) {
			t.Errorf("revoke: %d %s", a.status, a.body)
		}
		if a := e.do("POST", revoke, e.staff, map[string]string{}); a.status != 409 {
			t.Errorf("second revoke: %d %s", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/caregivers/nope/revoke", e.staff, map[string]string{}); a.status != 404 {
			t.Errorf("revoke unknown: %d", a.status)
		}

		want := map[string]bool{"create Caregiver/" + c.ID: false, "read Patient/" + string(p.ID) + "/caregivers": false, "update Caregiver/" + c.ID + "/revoke": false}
		for _, au := range e.audits(p.ID) {
			key := au.Action + " " + au.Resource
			if _, ok := want[key]; ok && au.Actor.Name == "nurse-desk" {
				want[key] = true
			}
		}
		for k, seen := range want {
			if !seen {
				t.Errorf("no audit entry %q by nurse-desk", k)
			}
		}
	})
}
