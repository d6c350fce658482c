package verify

import (
	"reflect"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/rapporthq/rapport"
)

func TestContactPoint(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	gbLandline := phonenumbers.Format(phonenumbers.GetExampleNumberForType("GB", phonenumbers.FIXED_LINE), phonenumbers.NATIONAL)
	fictional555 := []rapport.ContactFlag{{Code: rapport.FlagFictional, Reason: "555-0100 to 555-0199 are reserved for fiction"}}
	reserved555 := []rapport.ContactFlag{{Code: rapport.FlagReserved, Reason: "area code 555 is reserved by NANPA"}}
	tests := []struct {
		name   string
		in     rapport.ContactPoint
		region string
		want   rapport.ContactPoint
	}{
		{
			name: "US phone", region: "US",
			in:   rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "(212) 555-0100", Use: rapport.UseHome},
			want: rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "(212) 555-0100", Use: rapport.UseHome, Value: "+12125550100", LineType: rapport.LineFixedMobile, Region: "US", Status: rapport.StatusUnverified, StatusAt: now, Flags: fictional555},
		},
		{
			name: "mobile use on a landline keeps use, line type says landline", region: "GB",
			in:   rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: gbLandline, Use: rapport.UseMobile, Rank: 1, Source: rapport.SourceImport},
			want: rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: gbLandline, Use: rapport.UseMobile, Rank: 1, Source: rapport.SourceImport, Value: "+441212345678", LineType: rapport.LineLandline, Region: "GB", Status: rapport.StatusUnverified, StatusAt: now},
		},
		{
			name: "Synthea phone", region: "US",
			in:   rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "555-860-0021", Use: rapport.UseHome},
			want: rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "555-860-0021", Use: rapport.UseHome, Value: "+15558600021", LineType: rapport.LineUnknown, Region: "US", Status: rapport.StatusInvalid, StatusReason: "area code 555 is not assigned in US", StatusAt: now, Flags: reserved555},
		},
		{
			name: "garbage phone",
			in:   rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "call her daughter", Status: rapport.StatusValid, StatusAt: earlier},
			want: rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "call her daughter", LineType: rapport.LineUnknown, Status: rapport.StatusInvalid, StatusReason: "not a number", StatusAt: now},
		},
		{
			name: "email",
			in:   rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: " Ana@Example.ORG "},
			want: rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: " Ana@Example.ORG ", Value: "Ana@example.org", Status: rapport.StatusUnverified, StatusAt: now},
		},
		{
			// A suggestion, never a rewrite, and no verdict by itself.
			name: "typo'd email",
			in:   rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: "ana@gmial.com"},
			want: rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: "ana@gmial.com", Value: "ana@gmial.com", Status: rapport.StatusUnverified, StatusAt: now,
				Flags: []rapport.ContactFlag{{Code: rapport.FlagTypo, Reason: "domain gmial.com looks like a typo of gmail.com"}}, Suggestion: "ana@gmail.com"},
		},
		{
			name: "role email",
			in:   rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: "Info@Clinic.org"},
			want: rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: "Info@Clinic.org", Value: "Info@clinic.org", Status: rapport.StatusUnverified, StatusAt: now,
				Flags: []rapport.ContactFlag{{Code: rapport.FlagRole, Reason: "info@ is a role address, not a person's"}}},
		},
		{
			name: "re-judged email drops an old suggestion",
			in:   rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: "ana@gmail.com", Suggestion: "x@y.com", Flags: []rapport.ContactFlag{{Code: rapport.FlagTypo, Reason: "old"}}},
			want: rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: "ana@gmail.com", Value: "ana@gmail.com", Status: rapport.StatusUnverified, StatusAt: now},
		},
		{
			name: "postal",
			in:   rapport.ContactPoint{Kind: rapport.ContactPostal, Raw: " 1 Main St, Springfield "},
			want: rapport.ContactPoint{Kind: rapport.ContactPostal, Raw: " 1 Main St, Springfield ", Value: "1 Main St, Springfield", Status: rapport.StatusUnverified, StatusAt: now},
		},
		{
			name: "opted out keeps its status",
			in:   rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "555-860-0021", Status: rapport.StatusOptedOut, StatusReason: "STOP", StatusAt: earlier}, region: "US",
			want: rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "555-860-0021", Value: "+15558600021", LineType: rapport.LineUnknown, Region: "US", Status: rapport.StatusOptedOut, StatusReason: "STOP", StatusAt: earlier, Flags: reserved555},
		},
		{
			name: "unknown kind",
			in:   rapport.ContactPoint{Kind: "fax", Raw: "212 555 0100"},
			want: rapport.ContactPoint{Kind: "fax", Raw: "212 555 0100", Status: rapport.StatusInvalid, StatusReason: `kind "fax" is not one of phone, email, postal`, StatusAt: now},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.in
			ContactPoint(&got, tt.region, now)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ContactPoint(%+v) =\n %+v, want\n %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTimeZonesForPhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e164 string
		want []string
	}{
		{"+12125550100", []string{"America/New_York"}},
		{"+13125550100", []string{"America/Chicago"}},
		{"+442079460018", []string{"Europe/London"}},
		{"+34810123456", []string{"Europe/Madrid"}},
		{"", nil},
		{"2125550100", nil},
		{"+1212555010x", nil},
		{"+0123", nil},
		{"+1234567890123456", nil},
	}
	for _, tt := range tests {
		got := TimeZonesForPhone(tt.e164)
		if len(got) != len(tt.want) {
			t.Errorf("TimeZonesForPhone(%q) = %v, want %v", tt.e164, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("TimeZonesForPhone(%q) = %v, want %v", tt.e164, got, tt.want)
			}
		}
	}
	// The caller owns the slice: changing it changes no later answer.
	TimeZonesForPhone("+12125550100")[0] = "Mars/Olympus"
	if got := TimeZonesForPhone("+12125550100"); got[0] != "America/New_York" {
		t.Errorf("a caller's change leaked into the zone map: %v", got)
	}
}
