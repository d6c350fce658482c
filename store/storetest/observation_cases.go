package storetest

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testObservations: a reading's rows share their panel and come back
// newest first with their values, units and level; another patient's are
// never among them; thresholds are none until set, then replaced whole.
func testObservations(t *testing.T, s suite) {
	a, b := phonePatient("A", "+15125550130"), phonePatient("B", "+15125550131")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b}) })
	at := s.clock.Now()
	sys := rapport.Code{System: "http://loinc.org", Code: "8480-6", Display: "Systolic blood pressure"}
	dia := rapport.Code{System: "http://loinc.org", Code: "8462-4", Display: "Diastolic blood pressure"}
	glu := rapport.Code{System: "http://loinc.org", Code: "2339-0", Display: "Glucose [Mass/volume] in Blood"}
	bp := []*store.Observation{
		{PatientID: a.ID, Panel: "reading-1", Code: sys, Value: 142, Unit: "mm[Hg]", EffectiveAt: at, Source: "sms", InboundID: "in-1", Level: "high"},
		{PatientID: a.ID, Panel: "reading-1", Code: dia, Value: 90, Unit: "mm[Hg]", EffectiveAt: at, Source: "sms", InboundID: "in-1", Level: "high"},
	}
	later := []*store.Observation{{PatientID: a.ID, Code: glu, Value: 97.5, Unit: "mg/dL", EffectiveAt: at.Add(time.Hour), Source: "api", Level: "normal"}}
	other := []*store.Observation{{PatientID: b.ID, Code: glu, Value: 45, Unit: "mg/dL", EffectiveAt: at, Source: "sms", Level: "urgent"}}
	s.tx(t, func(tx *store.Tx) error {
		for _, os := range [][]*store.Observation{bp, later, other} {
			if err := tx.CreateObservations(s.ctx, os); err != nil {
				return err
			}
		}
		return nil
	})
	if later[0].Panel != later[0].ID || later[0].ID == "" {
		t.Errorf("a lone observation's panel = %q, want its own id %q", later[0].Panel, later[0].ID)
	}
	s.tx(t, func(tx *store.Tx) error {
		got, err := tx.PatientObservations(s.ctx, a.ID, 10)
		if err != nil {
			return err
		}
		if len(got) != 3 {
			t.Fatalf("patient A: %d observations, want 3", len(got))
		}
		if g := got[0]; g.Code != glu || g.Value != 97.5 || g.Unit != "mg/dL" || g.Source != "api" || !g.EffectiveAt.Equal(at.Add(time.Hour)) {
			t.Errorf("newest: %+v, want the glucose", g)
		}
		for i, want := range []struct {
			code  string
			value float64
		}{{"8462-4", 90}, {"8480-6", 142}} {
			g := got[i+1]
			if g.Code.Code != want.code || g.Value != want.value || g.Panel != "reading-1" || g.Level != "high" || g.InboundID != "in-1" ||
				g.PatientID != a.ID || !g.EffectiveAt.Equal(at) || !g.CreatedAt.Equal(at) {
				t.Errorf("row %d: %+v, want %s %g of panel reading-1", i+1, g, want.code, want.value)
			}
		}
		if one, _ := tx.PatientObservations(s.ctx, a.ID, 1); len(one) != 1 {
			t.Errorf("limit 1: %d rows", len(one))
		}
		err = tx.CreateObservations(s.ctx, []*store.Observation{{PatientID: a.ID, Code: glu, Value: 1}})
		if rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("no effective time: %v, want EINVALID", err)
		}
		return nil
	})

	s.tx(t, func(tx *store.Tx) error {
		if th, err := tx.PatientThresholds(s.ctx, a.ID); err != nil || th != nil {
			t.Errorf("thresholds before any: %q, %v; want none", th, err)
		}
		if err := tx.SetPatientThresholds(s.ctx, a.ID, []byte(`{"systolic_high":130}`), "staff-1"); err != nil {
			return err
		}
		if err := tx.SetPatientThresholds(s.ctx, a.ID, []byte(`{"systolic_high":150}`), "staff-2"); err != nil {
			return err
		}
		th, err := tx.PatientThresholds(s.ctx, a.ID)
		if err != nil || string(th) != `{"systolic_high":150}` {
			t.Errorf("thresholds after two sets: %q, %v; want the second", th, err)
		}
		if th, _ := tx.PatientThresholds(s.ctx, b.ID); th != nil {
			t.Errorf("patient B's thresholds: %q, want none", th)
		}
		return nil
	})
}
