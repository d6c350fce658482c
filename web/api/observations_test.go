package api_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// TestObservationEndpoints: staff lower a patient's systolic limit, and a
// reading that the defaults call normal is then high; staff list the
// readings newest first, a blood pressure as its two LOINC rows in one
// panel; both are audited, and bad requests name the field.
func TestObservationEndpoints(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		base := "/api/v1/patients/" + string(p.ID)
		record := func(r selfreport.Reading) readings.Recorded {
			t.Helper()
			var rec readings.Recorded
			err := e.db.InTx(e.ctx, func(tx *store.Tx) (err error) {
				rec, err = readings.Record(e.ctx, tx, readings.Report{PatientID: p.ID, Reading: r, At: tx.Now(), Source: "sms"})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		bp := selfreport.Reading{Kind: selfreport.BloodPressure, Systolic: 135, Diastolic: 85, Unit: selfreport.UnitMmHg}
		if rec := record(bp); rec.Level != selfreport.LevelNormal {
			t.Errorf("135/85 by the defaults: %s, want normal", rec.Level)
		}
		a := e.do("PUT", base+"/thresholds", e.staff, map[string]any{"systolic_high": 130})
		var th selfreport.Thresholds
		a.into(t, &th)
		if a.status != 200 || th.SystolicHigh != 130 || th.SystolicUrgent != 180 || th.GlucoseHigh != 180 {
			t.Fatalf("set thresholds: %d %s, want systolic_high 130 and the defaults", a.status, a.body)
		}
		e.clock.Advance(60e9)
		if rec := record(bp); rec.Level != selfreport.LevelHigh || rec.Item == nil {
			t.Errorf("135/85 by systolic_high 130: %s, want high with an inbox item", rec.Level)
		}

		var list api.ObservationList
		a = e.do("GET", base+"/observations", e.staff, nil)
		a.into(t, &list)
		if a.status != 200 || len(list.Observations) != 4 {
			t.Fatalf("list: %d %s, want 4 rows", a.status, a.body)
		}
		o := list.Observations
		if o[0].Panel != o[1].Panel || o[0].Level != "high" || o[2].Level != "normal" || o[0].Code.Code != "8462-4" || o[1].Value != 135 ||
			o[1].Unit != "mm[Hg]" || !o[0].EffectiveAt.After(o[2].EffectiveAt) {
			t.Errorf("list: %s, want the high reading's diastolic and systolic first", a.body)
		}
		if a := e.do("GET", base+"/observations?limit=1", e.staff, nil); !strings.Contains(string(a.body), `"8462-4"`) || strings.Contains(string(a.body), `"8480-6"`) {
			t.Errorf("limit 1: %s", a.body)
		}

		bad := []struct {
			method, path string
			body         any
			status       int
			want         string
		}{
			{"PUT", base + "/thresholds", map[string]any{"systolic_high": 200}, 400, "systolic_high"},
			{"PUT", base + "/thresholds", map[string]any{"glucose_low_urgent": 190}, 400, "glucose_low_urgent"},
			{"GET", base + "/observations?limit=0", nil, 400, "limit"},
			{"GET", "/api/v1/patients/nobody/observations", nil, 404, ""},
			{"PUT", "/api/v1/patients/nobody/thresholds", map[string]any{}, 404, ""},
		}
		for _, b := range bad {
			a := e.do(b.method, b.path, e.staff, b.body)
			if a.status != b.status || (b.want != "" && !strings.Contains(a.errorMessage(t), b.want)) {
				t.Errorf("%s %s %v: %d %s, want %d naming %q", b.method, b.path, b.body, a.status, a.body, b.status, b.want)
			}
		}
		if a := e.do("GET", base+"/observations", e.integration, nil); a.status != 403 {
			t.Errorf("observations with an integration token: %d, want 403", a.status)
		}
		var actions []string
		for _, au := range e.audits(p.ID) {
			if strings.Contains(au.Resource, "/observations") || strings.Contains(au.Resource, "/thresholds") {
				actions = append(actions, au.Action+" "+au.Resource[strings.LastIndex(au.Resource, "/")+1:])
			}
		}
		if strings.Join(actions, ",") != "update thresholds,read observations,read observations" {
			t.Errorf("audit: %v, want the update and two reads", actions)
		}
	})
}
