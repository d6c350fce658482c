package selfreport

import (
	"errors"
	"testing"
)

func TestParseReading(t *testing.T) {
	t.Parallel()
	bp := func(s, d, p int) Reading {
		return Reading{Kind: BloodPressure, Systolic: s, Diastolic: d, Pulse: p, Unit: UnitMmHg}
	}
	glu := func(v float64) Reading { return Reading{Kind: Glucose, Value: v, Unit: UnitMgDL} }
	tests := []struct {
		text string
		want Reading
	}{
		{"142/90", bp(142, 90, 0)},
		{"BP 142/90", bp(142, 90, 0)},
		{"bp: 142 / 90", bp(142, 90, 0)},
		{"bp142/90", bp(142, 90, 0)},
		{"B.P. 142/90", bp(142, 90, 0)},
		{"b 142/90", bp(142, 90, 0)}, // an unknown word is no kind
		{"presión 142/90", bp(142, 90, 0)},
		{"presion arterial 128/84", bp(128, 84, 0)},
		{"142 sobre 90", bp(142, 90, 0)},
		{"142 over 90", bp(142, 90, 0)},
		{"my blood pressure this morning was 135/85 mmHg", bp(135, 85, 0)},
		{"142/90 p 72", bp(142, 90, 72)},
		{"142/90 pulse 72", bp(142, 90, 72)},
		{"142/90 72 bpm", bp(142, 90, 72)},
		{"142/90 72", bp(142, 90, 72)},
		{"142/90/72", bp(142, 90, 72)},
		{"BP 118/76 HR 64", bp(118, 76, 64)},
		{"presión 150/95 pulso 80", bp(150, 95, 80)},
		{"glucose 180", glu(180)},
		{"sugar 180", glu(180)},
		{"Sugar was 95 this morning", glu(95)},
		{"bs 180", glu(180)},
		{"BS:180", glu(180)},
		{"glucosa 180", glu(180)},
		{"azúcar 180 mg/dl", glu(180)},
		{"180 mg/dL", glu(180)},
		{"180mg/dl", glu(180)},
		{"fasting sugar 126 mg", glu(126)},
		{"glucose 10 mmol", Reading{Kind: Glucose, Value: 180, Unit: UnitMgDL, FromUnit: UnitMmolL}},
		{"sugar 7,8 mmol/L", Reading{Kind: Glucose, Value: 141, Unit: UnitMgDL, FromUnit: UnitMmolL}},
		{"weight 182 lb", Reading{Kind: Weight, Value: 182, Unit: UnitLb}},
		{"weight 182.4 lbs", Reading{Kind: Weight, Value: 182.4, Unit: UnitLb}},
		{"peso 82 kg", Reading{Kind: Weight, Value: 82, Unit: UnitKg}},
		{"peso 82,5 kilos", Reading{Kind: Weight, Value: 82.5, Unit: UnitKg}},
		{"182 pounds", Reading{Kind: Weight, Value: 182, Unit: UnitLb}},
		{"pulse 72", Reading{Kind: HeartRate, Pulse: 72, Unit: UnitPerMin}},
	}
	for _, tt := range tests {
		got, err := ParseReading(tt.text, "en")
		if tt.want.Kind == "" {
			if !errors.Is(err, ErrNotUnderstood) {
				t.Errorf("ParseReading(%q) = %+v, %v; want not understood", tt.text, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseReading(%q) = %+v, %v; want %+v", tt.text, got, err, tt.want)
		}
	}
}

func TestParseReadingImplausible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, field string
	}{
		{"1420/90", "systolic"},
		{"142/900", "diastolic"},
		{"90/142", "diastolic"},
		{"142/90 p 720", "pulse"},
		{"glucose 5000", "glucose"},
		{"sugar 8", "glucose"},
		{"glucose 60 mmol", "glucose"},
		{"weight 1820 lb", "weight"},
		{"peso 820 kg", "weight"},
		{"pulse 7", "pulse"},
	}
	for _, tt := range tests {
		_, err := ParseReading(tt.text, "en")
		var ie *ImplausibleError
		if !errors.Is(err, ErrImplausible) || !errors.As(err, &ie) || ie.Field != tt.field {
			t.Errorf("ParseReading(%q) error = %v, want implausible %s", tt.text, err, tt.field)
		}
	}
	// The message names the field and the range, not the number.
	_, err := ParseReading("glucose 5000", "en")
	if got, want := err.Error(), "reading: glucose is outside the plausible range 20–800 mg/dL"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestParseReadingNotUnderstood(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"", "bp", "glucose", "180", "hello",
		"took my metformin 500 mg", // a dose, not a glucose
		"weight 182",               // lb or kg?
		"sugar 7.8",                // mmol/L without its unit
		"bp 142/90 sugar 180",      // two readings
		"142/90 and 150/95",
		"on 12/5 my sugar was 180",
		"142/90 at 8",
		"bp 142",
		"142.5/90",
		"glucose 180 mg/dl 10 mmol",
		"weight 80 kg 176 lb",
		"1234567/90",
		"I think my blood pressure has been high all week, it was 150/95 yesterday and I'm worried",
	} {
		r, err := ParseReading(text, "en")
		if !errors.Is(err, ErrNotUnderstood) {
			t.Errorf("ParseReading(%q) = %+v, %v; want not understood", text, r, err)
		}
	}
}
