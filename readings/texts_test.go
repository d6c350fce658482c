package readings

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/selfreport"
)

// TestConfirmationProperties: whatever the reading and the patient's
// thresholds, the confirmation in each language repeats the value as the
// patient can check it, in GSM-7 (no accent doubles its segments), and
// mentions 911 exactly when the reading is
// urgent — never alarming a patient whose reading is fine, never leaving
// one with a dangerous reading without the advice.
func TestConfirmationProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		var r selfreport.Reading
		switch rapid.IntRange(0, 3).Draw(t, "kind") {
		case 0:
			sys := rapid.IntRange(51, 300).Draw(t, "systolic")
			r = selfreport.Reading{Kind: selfreport.BloodPressure, Systolic: sys, Diastolic: rapid.IntRange(20, sys-1).Draw(t, "diastolic"),
				Pulse: rapid.SampledFrom([]int{0, 72}).Draw(t, "pulse"), Unit: selfreport.UnitMmHg}
		case 1:
			r = selfreport.Reading{Kind: selfreport.Glucose, Value: float64(rapid.IntRange(20, 800).Draw(t, "glucose")), Unit: selfreport.UnitMgDL}
		case 2:
			r = selfreport.Reading{Kind: selfreport.Weight, Value: float64(rapid.IntRange(20, 400).Draw(t, "weight")), Unit: selfreport.UnitKg}
		default:
			r = selfreport.Reading{Kind: selfreport.HeartRate, Pulse: rapid.IntRange(20, 250).Draw(t, "rate"), Unit: selfreport.UnitPerMin}
		}
		th := selfreport.Thresholds{SystolicHigh: rapid.IntRange(0, 180).Draw(t, "systolic_high"),
			GlucoseLowUrgent: float64(rapid.IntRange(0, 100).Draw(t, "glucose_low_urgent"))}
		if th.Validate() != nil {
			t.Skip("thresholds staff could not set")
		}
		level, _ := selfreport.Evaluate(r, th)
		c := confirmation(r, level, th)
		for _, lang := range []string{"en", "es"} {
			body := c.ByLang[lang].Body
			v := Value(r)
			if lang == "es" {
				v = esValue(v)
			}
			if !strings.Contains(body, v) {
				t.Fatalf("%s confirmation %q does not repeat %q", lang, body, v)
			}
			if enc, _, _ := rules.Segments(body); enc != rules.GSM7 {
				t.Fatalf("%s confirmation %q is not GSM-7", lang, body)
			}
			if strings.Contains(body, "911") != (level == selfreport.LevelUrgent) {
				t.Fatalf("%s confirmation of a %s reading: %q", lang, level, body)
			}
		}
	})
}
