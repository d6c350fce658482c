package verify

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/rapporthq/rapport"
)

// TestPhoneExampleNumbers reads the numbering plans' own example numbers in
// national format, as a clinic's CRM would hold them, and expects them back
// in E.164 with their line type.
func TestPhoneExampleNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		region string
		typ    phonenumbers.PhoneNumberType
		want   rapport.LineType
	}{
		// US numbering plans cannot tell mobiles from landlines.
		{"US", phonenumbers.MOBILE, rapport.LineFixedMobile},
		{"US", phonenumbers.FIXED_LINE, rapport.LineFixedMobile},
		{"US", phonenumbers.TOLL_FREE, rapport.LineTollFree},
		{"GB", phonenumbers.MOBILE, rapport.LineMobile},
		{"GB", phonenumbers.FIXED_LINE, rapport.LineLandline},
		{"GB", phonenumbers.VOIP, rapport.LineVoIP},
		{"MX", phonenumbers.MOBILE, rapport.LineFixedMobile},
		{"MX", phonenumbers.FIXED_LINE, rapport.LineLandline},
		{"ES", phonenumbers.MOBILE, rapport.LineMobile},
		{"ES", phonenumbers.FIXED_LINE, rapport.LineLandline},
	}
	for _, tt := range tests {
		ex := phonenumbers.GetExampleNumberForType(tt.region, tt.typ)
		if ex == nil {
			t.Fatalf("no example %v number for %s", tt.typ, tt.region)
		}
		e164 := phonenumbers.Format(ex, phonenumbers.E164)
		for _, format := range []phonenumbers.PhoneNumberFormat{phonenumbers.NATIONAL, phonenumbers.INTERNATIONAL, phonenumbers.E164} {
			raw := phonenumbers.Format(ex, format)
			t.Run(tt.region+"/"+raw, func(t *testing.T) {
				t.Parallel()
				got := Phone(raw, tt.region)
				if !got.Valid || got.Reason != "" {
					t.Fatalf("Phone(%q, %s) = %+v, want valid", raw, tt.region, got)
				}
				if got.E164 != e164 || got.LineType != tt.want || got.Region != tt.region {
					t.Errorf("Phone(%q, %s) = %+v, want E164 %s, line %s, region %s", raw, tt.region, got, e164, tt.want, tt.region)
				}
			})
		}
	}
}

func TestPhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, region string
		e164        string
		valid       bool
		reason      string // the exact reason, or a prefix ending in "…"
		regionOut   string
		ext         string
	}{
		// Synthea writes every phone as 555-NNN-NNNN.
		{"555-123-4567", "US", "+15551234567", false, "area code 555 is not assigned in US", "US", ""},
		{"555-860-0021", "US", "+15558600021", false, "area code 555 is not assigned in US", "US", ""},
		{"(555) 123-4567", "CA", "+15551234567", false, "area code 555 is not assigned in CA", "CA", ""},
		{"+1 555 123 4567 ext. 9", "GB", "+15551234567", false, "area code 555 is not assigned in US", "US", "9"},
		{"+1 (212) 555-0100", "US", "+12125550100", true, "", "US", ""},
		{"+1 (212) 555-0100", "GB", "+12125550100", true, "", "US", ""},
		{"212.555.0100", "US", "+12125550100", true, "", "US", ""},
		{"2125550100", "us", "+12125550100", true, "", "US", ""},
		{"1-212-555-0100", "US", "+12125550100", true, "", "US", ""},
		{"415-555-2671 x123", "US", "+14155552671", true, "", "US", "123"},
		{"(416) 555-0199", "US", "+14165550199", true, "", "CA", ""},
		{"1-800-FLOWERS", "US", "+18003569377", true, "", "US", ""},
		{"(212) 055-1234", "US", "+12120551234", false, "exchange 055 is not valid in area code 212 (exchanges start with 2-9)", "US", ""},
		{"(123) 456-7890", "US", "+11234567890", false, "area code 123 is not assigned in US (area codes start with 2-9)", "US", ""},
		{"555-1234", "US", "", false, "local number without its area code (7 digits)", "US", ""},
		{"12", "US", "", false, "too short for US (2 digits)", "US", ""},
		{"1", "US", "", false, "too short", "", ""},
		{"212-555-01", "US", "", false, "too short for US (8 digits)", "US", ""},
		{"212-555-0100-99", "US", "", false, "too long for US (12 digits)", "US", ""},
		{"07400 123456", "US", "", false, "too long for US (11 digits)", "US", ""},
		{"07400 123456", "GB", "+447400123456", true, "", "GB", ""},
		{"+44 7400 12345", "US", "+44740012345", false, "not a number in any range assigned in GB", "GB", ""},
		{"+44 20 7946 0018", "US", "+442079460018", true, "", "GB", ""},
		{"+44 (0)20 7946 0018", "US", "+442079460018", true, "", "GB", ""},
		{"+999 1234567", "US", "", false, "invalid country code", "", ""},
		{"2125550100", "", "", false, "no country code, and no default region to read it in", "", ""},
		{"2125550100", "XX", "", false, `no country code, and default region "XX" is unknown`, "", ""},
		{"", "US", "", false, "empty", "", ""},
		{"   ", "US", "", false, "empty", "", ""},
		{"n/a", "US", "", false, "not a number", "", ""},
		{"unknown", "US", "", false, "not a number", "", ""},
		{"---", "US", "", false, "not a number", "", ""},
		{"+1 212 555 0100 0100 0100 0100 0100", "US", "", false, "too long", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw+"/"+tt.region, func(t *testing.T) {
			t.Parallel()
			got := Phone(tt.raw, tt.region)
			if got.Valid != tt.valid || got.E164 != tt.e164 || got.Region != tt.regionOut || got.Extension != tt.ext {
				t.Errorf("Phone(%q, %q) = %+v, want valid %v, E164 %q, region %q, ext %q", tt.raw, tt.region, got, tt.valid, tt.e164, tt.regionOut, tt.ext)
			}
			if want, ok := strings.CutSuffix(tt.reason, "…"); ok {
				if !strings.HasPrefix(got.Reason, want) || got.Reason == "" {
					t.Errorf("Reason = %q, want a reason starting %q", got.Reason, want)
				}
			} else if got.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q", got.Reason, tt.reason)
			}
			if !got.Valid && got.LineType != rapport.LineUnknown {
				t.Errorf("invalid number has line type %q", got.LineType)
			}
		})
	}
}

func TestKnownRegion(t *testing.T) {
	t.Parallel()
	for region, want := range map[string]bool{"US": true, "gb": true, " MX ": true, "ES": true, "XX": false, "": false, "USA": false, "001": false} {
		if got := KnownRegion(region); got != want {
			t.Errorf("KnownRegion(%q) = %v, want %v", region, got, want)
		}
	}
}

func BenchmarkPhone(b *testing.B) {
	inputs := []struct{ raw, region string }{
		{"555-123-4567", "US"},      // Synthea
		{"+1 (212) 555-0100", "US"}, // valid US
		{"07400 123456", "GB"},      // valid GB mobile
		{"(416) 555-0199", "US"},    // Canada through the NANP region list
		{"n/a", "US"},
	}
	for _, in := range inputs {
		b.Run(in.raw, func(b *testing.B) {
			Phone(in.raw, in.region) // compile the numbering plans outside the timing
			b.ReportAllocs()
			for b.Loop() {
				Phone(in.raw, in.region)
			}
		})
	}
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"555-123-4567", "+1 (212) 555-0100", "07400 123456", "415-555-2671 x123", "1-800-FLOWERS", "+999 1", "tel:+1-212-555-0100;phone-context=+1", "", "٠١٢٣", "+44 (0) 20 7946 0018"} {
		f.Add(s, "US")
	}
	f.Add("0612345678", "ES")
	f.Add("2125550100", "")
	f.Fuzz(func(t *testing.T, raw, region string) {
		got := Phone(raw, region)
		if got.Valid == (got.Reason != "") {
			t.Fatalf("Phone(%q, %q) = %+v: Valid and Reason disagree", raw, region, got)
		}
		if got.Valid && !isE164(got.E164) {
			t.Fatalf("Phone(%q, %q) valid with E164 %q", raw, region, got.E164)
		}
		if !utf8.ValidString(got.Reason) {
			t.Fatalf("reason is not UTF-8: %q", got.Reason)
		}
		if got.Valid {
			// A valid number read back from its E.164 form is the same number.
			again := Phone(got.E164, "")
			if !again.Valid || again.E164 != got.E164 || again.LineType != got.LineType {
				t.Fatalf("Phone(%q) = %+v, but its E164 reads back as %+v", raw, got, again)
			}
		}
	})
}
