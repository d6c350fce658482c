package verify

import (
	"testing"

	"github.com/rapporthq/rapport"
)

// TestPhoneFlags: numbering plans accept NANP service codes and fiction
// ranges as ordinary lines; rapport flags them, and refuses those no
// subscriber can hold.
func TestPhoneFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, region string
		valid       bool
		flag        rapport.FlagCode
		reason      string // the flag's
	}{
		{"212-555-0100", "US", true, rapport.FlagFictional, "555-0100 to 555-0199 are reserved for fiction"},
		{"(505) 555-0199", "US", true, rapport.FlagFictional, "555-0100 to 555-0199 are reserved for fiction"},
		{"212-555-0200", "US", true, "", ""}, // just outside the range
		{"212-555-1212", "US", false, rapport.FlagReserved, "555-1212 is directory assistance"},
		{"212-411-1234", "US", false, rapport.FlagReserved, "exchange 411 is an N11 service code"},
		{"212-911-0000", "US", false, rapport.FlagReserved, "exchange 911 is an N11 service code"},
		{"411-555-1234", "US", false, rapport.FlagReserved, "area code 411 is an N11 service code"},
		{"555-860-0021", "US", false, rapport.FlagReserved, "area code 555 is reserved by NANPA"},
		{"375-234-5678", "US", false, rapport.FlagReserved, "area code 375 is reserved by NANPA"},
		{"965-234-5678", "US", false, rapport.FlagReserved, "area code 965 is reserved by NANPA"},
		{"292-234-5678", "US", false, rapport.FlagReserved, "area code 292 is reserved by NANPA"},
		{"512-867-5309", "US", true, "", ""},
		{"+44 20 7946 0123", "", true, rapport.FlagFictional, "in Ofcom's range for drama (020 7946 0xxx)"},
		{"07700 900123", "GB", false, rapport.FlagFictional, "in Ofcom's range for drama (07700 900xxx)"},
		{"0113 496 0999", "GB", true, rapport.FlagFictional, "in Ofcom's range for drama (0113 496 0xxx)"},
		{"0113 496 1000", "GB", true, "", ""},
		{"01632 960123", "GB", false, rapport.FlagFictional, "in Ofcom's range for drama (01632 960xxx)"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got := Phone(tt.raw, tt.region)
			if got.Valid != tt.valid {
				t.Errorf("Phone(%q).Valid = %v (%s), want %v", tt.raw, got.Valid, got.Reason, tt.valid)
			}
			switch {
			case tt.flag == "" && len(got.Flags) != 0:
				t.Errorf("Phone(%q) flags %+v, want none", tt.raw, got.Flags)
			case tt.flag != "" && (len(got.Flags) != 1 || got.Flags[0].Code != tt.flag || got.Flags[0].Reason != tt.reason):
				t.Errorf("Phone(%q) flags %+v, want %s %q", tt.raw, got.Flags, tt.flag, tt.reason)
			}
			if !got.Valid && got.Reason == "" {
				t.Errorf("Phone(%q) invalid without a reason", tt.raw)
			}
		})
	}
}
