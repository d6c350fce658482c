package verify

import (
	"slices"

	"github.com/nyaruka/phonenumbers"
)

// TimeZonesForPhone returns the IANA time zones that numbering plans tie to
// e164, a number in E.164 form such as [PhoneResult.E164]: one zone for most
// landlines, several for a mobile or for a country that spans zones (a US
// mobile number gets its area code's zone; a Mexican mobile may get several).
// The messaging pipeline uses it for quiet hours when a patient's own time
// zone is unknown; with several zones, the cautious choice is to respect
// quiet hours in all of them.
//
// It returns nil when e164 is not in E.164 form or no zone is known. The
// first call loads the zone map (some milliseconds); later calls are cheap.
// The returned slice is the caller's own.
func TimeZonesForPhone(e164 string) []string {
	if !isE164(e164) {
		return nil
	}
	tzs, err := phonenumbers.GetTimezonesForPrefix(e164)
	if err != nil || len(tzs) == 0 || (len(tzs) == 1 && tzs[0] == phonenumbers.UNKNOWN_TIMEZONE) {
		return nil
	}
	return slices.Clone(tzs)
}

// isE164 reports whether s is '+' and 2 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
