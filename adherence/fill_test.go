package adherence

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

func TestNewFill(t *testing.T) {
	t.Parallel()
	day := NewDate(2024, 3, 1)
	tests := []struct {
		name  string
		drug  string
		class string
		days  int
		field string // the field the error names; "" for no error
	}{
		{"valid", "314076", "ras", 30, ""},
		{"one day", "314076", "ras", 1, ""},
		{"zero days supply", "314076", "ras", 0, "days_supply"},
		{"negative days supply", "314076", "ras", -30, "days_supply"},
		{"ten years and a day", "314076", "ras", 3651, "days_supply"},
		{"no drug", "", "ras", 30, "drug"},
		{"no class", "314076", "", 30, "class"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := NewFill(tt.drug, tt.class, day, tt.days)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if f.Drug != tt.drug || f.Class != tt.class || f.Date != day || f.DaysSupply != tt.days {
					t.Fatalf("got %+v", f)
				}
				return
			}
			if err == nil || rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("error %v, want EINVALID naming %s", err, tt.field)
			}
		})
	}
}

// TestMeasureRejects checks that bad input is refused with the position of
// the entry at fault, and that no days supply figure leaks into the message.
func TestMeasureRejects(t *testing.T) {
	t.Parallel()
	good := Fill{Drug: "a", Class: "c", Date: NewDate(2024, 1, 1), DaysSupply: 30}
	bad := good
	bad.DaysSupply = -7
	tests := []struct {
		name   string
		method Method
		fills  []Fill
		stays  []Stay
		want   string
	}{
		{"bad fill", Method{Period: Year(2024)}, []Fill{good, bad}, nil, "fill 1: fill: days_supply"},
		{"bad stay", Method{Period: Year(2024)}, []Fill{good}, []Stay{{NewDate(2024, 2, 2), NewDate(2024, 2, 1)}}, "stay 0: stay: end"},
		{"period backwards", Method{Period: Period{NewDate(2024, 2, 2), NewDate(2024, 2, 1)}}, nil, nil, "period: end"},
		{"threshold above 1", Method{Period: Year(2024), Threshold: 80}, nil, nil, "threshold"},
		{"negative minimum", Method{Period: Year(2024), MinTreatmentDays: -1}, nil, nil, "min_treatment_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Measure(tt.method, tt.fills, tt.stays)
			if err == nil || !strings.Contains(err.Error(), tt.want) || rapport.ErrorCode(err) != rapport.EINVALID {
				t.Fatalf("error %v, want EINVALID containing %q", err, tt.want)
			}
			if tt.method.Period == Year(2024) && (strings.Contains(err.Error(), "7") || strings.Contains(err.Error(), "2024")) {
				t.Fatalf("error %q quotes the input", err)
			}
		})
	}
}

// TestMeasureClasses checks that each class is measured on its own, in class
// order, and that a drug shared by name across classes does not shift across
// them.
func TestMeasureClasses(t *testing.T) {
	t.Parallel()
	jan := func(day int) Date { return NewDate(2023, 1, day) }
	fills := []Fill{
		{Drug: "atorvastatin", Class: "statin", Date: jan(1), DaysSupply: 30},
		{Drug: "lisinopril", Class: "ras", Date: jan(1), DaysSupply: 90},
		{Drug: "atorvastatin", Class: "statin", Date: jan(31), DaysSupply: 30},
		{Drug: "lisinopril", Class: "ras", Date: jan(2), DaysSupply: 90},
	}
	rs, err := Measure(Method{Period: Year(2023)}, fills, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Class != "ras" || rs[1].Class != "statin" {
		t.Fatalf("got %+v, want ras then statin", rs)
	}
	if rs[0].Covered != 180 || rs[1].Covered != 60 {
		t.Errorf("covered ras %d statin %d, want 180 60", rs[0].Covered, rs[1].Covered)
	}
	if rs[0].Days != 365 || rs[1].Days != 365 {
		t.Errorf("days %d %d, want 365 365", rs[0].Days, rs[1].Days)
	}
}
