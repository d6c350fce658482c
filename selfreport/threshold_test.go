package selfreport

import (
	"testing"

	"github.com/rapporthq/rapport"
	"pgregory.net/rapid"
)

func TestEvaluate(t *testing.T) {
	t.Parallel()
	bp := func(s, d int) Reading { return Reading{Kind: BloodPressure, Systolic: s, Diastolic: d, Unit: UnitMmHg} }
	glu := func(v float64) Reading { return Reading{Kind: Glucose, Value: v, Unit: UnitMgDL} }
	tight := Thresholds{SystolicHigh: 130, DiastolicHigh: 80, GlucoseHigh: 160} // the rest default
	tests := []struct {
		r      Reading
		t      Thresholds
		level  Level
		reason string
	}{
		{bp(120, 80), Thresholds{}, LevelNormal, ""},
		{bp(139, 89), Thresholds{}, LevelNormal, ""},
		{bp(140, 80), Thresholds{}, LevelHigh, "systolic ≥ 140"},
		{bp(130, 90), Thresholds{}, LevelHigh, "diastolic ≥ 90"},
		{bp(179, 119), Thresholds{}, LevelHigh, "systolic ≥ 140"},
		{bp(180, 100), Thresholds{}, LevelUrgent, "systolic ≥ 180"},
		{bp(170, 120), Thresholds{}, LevelUrgent, "diastolic ≥ 120"},
		{bp(210, 130), Thresholds{}, LevelUrgent, "systolic ≥ 180"},
		{bp(132, 78), tight, LevelHigh, "systolic ≥ 130"},
		{bp(128, 82), tight, LevelHigh, "diastolic ≥ 80"},
		{bp(185, 82), tight, LevelUrgent, "systolic ≥ 180"},
		{glu(69), Thresholds{}, LevelUrgent, "glucose < 70 mg/dL (low)"},
		{glu(70), Thresholds{}, LevelNormal, ""},
		{glu(180), Thresholds{}, LevelNormal, ""},
		{glu(181), Thresholds{}, LevelHigh, "glucose > 180 mg/dL"},
		{glu(300), Thresholds{}, LevelHigh, "glucose > 180 mg/dL"},
		{glu(301), Thresholds{}, LevelUrgent, "glucose > 300 mg/dL"},
		{glu(170), tight, LevelHigh, "glucose > 160 mg/dL"},
		{glu(55), tight, LevelUrgent, "glucose < 70 mg/dL (low)"},
		{Reading{Kind: Weight, Value: 400, Unit: UnitLb}, Thresholds{}, LevelNormal, ""},
		{Reading{Kind: HeartRate, Pulse: 140, Unit: UnitPerMin}, Thresholds{}, LevelNormal, ""},
	}
	for _, tt := range tests {
		level, reason := Evaluate(tt.r, tt.t)
		if level != tt.level || reason != tt.reason {
			t.Errorf("Evaluate(%+v, %+v) = %s, %q; want %s, %q", tt.r, tt.t, level, reason, tt.level, tt.reason)
		}
	}
}

func TestLevelPriority(t *testing.T) {
	t.Parallel()
	for l, want := range map[Level]rapport.Priority{LevelUrgent: rapport.PriorityUrgent, LevelHigh: rapport.PriorityHigh, LevelNormal: ""} {
		if got := l.Priority(); got != want {
			t.Errorf("%s.Priority() = %q, want %q", l, got, want)
		}
	}
}

func TestThresholdsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t  Thresholds
		ok bool
	}{
		{Thresholds{}, true},
		{DefaultThresholds(), true},
		{Thresholds{SystolicHigh: 130}, true},
		{Thresholds{SystolicHigh: 190}, false},
		{Thresholds{DiastolicUrgent: 85}, false},
		{Thresholds{GlucoseHigh: 350}, false},
		{Thresholds{GlucoseLowUrgent: 200}, false},
		{Thresholds{SystolicHigh: -1}, false},
	}
	for _, tt := range tests {
		err := tt.t.Validate()
		if (err == nil) != tt.ok || (err != nil && rapport.ErrorCode(err) != rapport.EINVALID) {
			t.Errorf("%+v.Validate() = %v, want ok=%v", tt.t, err, tt.ok)
		}
	}
}

// A higher blood pressure is never graded lower, whatever valid
// thresholds a regimen sets.
func TestEvaluateMonotone(t *testing.T) {
	t.Parallel()
	rank := map[Level]int{LevelNormal: 0, LevelHigh: 1, LevelUrgent: 2}
	rapid.Check(t, func(t *rapid.T) {
		th := Thresholds{
			SystolicHigh: rapid.IntRange(100, 180).Draw(t, "sh"), DiastolicHigh: rapid.IntRange(60, 120).Draw(t, "dh"),
		}
		th.SystolicUrgent = th.SystolicHigh + rapid.IntRange(0, 60).Draw(t, "su")
		th.DiastolicUrgent = th.DiastolicHigh + rapid.IntRange(0, 40).Draw(t, "du")
		s, d := rapid.IntRange(60, 280).Draw(t, "s"), rapid.IntRange(30, 180).Draw(t, "d")
		ds, dd := rapid.IntRange(0, 40).Draw(t, "ds"), rapid.IntRange(0, 40).Draw(t, "dd")
		lo, _ := Evaluate(Reading{Kind: BloodPressure, Systolic: s, Diastolic: d}, th)
		hi, _ := Evaluate(Reading{Kind: BloodPressure, Systolic: s + ds, Diastolic: d + dd}, th)
		if rank[hi] < rank[lo] {
			t.Fatalf("%d/%d is %s but %d/%d is %s", s, d, lo, s+ds, d+dd, hi)
		}
	})
}
