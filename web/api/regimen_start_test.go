package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// TestStartProposedRegimen: a regimen proposed from an imported
// prescription is listed as proposed with no reminder; staff start it and
// its next dose is set; starting it again, or a stopped one, is 409.
// Starting is audited.
func TestStartProposedRegimen(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		mr := &rapport.MedicationRequest{ID: store.NewID(), PatientID: p.ID, Status: "active", Intent: "order", AuthoredOn: e.clock.Now().Add(-48 * time.Hour),
			Medication: rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "861007", Display: "metformin 500 MG"},
			Dosage:     rapport.Dosage{TimesOfDay: []string{"08:00", "20:00"}}}
		err := e.db.InTx(e.ctx, func(tx *store.Tx) error {
			if err := tx.SaveMedicationRequest(e.ctx, mr); err != nil {
				return err
			}
			c, err := reminders.FromRequests(e.ctx, tx, []*rapport.MedicationRequest{mr})
			if err == nil && c.Created != 1 {
				t.Errorf("counts %+v, want one created", c)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var list api.RegimenList
		a := e.do("GET", "/api/v1/patients/"+string(p.ID)+"/regimens", e.staff, nil)
		a.into(t, &list)
		if a.status != 200 || len(list.Regimens) != 1 || list.Regimens[0].Status != "proposed" || list.Regimens[0].NextDueAt != nil ||
			list.Regimens[0].CreatedBy != "import" {
			t.Fatalf("list: %d %s", a.status, a.body)
		}
		id := list.Regimens[0].ID
		if a := e.do("POST", "/api/v1/regimens/"+id+"/start", e.staff, map[string]any{"checkin_after_minutes": 30}); a.status != 400 ||
			!strings.Contains(a.errorMessage(t), "checkin_after_minutes") {
			t.Errorf("check-ins without reminders_requested: %d %s, want 400", a.status, a.body)
		}
		a = e.do("POST", "/api/v1/regimens/"+id+"/start", e.staff, map[string]any{"reminders_requested": true, "checkin_after_minutes": 30})
		var started api.Regimen
		a.into(t, &started)
		// 09:00 in Chicago: the next dose is tonight's at 20:00.
		wantNext := time.Date(2026, 3, 3, 20, 0, 0, 0, time.FixedZone("CST", -6*3600))
		if a.status != 200 || started.Status != "active" || started.NextDueAt == nil || !started.NextDueAt.Equal(wantNext) ||
			!started.RemindersRequested || started.CheckinAfterMinutes != 30 {
			t.Fatalf("start: %d %s", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/regimens/"+id+"/start", e.staff, map[string]any{}); a.status != 409 {
			t.Errorf("start an active regimen: %d %s, want 409", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/regimens/"+id+"/stop", e.staff, nil); a.status != 200 {
			t.Fatalf("stop: %d %s", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/regimens/"+id+"/start", e.staff, map[string]any{}); a.status != 409 {
			t.Errorf("start a stopped regimen: %d %s, want 409", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/regimens/nothing/start", e.staff, map[string]any{}); a.status != 404 {
			t.Errorf("start unknown: %d", a.status)
		}
		var actions []string
		for _, au := range e.audits(p.ID) {
			if strings.HasPrefix(au.Resource, "Regimen/") {
				actions = append(actions, au.Action)
			}
		}
		if strings.Join(actions, ",") != "update,update" {
			t.Errorf("audit of start and stop: %v", actions)
		}
	})
}
