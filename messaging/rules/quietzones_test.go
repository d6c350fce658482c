package rules

import (
	"testing"
	"time"
)

func TestQuietZones(t *testing.T) {
	t.Parallel()
	idaho := []string{"America/Boise", "America/Los_Angeles"} // +1 208: an area code across two zones
	tests := []struct {
		name       string
		patientTZ  string
		phoneZones []string
		postal     string
		orgTZ      string
		want       []string
	}{
		{"zones disagree, no ZIP: both", "", idaho, "", "America/Chicago", []string{"America/Boise", "America/Los_Angeles"}},
		{"zones disagree, ZIP decides", "", idaho, "83702", "America/Chicago", []string{"America/Boise"}},
		{"patient record decides", "America/Boise", idaho, "", "America/Chicago", []string{"America/Boise"}},
		{"zones agree", "", []string{"America/Chicago"}, "", "America/New_York", []string{"America/Chicago"}},
		{"no phone: org zone", "", nil, "", "America/Chicago", []string{"America/Chicago"}},
		{"abroad, ZIP not read: both", "", idaho, "28001", "Europe/Madrid", []string{"America/Boise", "America/Los_Angeles"}},
		{"one known zone besides unknown", "", []string{"Etc/Unknown", "America/Denver"}, "", "America/Chicago", []string{"America/Denver"}},
	}
	for _, tt := range tests {
		got := QuietZones(tt.patientTZ, tt.phoneZones, tt.postal, tt.orgTZ)
		var names []string
		for _, l := range got {
			names = append(names, l.String())
		}
		if len(names) != len(tt.want) {
			t.Errorf("%s: QuietZones = %v, want %v", tt.name, names, tt.want)
			continue
		}
		for i := range names {
			if names[i] != tt.want[i] {
				t.Errorf("%s: QuietZones = %v, want %v", tt.name, names, tt.want)
				break
			}
		}
	}
}

// TestNextAllowedAll: with Boise and Los Angeles both possible, 08:00–21:00
// holds only from 08:00 Los Angeles (09:00 Boise) to 20:00 Los Angeles
// (21:00 Boise).
func TestNextAllowedAll(t *testing.T) {
	t.Parallel()
	boise, la := mustZone(t, "America/Boise"), mustZone(t, "America/Los_Angeles")
	both := []*time.Location{boise, la}
	at := func(h, m int) time.Time { return time.Date(2026, 3, 3, h, m, 0, 0, la) } // PST, Boise MST
	tests := []struct {
		name string
		locs []*time.Location
		t    time.Time
		want time.Time
	}{
		{"07:30 LA is 08:30 Boise: wait for LA", both, at(7, 30), at(8, 0)},
		{"12:00 LA is allowed in both", both, at(12, 0), at(12, 0)},
		{"20:30 LA is 21:30 Boise: wait for tomorrow", both, at(20, 30), at(8, 0).AddDate(0, 0, 1)},
		{"20:30 LA alone is allowed", []*time.Location{la}, at(20, 30), at(20, 30)},
		{"order does not matter", []*time.Location{la, boise}, at(20, 30), at(8, 0).AddDate(0, 0, 1)},
	}
	for _, tt := range tests {
		got := DefaultWindow.NextAllowedAll(tt.t, tt.locs)
		if !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got.In(la), tt.want)
		}
		if !DefaultWindow.AllowedAll(got, tt.locs) {
			t.Errorf("%s: %v is not allowed in every zone", tt.name, got.In(la))
		}
	}
	// Windows that never meet fall back to the first zone.
	short := Window{Start: 9 * 60, End: 10 * 60}
	tokyo, ny := mustZone(t, "Asia/Tokyo"), mustZone(t, "America/New_York")
	if got, want := short.NextAllowedAll(at(0, 0), []*time.Location{ny, tokyo}), short.NextAllowed(at(0, 0), ny); !got.Equal(want) {
		t.Errorf("disjoint windows: %v, want the first zone's %v", got, want)
	}
}
