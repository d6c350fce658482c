package verify

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestParseNANPAsParse: every number the fast path reads, phonenumbers.Parse
// reads the same (country code, national number, no extension), and the
// fast path does read the common forms. The numbers are random mixes of
// prefixes, digits and separators, so that edge cases (area codes 0 and 1,
// nine or twelve digits, letters, stray plus signs) turn up.
func TestParseNANPAsParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw, region string
		want        uint64
	}{
		{"+1 505 303 9663", "US", 5053039663},
		{"(505) 303-9663", "US", 5053039663},
		{"1-505-303-9663", "CA", 5053039663},
		{"505.303.9663", "US", 5053039663},
		{"+1 (212) 555-0100", "GB", 2125550100},
	} {
		num, ok := parseNANP(tc.raw, tc.region)
		if !ok || num.GetNationalNumber() != tc.want || num.GetCountryCode() != 1 {
			t.Errorf("parseNANP(%q, %q) = %v, %v; want 1 %d", tc.raw, tc.region, num, ok, tc.want)
		}
	}
	for _, tc := range []struct{ raw, region string }{
		{"212 555 0100 x12", "US"}, {"0740 012 3456", "GB"}, {"505 303 9663", "GB"}, {"123 456 7890", "US"},
		{"+44 20 7946 0958", "US"}, {"55 303 9663", "US"}, {"5+05 303 9663", "US"}, {"+1 505 303 96634", "US"},
	} {
		if num, ok := parseNANP(tc.raw, tc.region); ok {
			t.Errorf("parseNANP(%q, %q) = %v, want it left to Parse", tc.raw, tc.region, num)
		}
	}

	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	fast := 0
	for range 50000 {
		var b strings.Builder
		b.WriteString(pick("", "", "+1 ", "+1", "1-", "1 ", "+", "+44 ", "(+1) ", "0", "+ 1 ", "1"))
		n := 9 + r.IntN(3)
		for i := range n {
			if i > 0 && r.IntN(4) == 0 {
				b.WriteString(pick(" ", "-", ".", "(", ")", " - ", " ", "-", "/", "x"))
			}
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		if r.IntN(20) == 0 {
			b.WriteString(pick(" x12", " ext. 5", "#", " "))
		}
		raw, region := b.String(), pick("US", "CA", "GB", "MX", "", "PR")
		num, ok := parseNANP(raw, region)
		if !ok {
			continue
		}
		fast++
		want, err := phonenumbers.Parse(raw, region)
		if err != nil {
			t.Errorf("%q in %q: fast path read 1 %d, Parse fails: %v", raw, region, num.GetNationalNumber(), err)
			continue
		}
		if want.GetCountryCode() != num.GetCountryCode() || want.GetNationalNumber() != num.GetNationalNumber() ||
			want.GetExtension() != "" || want.GetItalianLeadingZero() || want.GetNumberOfLeadingZeros() > 1 {
			t.Errorf("%q in %q: fast path read +%d %d, Parse +%d %d ext %q", raw, region,
				num.GetCountryCode(), num.GetNationalNumber(), want.GetCountryCode(), want.GetNationalNumber(), want.GetExtension())
		}
	}
	if fast < 2000 {
		t.Errorf("the fast path read only %d of 50000 numbers", fast)
	}
}

// FuzzParseNANPAsParse: whatever the fast path reads, Parse reads the same.
func FuzzParseNANPAsParse(f *testing.F) {
	for _, s := range []string{"+1 505 303 9663", "(505) 303-9663", "1-505-303-9663", "505.303.9663", "+1(212)555-0100", "1 1 505 303 966", "+1 ((505)) 3039663"} {
		f.Add(s, "US")
	}
	f.Add("505 303 9663", "CA")
	f.Fuzz(func(t *testing.T, raw, region string) {
		num, ok := parseNANP(raw, region)
		if !ok {
			return
		}
		want, err := phonenumbers.Parse(raw, region)
		if err != nil {
			t.Fatalf("%q in %q: fast path read 1 %d, Parse fails: %v", raw, region, num.GetNationalNumber(), err)
		}
		if want.GetCountryCode() != 1 || want.GetNationalNumber() != num.GetNationalNumber() || want.GetExtension() != "" {
			t.Fatalf("%q in %q: fast path read 1 %d, Parse +%d %d ext %q", raw, region,
				num.GetNationalNumber(), want.GetCountryCode(), want.GetNationalNumber(), want.GetExtension())
		}
	})
}
