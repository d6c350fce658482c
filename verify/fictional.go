package verify

import (
	"fmt"
	"strings"

	"github.com/rapporthq/rapport"
)

// phoneFlags returns what is special about e164, a number in E.164 form,
// beyond what numbering-plan metadata says: ranges reserved for fiction or
// for services, which libphonenumber accepts as ordinary numbers (it takes
// 212-555-0123 and 212-411-1234 for valid lines). block is true when the
// number can belong to no patient, so that it must not be tried.
//
// Fictional numbers are flagged but not blocked: they are what NANPA and
// Ofcom give for examples, and rapport's own tests, demo and documentation
// use them as stand-ins for working numbers. In a real CRM the flag tells
// staff, and the first failed delivery marks the number unreachable.
func phoneFlags(e164 string) (flags []rapport.ContactFlag, block bool) {
	switch {
	case len(e164) == 12 && strings.HasPrefix(e164, "+1"):
		return nanpFlags(e164[2:])
	case strings.HasPrefix(e164, "+44"):
		for _, r := range ofcomDrama {
			if strings.HasPrefix(e164, r.prefix) {
				return []rapport.ContactFlag{{Code: rapport.FlagFictional, Reason: "in Ofcom's range for drama (" + r.name + ")"}}, false
			}
		}
	}
	return nil, false
}

// nanpFlags judges a ten-digit NANP national number, following NANPA's
// reservations: 555-0100 to 555-0199 are for fiction in every area code;
// 555-1212 is directory assistance; N11 codes are service codes (411, 911)
// and cannot be an area code or an exchange; area codes 37X and 96X are
// kept for unanticipated purposes and N9X for expanding the plan, and 555
// is not an area code at all.
func nanpFlags(nsn string) ([]rapport.ContactFlag, bool) {
	area, exch, line := nsn[:3], nsn[3:6], nsn[6:]
	if area[0] < '2' {
		return nil, false // no area code at all: nanpReason says so
	}
	switch {
	case area[1] == '1' && area[2] == '1':
		return flag(rapport.FlagReserved, "area code %s is an N11 service code", area), true
	case area == "555" || area[:2] == "37" || area[:2] == "96" || area[1] == '9':
		// Already invalid for numbering plans; the flag says it is no typo
		// of a real area code but a range nobody holds.
		return flag(rapport.FlagReserved, "area code %s is reserved by NANPA", area), true
	case exch[0] >= '2' && exch[1] == '1' && exch[2] == '1':
		return flag(rapport.FlagReserved, "exchange %s is an N11 service code", exch), true
	case exch == "555" && line >= "0100" && line <= "0199":
		return flag(rapport.FlagFictional, "555-0100 to 555-0199 are reserved for fiction"), false
	case exch == "555" && line == "1212":
		return flag(rapport.FlagReserved, "555-1212 is directory assistance"), true
	}
	return nil, false
}

func flag(code rapport.FlagCode, format string, args ...any) []rapport.ContactFlag {
	return []rapport.ContactFlag{{Code: code, Reason: fmt.Sprintf(format, args...)}}
}

// ofcomDrama are the UK ranges Ofcom keeps for TV, radio and film
// ("Telephone numbers for use in TV and radio drama programmes"), 1,000
// numbers each, as E.164 prefixes.
var ofcomDrama = []struct{ prefix, name string }{
	{"+447700900", "07700 900xxx"},
	{"+442079460", "020 7946 0xxx"},
	{"+441134960", "0113 496 0xxx"},
	{"+441144960", "0114 496 0xxx"},
	{"+441154960", "0115 496 0xxx"},
	{"+441164960", "0116 496 0xxx"},
	{"+441174960", "0117 496 0xxx"},
	{"+441184960", "0118 496 0xxx"},
	{"+441214960", "0121 496 0xxx"},
	{"+441314960", "0131 496 0xxx"},
	{"+441414960", "0141 496 0xxx"},
	{"+441514960", "0151 496 0xxx"},
	{"+441614960", "0161 496 0xxx"},
	{"+441914980", "0191 498 0xxx"},
	{"+441632960", "01632 960xxx"},
	{"+448081570", "0808 157 0xxx"},
	{"+449098790", "0909 879 0xxx"},
	{"+443069990", "0306 999 0xxx"},
}
