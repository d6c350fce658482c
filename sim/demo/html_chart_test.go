package demo

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/metrics"
)

var (
	nan  = math.NaN()
	inf  = math.Inf(1)
	ninf = math.Inf(-1)
)

func TestScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		v, max, length float64
		want           float64
	}{
		{"half", 5, 10, 400, 200},
		{"full", 10, 10, 400, 400},
		{"over max clamps", 20, 10, 400, 400},
		{"zero value", 0, 10, 400, 0},
		{"negative value", -3, 10, 400, 0},
		{"zero max", 5, 0, 400, 0},
		{"zero everything", 0, 0, 0, 0},
		{"negative max", 5, -10, 400, 0},
		{"NaN value", nan, 10, 400, 0},
		{"NaN max", 5, nan, 400, 0},
		{"Inf value", inf, 10, 400, 0},
		{"Inf max", 5, inf, 400, 0},
		{"zero length", 5, 10, 0, 0},
	}
	for _, tt := range tests {
		if got := scale(tt.v, tt.max, tt.length); got != tt.want {
			t.Errorf("%s: scale(%v, %v, %v) = %v, want %v", tt.name, tt.v, tt.max, tt.length, got, tt.want)
		}
	}
}

func TestLinear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		v, d0, d1, r0, r1 float64
		want              float64
	}{
		{"start", 0, 0, 10, 100, 200, 100},
		{"middle", 5, 0, 10, 100, 200, 150},
		{"inverted range (y axis)", 5, 0, 10, 200, 0, 100},
		{"negative domain", 0, -10, 10, 0, 100, 50},
		{"below clamps", -5, 0, 10, 100, 200, 100},
		{"above clamps", 50, 0, 10, 100, 200, 200},
		{"degenerate domain", 3, 4, 4, 100, 200, 100},
		{"NaN value", nan, 0, 10, 100, 200, 100},
		{"Inf domain is read as [0, 0]: degenerate", 5, 0, inf, 100, 200, 100},
	}
	for _, tt := range tests {
		if got := linear(tt.v, tt.d0, tt.d1, tt.r0, tt.r1); got != tt.want {
			t.Errorf("%s: linear(%v, %v, %v, %v, %v) = %v, want %v", tt.name, tt.v, tt.d0, tt.d1, tt.r0, tt.r1, got, tt.want)
		}
	}
}

func TestNiceMaxAndStep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v       float64
		n       int
		step    float64
		wantMax float64
	}{
		{0, 4, 1, 1},
		{-5, 4, 1, 1},
		{nan, 4, 1, 1},
		{inf, 4, 1, 1},
		{1, 4, 0.5, 1},
		{7, 4, 2, 8},
		{10, 4, 5, 10},
		{37, 4, 10, 40},
		{100, 4, 50, 100},
		{101, 4, 50, 150},
		{2345, 4, 1000, 3000},
		{90, 6, 20, 100},
	}
	for _, tt := range tests {
		if got := niceStep(tt.v, tt.n); got != tt.step {
			t.Errorf("niceStep(%v, %d) = %v, want %v", tt.v, tt.n, got, tt.step)
		}
		if got := niceMax(tt.v, tt.n); got != tt.wantMax {
			t.Errorf("niceMax(%v, %d) = %v, want %v", tt.v, tt.n, got, tt.wantMax)
		}
	}
}

func TestTicks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 40, 4, []float64{0, 10, 20, 30, 40}},
		{0, 90, 6, []float64{0, 20, 40, 60, 80, 100}},
		{-2.5, 8.3, 5, []float64{-5, 0, 5, 10}}, // step 10.8/5 = 2.16 rounds up to 5,
		{0, 0.3, 3, []float64{0, 0.1, 0.2, 0.3}},
		{-0.7, 0.2, 5, []float64{-0.8, -0.6, -0.4, -0.2, 0, 0.2}},
		{0, 0, 4, []float64{0, 1}},
		{5, 1, 4, []float64{0, 1}},
		{nan, nan, 4, []float64{0, 1}},
		{0, inf, 4, []float64{0, 1}},
	}
	for _, tt := range tests {
		if got := ticks(tt.lo, tt.hi, tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ticks(%v, %v, %d) = %v, want %v", tt.lo, tt.hi, tt.n, got, tt.want)
		}
	}
}

func TestPointsAndNum(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []xy
		want string
	}{
		{nil, ""},
		{[]xy{{1, 2}}, "1,2"},
		{[]xy{{56, 220}, {100.25, 12.04}, {520, 0}}, "56,220 100.3,12 520,0"},
		{[]xy{{nan, inf}, {ninf, -0.01}}, "0,0 0,0"},
	}
	for _, tt := range tests {
		if got := points(tt.in); got != tt.want {
			t.Errorf("points(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	nums := map[float64]string{0: "0", 1: "1", -1.25: "-1.3", 33.333: "33.3", 1e6: "1000000", nan: "0", inf: "0", -0.04: "0"}
	for in, want := range nums {
		if got := num(in); got != want {
			t.Errorf("num(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestPct(t *testing.T) {
	t.Parallel()
	tests := []struct {
		part, whole int
		want        float64
	}{{1, 4, 25}, {0, 0, 0}, {5, 0, 0}, {3, -1, 0}, {10, 10, 100}}
	for _, tt := range tests {
		if got := pct(tt.part, tt.whole); got != tt.want {
			t.Errorf("pct(%d, %d) = %v, want %v", tt.part, tt.whole, got, tt.want)
		}
	}
}

func TestSpread(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b, gap    float64
		wantA, wantB float64
	}{
		{10, 100, 14, 10, 100},
		{100, 100, 14, 93, 107},
		{100, 96, 14, 105, 91},
		{96, 100, 14, 91, 105},
		{nan, 0, 14, -7, 7},
	}
	for _, tt := range tests {
		a, b := spread(tt.a, tt.b, tt.gap)
		if a != tt.wantA || b != tt.wantB {
			t.Errorf("spread(%v, %v, %v) = %v, %v, want %v, %v", tt.a, tt.b, tt.gap, a, b, tt.wantA, tt.wantB)
		}
	}
}

func TestTruncateAndCommas(t *testing.T) {
	t.Parallel()
	trunc := []struct {
		s    string
		n    int
		want string
	}{
		{"cost", 24, "cost"},
		{"afraid of the results of tests", 10, "afraid of…"},
		{"déjà vu", 5, "déjà…"},
		{"x", 0, "x"},
	}
	for _, tt := range trunc {
		if got := truncate(tt.s, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
	com := map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -12345: "-12,345", 100000: "100,000"}
	for in, want := range com {
		if got := commas(in); got != want {
			t.Errorf("commas(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestDayIndex(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, ny)
	tests := []struct {
		day  time.Time
		want int
	}{
		{start, 0},
		{start.Add(13 * time.Hour), 0},
		{time.Date(2026, 3, 31, 0, 0, 0, 0, ny), 30},       // across the DST change of 8 March
		{time.Date(2026, 3, 31, 3, 0, 0, 0, time.UTC), 29}, // 30 March 23:00 in New York
		{start.AddDate(0, 0, -3), 0},
		{time.Time{}, 0},
	}
	for _, tt := range tests {
		if got := dayIndex(start, tt.day); got != tt.want {
			t.Errorf("dayIndex(%v, %v) = %d, want %d", start, tt.day, got, tt.want)
		}
	}
	if got := dayIndex(time.Time{}, start); got != 0 {
		t.Errorf("dayIndex(zero start) = %d, want 0", got)
	}
}

func TestReasonList(t *testing.T) {
	t.Parallel()
	rep := &metrics.Report{
		DeclineReasons: map[string]int{"cost": 5, "other": 2, "distance": 9, "time": 2},
		DeclineReasonDetails: []metrics.Reason{
			{Reason: "cost", Count: 5, Verbatims: []string{"too dear"}},
			{Reason: "distance", Count: 9},
		},
	}
	got := reasonList(rep)
	var names []string
	for _, r := range got {
		names = append(names, r.Reason)
	}
	if want := []string{"distance", "cost", "other", "time"}; !reflect.DeepEqual(names, want) {
		t.Errorf("reasonList order = %v, want %v", names, want)
	}
	if len(got[1].Verbatims) != 1 {
		t.Errorf("cost lost its verbatims: %+v", got[1])
	}
	if got := reasonList(&metrics.Report{}); len(got) != 0 {
		t.Errorf("reasonList(empty) = %v, want none", got)
	}
}

// TestChartsFinite builds every chart from degenerate reports and checks
// that no coordinate is NaN or infinite and no bar is negative.
func TestChartsFinite(t *testing.T) {
	t.Parallel()
	bad := metrics.Report{
		Lift:                  metrics.Lift{Estimate: nan, CILow: ninf, CIHigh: inf, Treated: nan, Control: nan, Measurable: true},
		EngagedDeclinersByDay: []metrics.Point{{Day: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Value: 0}},
		DeclineReasons:        map[string]int{"": 0},
		BySegment:             map[string]metrics.Funnel{"rural": {Reached: 5}},
	}
	for name, r := range map[string]*Result{
		"zero":    {},
		"nan":     {Rapport: bad, Baseline: bad},
		"one day": {Days: 0, Rapport: metrics.Report{EngagedDeclinersByDay: bad.EngagedDeclinersByDay}},
	} {
		v := newHTMLView(r)
		var fs []float64
		for _, s := range v.Funnel.Stages {
			for _, b := range s.Bars {
				fs = append(fs, b.X, b.Y, b.W, b.H, b.TX, b.TY)
			}
		}
		for _, l := range v.Trend.Lines {
			fs = append(fs, l.EndX, l.EndY, l.LabelY)
			if strings.Contains(l.Points, "NaN") || strings.Contains(l.Points, "Inf") || l.Points == "" {
				t.Errorf("%s: line points %q", name, l.Points)
			}
		}
		for _, row := range v.Lift.Rows {
			fs = append(fs, row.X, row.Lo, row.Hi, row.Y)
		}
		fs = append(fs, v.Lift.Zero, v.Lift.H, v.Trend.H, v.Reasons.H, v.Segments.H, v.Funnel.H)
		for _, row := range v.Segments.Rows {
			for _, b := range row.Bars {
				fs = append(fs, b.W)
			}
		}
		for i, f := range fs {
			if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
				t.Errorf("%s: value %d is %v", name, i, f)
			}
		}
	}
}
