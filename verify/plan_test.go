package verify

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestClassifyAgreesWithPhonenumbers holds the precompiled plans to
// phonenumbers' own answers: every region's example numbers of every type,
// and random numbers around them (a changed digit, a digit more or less).
func TestClassifyAgreesWithPhonenumbers(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(num *phonenumbers.PhoneNumber) {
		t.Helper()
		nsn := phonenumbers.GetNationalSignificantNumber(num)
		region, typ := classify(num.GetCountryCode(), nsn)
		wantRegion, wantType := phonenumbers.GetRegionCodeForNumber(num), phonenumbers.GetNumberType(num)
		if region != wantRegion || typ != wantType {
			t.Errorf("classify(+%d %s) = %q, %v; phonenumbers says %q, %v", num.GetCountryCode(), nsn, region, typ, wantRegion, wantType)
		}
	}
	types := []phonenumbers.PhoneNumberType{
		phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE,
		phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER,
		phonenumbers.UAN, phonenumbers.VOICEMAIL,
	}
	n := 0
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range types {
			ex := phonenumbers.GetExampleNumberForType(region, typ)
			if ex == nil {
				continue
			}
			check(ex)
			n++
			digits := strconv.FormatUint(ex.GetNationalNumber(), 10)
			for range 20 {
				mutated := mutate(rng, digits)
				num, err := phonenumbers.Parse("+"+strconv.Itoa(int(ex.GetCountryCode()))+mutated, "ZZ")
				if err != nil {
					continue
				}
				check(num)
				n++
			}
		}
	}
	if n < 2000 {
		t.Fatalf("checked only %d numbers", n)
	}
}

// mutate changes one digit of s, or drops or adds one.
func mutate(rng *rand.Rand, s string) string {
	i := rng.IntN(len(s))
	d := string(rune('0' + rng.IntN(10)))
	switch rng.IntN(3) {
	case 0:
		return s[:i] + d + s[i+1:]
	case 1:
		return s[:i] + s[i+1:]
	default:
		return s[:i] + d + s[i:]
	}
}
