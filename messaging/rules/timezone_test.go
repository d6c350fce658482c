package rules

import "testing"

func TestPatientLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		patientTZ  string
		phoneZones []string
		postal     string
		orgTZ      string
		want       string
	}{
		{"patient record wins", "America/Denver", []string{"America/New_York"}, "10001", "America/Chicago", "America/Denver"},
		{"unknown patient zone is skipped", "Mars/Olympus", []string{"America/New_York"}, "", "America/Chicago", "America/New_York"},
		{"phone zones agree", "", []string{"America/Chicago", "America/Chicago"}, "10001", "America/New_York", "America/Chicago"},
		{"phone zones disagree, ZIP decides", "", []string{"America/Chicago", "America/New_York"}, "80202", "America/New_York", "America/Denver"},
		{"Etc/Unknown is ignored", "", []string{"Etc/Unknown", "America/Los_Angeles"}, "", "America/New_York", "America/Los_Angeles"},
		{"ZIP", "", nil, "85004", "America/New_York", "America/Phoenix"},
		{"ZIP+4", "", nil, "96813-1234", "America/New_York", "Pacific/Honolulu"},
		{"ZIP in the Florida panhandle", "", nil, "32501", "America/New_York", "America/Chicago"},
		{"ZIP in El Paso", "", nil, "79901", "America/Chicago", "America/Denver"},
		{"ZIP in Puerto Rico", "", nil, "00901", "America/New_York", "America/Puerto_Rico"},
		{"ZIP with no org zone", "", nil, "60601", "", "America/Chicago"},
		{"postal code abroad is not a ZIP", "", nil, "28001", "Europe/Madrid", "Europe/Madrid"},
		{"bad postal code", "", nil, "ABCDE", "America/New_York", "America/New_York"},
		{"military prefix", "", nil, "09001", "America/New_York", "America/New_York"},
		{"org zone", "", nil, "", "America/Mexico_City", "America/Mexico_City"},
		{"nothing known", "", nil, "", "", "UTC"},
		{"bad org zone", "", nil, "", "Nowhere/Else", "UTC"},
		{"Local is not a patient zone", "Local", nil, "", "Europe/Madrid", "Europe/Madrid"},
	}
	for _, tt := range tests {
		got := PatientLocation(tt.patientTZ, tt.phoneZones, tt.postal, tt.orgTZ)
		if got.String() != tt.want {
			t.Errorf("%s: PatientLocation = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// The ZIP table is sorted, its ranges do not overlap, and every zone loads.
func TestZIPTable(t *testing.T) {
	t.Parallel()
	prev := -1
	for i, z := range zipZones {
		if z.lo > z.hi || z.lo <= prev {
			t.Errorf("entry %d (%03d-%03d) is out of order", i, z.lo, z.hi)
		}
		prev = z.hi
		if loadZone(z.zone) == nil {
			t.Errorf("entry %d: zone %s does not load", i, z.zone)
		}
	}
	for z := range usZones {
		if loadZone(z) == nil {
			t.Errorf("US zone %s does not load", z)
		}
	}
}

func FuzzZIPZone(f *testing.F) {
	for _, s := range []string{"02139", "02139-4307", "", "9999", "ABCDE", "99999", "00000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if z := ZIPZone(s); z != "" && loadZone(z) == nil {
			t.Fatalf("ZIPZone(%q) = %q, which does not load", s, z)
		}
	})
}
