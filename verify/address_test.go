package verify

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapporthq/rapport"
)

func TestAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     rapport.Address
		region string
		want   rapport.Address
	}{
		{
			name: "suffix, directionals, unit, state name, ZIP+4, country",
			in:   rapport.Address{Lines: []string{"123 north Main Street,  Apartment 4B"}, City: "Santa Fe", State: "New Mexico", PostalCode: "875011234", Country: "U.S.A."},
			want: rapport.Address{Lines: []string{"123 N MAIN ST APT 4B"}, City: "SANTA FE", State: "NM", PostalCode: "87501-1234", Country: "US"},
		},
		{
			name:   "post-directional and a unit on its own line",
			in:     rapport.Address{Lines: []string{"1600 Pennsylvania Avenue N.W.", "Suite 200"}, City: "Washington", State: "dc", PostalCode: "20500"},
			region: "US",
			want:   rapport.Address{Lines: []string{"1600 PENNSYLVANIA AVE NW", "STE 200"}, City: "WASHINGTON", State: "DC", PostalCode: "20500"},
		},
		{
			name: "a directional or suffix that is the street's name is kept",
			in:   rapport.Address{Lines: []string{"12 North Street", "7 Avenue B", "9 Park", "4 2.5 Mile Road", "1 St.Paul Ave"}, State: "NY", PostalCode: "10001", Country: "US"},
			want: rapport.Address{Lines: []string{"12 NORTH ST", "7 AVENUE B", "9 PARK", "4 2.5 MILE RD", "1 ST PAUL AVE"}, State: "NY", PostalCode: "10001", Country: "US"},
		},
		{
			name: "PO box, hash unit, multi-line cell",
			in:   rapport.Address{Lines: []string{"P.O. Box 17", "88 Elm Blvd #3\nRear"}, State: "NY", PostalCode: "10001 ", Country: "United States"},
			want: rapport.Address{Lines: []string{"PO BOX 17", "88 ELM BLVD #3", "REAR"}, State: "NY", PostalCode: "10001", Country: "US"},
		},
		{
			name: "ZIP of another state is flagged, not changed",
			in:   rapport.Address{Lines: []string{"1 Main St"}, State: "TX", PostalCode: "87501", Country: "US"},
			want: rapport.Address{Lines: []string{"1 MAIN ST"}, State: "TX", PostalCode: "87501", Country: "US",
				Flags: []rapport.ContactFlag{{Code: rapport.FlagPostalMismatch, Reason: "ZIP 87501 is in NM, not TX"}}},
		},
		{
			name: "unlisted ZIP checked by its prefix",
			in:   rapport.Address{State: "TX", PostalCode: "87599", Country: "US"},
			want: rapport.Address{State: "TX", PostalCode: "87599", Country: "US",
				Flags: []rapport.ContactFlag{{Code: rapport.FlagPostalMismatch, Reason: "ZIP codes beginning 875 are in NM, not TX"}}},
		},
		{
			name: "no ZIP code",
			in:   rapport.Address{State: "NM", PostalCode: "8750", Country: "US"},
			want: rapport.Address{State: "NM", PostalCode: "8750", Country: "US",
				Flags: []rapport.ContactFlag{{Code: rapport.FlagUnknownPostal, Reason: `postal code "8750" is not a US ZIP code (5 or 9 digits)`}}},
		},
		{
			name: "prefix no ZIP has",
			in:   rapport.Address{PostalCode: "00100", Country: "US"},
			want: rapport.Address{PostalCode: "00100", Country: "US",
				Flags: []rapport.ContactFlag{{Code: rapport.FlagUnknownPostal, Reason: "no US ZIP code begins with 001"}}},
		},
		{
			name: "a spreadsheet's lost leading zero, restored with evidence",
			in:   rapport.Address{City: "Boston", State: "MA", PostalCode: "2109", Country: "US"},
			want: rapport.Address{City: "BOSTON", State: "MA", PostalCode: "02109", Country: "US",
				Flags: []rapport.ContactFlag{{Code: rapport.FlagTypo, Reason: "postal code 2109 lost its leading zero; read as 02109, a ZIP of MA"}}},
		},
		{
			name:   "not US: untouched",
			in:     rapport.Address{Lines: []string{"Calle 5 #12"}, City: "Oaxaca", State: "OAX", PostalCode: "68000", Country: "MX"},
			region: "US",
			want:   rapport.Address{Lines: []string{"Calle 5 #12"}, City: "Oaxaca", State: "OAX", PostalCode: "68000", Country: "MX"},
		},
		{
			name:   "no country, default region elsewhere: untouched",
			in:     rapport.Address{Lines: []string{"10 Downing Street"}, PostalCode: "SW1A 2AA"},
			region: "GB",
			want:   rapport.Address{Lines: []string{"10 Downing Street"}, PostalCode: "SW1A 2AA"},
		},
		{name: "empty", in: rapport.Address{}, region: "US", want: rapport.Address{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Address(tt.in, tt.region)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Address(%+v) =\n %+v, want\n %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestRurality(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     rapport.Patient
		region string
		ruca   int
		rural  bool
	}{
		{"urban ZIP", rapport.Patient{Address: rapport.Address{PostalCode: "10001", Country: "US"}}, "", 1, false},
		{"rural ZIP", rapport.Patient{Address: rapport.Address{PostalCode: "99929", Country: "US"}}, "", 10, true},
		{"micropolitan ZIP is rural", rapport.Patient{Address: rapport.Address{PostalCode: "99928-0001"}}, "US", 4, true},
		{"the record's statement wins", rapport.Patient{RuralStated: true, Address: rapport.Address{PostalCode: "99929", Country: "US"}}, "", 10, false},
		{"stated rural in a city", rapport.Patient{RuralStated: true, Rural: true, Address: rapport.Address{PostalCode: "10001"}}, "US", 1, true},
		{"unknown ZIP keeps what was read", rapport.Patient{Rural: true, Address: rapport.Address{PostalCode: "99999", Country: "US"}}, "", 0, true},
		{"uncoded ZIP (99)", rapport.Patient{Address: rapport.Address{PostalCode: "02108", Country: "US"}}, "", 0, false},
		{"not US", rapport.Patient{Address: rapport.Address{PostalCode: "10001", Country: "MX"}}, "US", 0, false},
		{"no country outside the US", rapport.Patient{Address: rapport.Address{PostalCode: "10001"}}, "GB", 0, false},
	}
	for _, tt := range tests {
		p := tt.in
		p.RUCA = 7 // stale: always recomputed
		Rurality(&p, tt.region)
		if p.RUCA != tt.ruca || p.Rural != tt.rural {
			t.Errorf("%s: RUCA %d rural %v, want %d %v", tt.name, p.RUCA, p.Rural, tt.ruca, tt.rural)
		}
	}
}

// TestPatient: the one call every importer makes judges contacts in the
// address's region, normalises the address and sets rurality.
func TestPatient(t *testing.T) {
	t.Parallel()
	p := rapport.Patient{
		Address:  rapport.Address{Lines: []string{"1 Front Street"}, City: "Wrangell", State: "Alaska", PostalCode: "99929", Country: "usa"},
		Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "(907) 874-2345"}, {Kind: rapport.ContactEmail, Raw: "info@wrangell.org"}},
	}
	Patient(&p, "MX", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	if p.Address.Lines[0] != "1 FRONT ST" || p.Address.State != "AK" || p.RUCA != 10 || !p.Rural {
		t.Errorf("patient %+v: want a normalised AK address, RUCA 10, rural", p)
	}
	if c := p.Contacts[0]; c.Value != "+19078742345" || c.Status != rapport.StatusUnverified {
		t.Errorf("phone %+v: want read in the US (the address's country), not MX", c)
	}
	if c := p.Contacts[1]; !rapport.HasFlag(c.Flags, rapport.FlagRole) {
		t.Errorf("email %+v: want a role flag", c)
	}
}

// FuzzAddress holds the normaliser to its contract on any input: it never
// panics, keeps valid UTF-8, is idempotent, never changes a ZIP's digits
// (flags say what is wrong), and touches nothing outside the US.
func FuzzAddress(f *testing.F) {
	for _, s := range [][5]string{
		{"123 north Main Street Apt 4B", "Santa Fe", "New Mexico", "87501-1234", "USA"},
		{"P.O. Box 17\nRear", "", "TX", "87501", "US"},
		{"#", "", "", "2109", ""},
		{"1 N", "x", "MA", "000001", "United States"},
		{"Calle 5 #12", "Oaxaca", "OAX", "68000", "MX"},
		{"\xff apt", "", "", "", "US"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, line, city, state, zip, country string) {
		in := rapport.Address{Lines: []string{line}, City: city, State: state, PostalCode: zip, Country: country}
		got := Address(in, "US")
		for _, l := range append(slices.Clone(got.Lines), got.City, got.State, got.PostalCode) {
			if utf8.ValidString(line) && utf8.ValidString(city) && utf8.ValidString(state) && utf8.ValidString(zip) && !utf8.ValidString(l) {
				t.Fatalf("Address(%+v) = %+v: invalid UTF-8", in, got)
			}
		}
		for _, fl := range got.Flags {
			if fl.Code == "" || fl.Reason == "" {
				t.Fatalf("Address(%+v): flag without code or evidence: %+v", in, fl)
			}
		}
		if got.Country != "US" && got.Country != "" {
			if !reflect.DeepEqual(got, in) {
				t.Fatalf("Address(%+v) = %+v: a non-US address was changed", in, got)
			}
			return
		}
		digitsOf := func(s string) string {
			return strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, s)
		}
		if a, b := digitsOf(got.PostalCode), digitsOf(zip); a != b && a != "0"+b {
			t.Fatalf("Address(%+v): postal code %q became %q", in, zip, got.PostalCode)
		}
		again := Address(got, "US")
		again.Flags = got.Flags // a restored leading zero is flagged only the first time
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("not idempotent:\n %+v\n %+v", got, again)
		}
	})
}

// BenchmarkPatientAddress: the address and rurality part of [Patient],
// which every imported patient pays.
func BenchmarkPatientAddress(b *testing.B) {
	in := rapport.Patient{Address: rapport.Address{Lines: []string{"123 north Main Street Apt 4B"}, City: "Santa Fe", State: "NM", PostalCode: "87501", Country: "US"}}
	Rurality(&in, "US") // load the table outside the timing
	b.ReportAllocs()
	for b.Loop() {
		p := in
		p.Address = Address(p.Address, "US")
		Rurality(&p, "US")
	}
}
