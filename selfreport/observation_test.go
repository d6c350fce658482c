package selfreport

import (
	"reflect"
	"testing"
)

func TestObservations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want []Observation
	}{
		{"142/90", []Observation{{Code: LOINCBloodPressurePanel, Components: []Observation{
			{Code: LOINCSystolic, Value: 142, Unit: "mm[Hg]"}, {Code: LOINCDiastolic, Value: 90, Unit: "mm[Hg]"}}}}},
		{"142/90 p 72", []Observation{{Code: LOINCBloodPressurePanel, Components: []Observation{
			{Code: LOINCSystolic, Value: 142, Unit: "mm[Hg]"}, {Code: LOINCDiastolic, Value: 90, Unit: "mm[Hg]"}}},
			{Code: LOINCHeartRate, Value: 72, Unit: "/min"}}},
		{"glucose 10 mmol", []Observation{{Code: LOINCGlucose, Value: 180, Unit: "mg/dL"}}},
		{"peso 82 kg", []Observation{{Code: LOINCBodyWeight, Value: 82, Unit: "kg"}}},
		{"weight 182 lb", []Observation{{Code: LOINCBodyWeight, Value: 182, Unit: "[lb_av]"}}},
		{"pulse 64", []Observation{{Code: LOINCHeartRate, Value: 64, Unit: "/min"}}},
	}
	for _, tt := range tests {
		r, err := ParseReading(tt.text, "en")
		if err != nil {
			t.Fatalf("ParseReading(%q): %v", tt.text, err)
		}
		if got := r.Observations(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q observations = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

func TestKindCode(t *testing.T) {
	t.Parallel()
	want := map[Kind]string{BloodPressure: "85354-9", Glucose: "2339-0", Weight: "29463-7", HeartRate: "8867-4", "": ""}
	for k, code := range want {
		if got := k.Code().Code; got != code {
			t.Errorf("%q.Code() = %q, want %q", k, got, code)
		}
	}
	if LOINCSystolic.Code != "8480-6" || LOINCDiastolic.Code != "8462-4" {
		t.Errorf("component codes %q, %q; want 8480-6, 8462-4", LOINCSystolic.Code, LOINCDiastolic.Code)
	}
}
