package verify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/rapporthq/rapport"
)

// PhoneResult is what numbering plans say about one phone number.
type PhoneResult struct {
	// E164 is the number in E.164 form (+CCNSN, extension dropped). It is set
	// for valid numbers and for invalid ones of a possible length (such as
	// Synthea's 555 numbers), so that records can still be compared; it is
	// empty when the input is no number or has the wrong length.
	E164 string
	// Region is the ISO 3166 alpha-2 region of the number: where the numbering
	// plan puts it when valid, else the region it was read in. Empty when
	// unknown or non-geographic.
	Region string
	// LineType is the line type the numbering plan gives; [rapport.LineUnknown]
	// for invalid numbers and for types rapport does not route by (premium
	// rate, pager, …).
	LineType rapport.LineType
	// Extension is the extension given after the number ("x123"), if any.
	Extension string
	// Valid is true when the number is assigned in its numbering plan.
	Valid bool
	// Reason says why the number is invalid; empty when Valid.
	Reason string
	// Flags mark fictional and reserved ranges ([rapport.FlagFictional],
	// [rapport.FlagReserved]). A reserved number is never Valid, and Reason
	// repeats the flag's when numbering plans alone would have accepted it;
	// a fictional one keeps the numbering plan's verdict (see phoneFlags).
	Flags []rapport.ContactFlag
}

// Phone parses and judges raw, a phone number as written by a person or a
// CRM, in any common format ("+1 (212) 555-0100", "07400 123456", "212.555.0100
// x12"). Numbers without a country code are read as numbers of defaultRegion
// (ISO 3166 alpha-2, such as "US"; case-insensitive); with an empty or unknown
// defaultRegion they are invalid.
//
// Phone never fails: problems are reported through Valid and Reason.
func Phone(raw, defaultRegion string) PhoneResult {
	res := PhoneResult{LineType: rapport.LineUnknown}
	s := strings.TrimSpace(raw)
	if s == "" {
		res.Reason = "empty"
		return res
	}
	region := normRegion(defaultRegion)
	num, ok := parseNANP(s, region)
	if !ok {
		var err error
		if num, err = phonenumbers.Parse(s, region); err != nil {
			res.Reason = parseReason(err, s, region)
			return res
		}
	}
	res.Extension = num.GetExtension()
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	numRegion, typ := classify(num.GetCountryCode(), nsn)
	if typ == phonenumbers.UNKNOWN {
		res.Region = invalidRegion(int(num.GetCountryCode()), region)
		var possible bool
		res.Reason, possible = invalidReason(num, nsn, res.Region)
		if possible {
			res.E164 = phonenumbers.Format(num, phonenumbers.E164)
			res.Flags, _ = phoneFlags(res.E164)
		}
		return res
	}
	res.E164 = phonenumbers.Format(num, phonenumbers.E164)
	if len(numRegion) == 2 {
		res.Region = numRegion // not "001", the non-geographic entity
	}
	flags, block := phoneFlags(res.E164)
	res.Flags = flags
	if block {
		res.Reason = flags[0].Reason
		return res
	}
	res.Valid = true
	res.LineType = lineType(typ)
	return res
}

// KnownRegion reports whether region (ISO 3166 alpha-2, case-insensitive) has
// a numbering plan that [Phone] can read numbers in.
func KnownRegion(region string) bool {
	return supportedRegions[normRegion(region)]
}

var supportedRegions = phonenumbers.GetSupportedRegions()

// normRegion upper-cases a two-letter region without allocating when it is
// already upper case, the usual case.
func normRegion(r string) string {
	if len(r) == 2 && r[0] >= 'A' && r[0] <= 'Z' && r[1] >= 'A' && r[1] <= 'Z' {
		return r
	}
	return strings.ToUpper(strings.TrimSpace(r))
}

func lineType(t phonenumbers.PhoneNumberType) rapport.LineType {
	switch t {
	case phonenumbers.MOBILE:
		return rapport.LineMobile
	case phonenumbers.FIXED_LINE:
		return rapport.LineLandline
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		return rapport.LineFixedMobile
	case phonenumbers.VOIP:
		return rapport.LineVoIP
	case phonenumbers.TOLL_FREE:
		return rapport.LineTollFree
	}
	return rapport.LineUnknown
}

// parseReason turns a phonenumbers parse error into a reason.
func parseReason(err error, s, region string) string {
	switch {
	case errors.Is(err, phonenumbers.ErrNotANumber):
		if strings.ContainsAny(s, "0123456789") && len(phonenumbers.NormalizeDigitsOnly(s)) < 2 {
			return "too short" // a lone digit is not "viable" to the parser
		}
		return "not a number"
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		if !strings.ContainsAny(s, "+＋") && !KnownRegion(region) {
			if region == "" {
				return "no country code, and no default region to read it in"
			}
			return fmt.Sprintf("no country code, and default region %q is unknown", region)
		}
		return "invalid country code"
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "too short"
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "too long"
	}
	return "not a number"
}

// invalidRegion names the region an invalid number was read in: the default
// region when it shares the number's country code, else the main region of
// that country code.
func invalidRegion(cc int, defaultRegion string) string {
	if cc != 0 && KnownRegion(defaultRegion) && phonenumbers.GetCountryCodeForRegion(defaultRegion) == cc {
		return defaultRegion
	}
	if r := phonenumbers.GetRegionCodeForCountryCode(cc); len(r) == 2 && r != phonenumbers.UNKNOWN_REGION {
		return r
	}
	return ""
}

// invalidReason explains why a parsed number is not valid, and says whether
// its length is possible for its region.
func invalidReason(num *phonenumbers.PhoneNumber, nsn, region string) (string, bool) {
	where := region
	if where == "" {
		where = fmt.Sprintf("country code +%d", num.GetCountryCode())
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.TOO_SHORT:
		return fmt.Sprintf("too short for %s (%d digits)", where, len(nsn)), false
	case phonenumbers.TOO_LONG:
		return fmt.Sprintf("too long for %s (%d digits)", where, len(nsn)), false
	case phonenumbers.INVALID_LENGTH:
		return fmt.Sprintf("wrong length for %s (%d digits)", where, len(nsn)), false
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return fmt.Sprintf("local number without its area code (%d digits)", len(nsn)), false
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "invalid country code", false
	}
	if num.GetCountryCode() == 1 && len(nsn) == 10 {
		return nanpReason(nsn, where), true
	}
	return fmt.Sprintf("not a number in any range assigned in %s", where), true
}
