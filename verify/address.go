package verify

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/ruca"
)

// Address returns a normalised in form, with what the check found in its
// Flags (replacing any earlier). Only US addresses are touched — Country
// one of the spellings of the United States, or empty with defaultRegion
// "US" — and others come back as given.
//
// Form follows USPS Publication 28, in its upper case (the form USPS
// software and CASS-certified tools exchange, so the CRM can take it back):
// punctuation other than "#", "-" and "/" dropped, spaces collapsed, the
// street suffix ("Avenue" → "AVE"), pre- and post-directionals ("North" →
// "N") and secondary unit designators ("Apartment 4" → "APT 4") abbreviated,
// "P.O. Box" written "PO BOX", the state as its two-letter code, the ZIP
// code as 12345 or 12345-6789 and the country as "US". Words are
// abbreviated only where their place in the line makes their role plain:
// "123 North Street" keeps NORTH, the street's name.
//
// Consistency: the ZIP code is compared with the state written, by the
// ZIP's state in the USDA's ZIP table (package [ruca]) or, for ZIPs it does
// not list, by the states of the ZIP's three-digit prefix. A mismatch is
// flagged ([rapport.FlagPostalMismatch]) with the states as evidence and
// never corrected: which of the two is wrong is not known. A postal code
// that is no ZIP code, or whose prefix no US ZIP has, is flagged
// [rapport.FlagUnknownPostal]. A four-digit code that a leading zero makes
// a ZIP of the written state (a spreadsheet ate the zero of 02134) is
// restored, and flagged [rapport.FlagTypo] to say so.
func Address(a rapport.Address, defaultRegion string) rapport.Address {
	country := upperWords(a.Country)
	if a.IsZero() || !(usCountry[country] == "US" || (country == "" && normRegion(defaultRegion) == "US")) {
		return a
	}
	out := a
	out.Flags = nil // replaced by what this check finds
	out.Country = ""
	if country != "" {
		out.Country = "US"
	}
	out.Lines = nil
	for _, l := range a.Lines {
		for _, part := range strings.Split(l, "\n") { // a CRM's multi-line cell
			if n := streetLine(part); n != "" {
				out.Lines = append(out.Lines, n)
			}
		}
	}
	out.City = upperWords(a.City)
	out.District = upperWords(a.District)
	out.State = upperWords(a.State)
	if code, ok := stateAbbr[out.State]; ok {
		out.State = code
	}
	out.PostalCode, out.Flags = checkZIP(strings.TrimSpace(a.PostalCode), out.State, out.Flags)
	return out
}

// checkZIP normalises zip and flags what is wrong with it against state
// (a USPS code, or "" when unknown).
func checkZIP(zip, state string, flags []rapport.ContactFlag) (string, []rapport.ContactFlag) {
	if zip == "" {
		return zip, flags
	}
	if len(zip) == 4 && digits(zip) && state != "" {
		if e, ok := ruca.Lookup("0" + zip); ok && e.State == state {
			return "0" + zip, append(flags, rapport.ContactFlag{Code: rapport.FlagTypo,
				Reason: fmt.Sprintf("postal code %s lost its leading zero; read as 0%s, a ZIP of %s", zip, zip, state)})
		}
	}
	five, ok := ruca.ZIP5(zip)
	if !ok {
		return zip, append(flags, rapport.ContactFlag{Code: rapport.FlagUnknownPostal,
			Reason: fmt.Sprintf("postal code %q is not a US ZIP code (5 or 9 digits)", clip(zip, 20))})
	}
	if plus := strings.TrimLeft(strings.TrimSpace(zip)[5:], "- "); plus != "" {
		zip = five + "-" + plus
	} else {
		zip = five
	}
	if e, ok := ruca.Lookup(five); ok {
		if state != "" && e.State != state {
			flags = append(flags, rapport.ContactFlag{Code: rapport.FlagPostalMismatch,
				Reason: fmt.Sprintf("ZIP %s is in %s, not %s", five, e.State, state)})
		}
		return zip, flags
	}
	states := ruca.StatesForPrefix(five)
	switch {
	case len(states) == 0:
		flags = append(flags, rapport.ContactFlag{Code: rapport.FlagUnknownPostal,
			Reason: fmt.Sprintf("no US ZIP code begins with %s", five[:3])})
	case state != "" && !slices.Contains(states, state):
		flags = append(flags, rapport.ContactFlag{Code: rapport.FlagPostalMismatch,
			Reason: fmt.Sprintf("ZIP codes beginning %s are in %s, not %s", five[:3], strings.Join(states, ", "), state)})
	}
	return zip, flags
}

// streetLine normalises one delivery-address line.
func streetLine(line string) string {
	w := strings.Fields(upperWords(line))
	if len(w) == 0 {
		return ""
	}
	w = poBox(w)
	if len(w) > 1 && w[0] == "PO" && w[1] == "BOX" {
		return strings.Join(w, " ")
	}
	// A line that is only a secondary unit ("Apt 4").
	if abbr, ok := unitAbbr[w[0]]; ok && len(w) > 1 {
		w[0] = abbr
		return strings.Join(w, " ")
	}
	start := 0
	if w[0][0] >= '0' && w[0][0] <= '9' {
		start = 1 // the house number
	}
	// The secondary unit, if any, ends the line: "123 MAIN ST APT 4".
	end := len(w)
	for i := start + 1; i < len(w)-1; i++ {
		if abbr, ok := unitAbbr[w[i]]; ok {
			w[i], end = abbr, i
			break
		}
	}
	if last := w[len(w)-1]; end == len(w) && len(last) > 1 && last[0] == '#' && len(w)-1 >= start+2 {
		end = len(w) - 1 // "123 MAIN ST #4"
	}
	street(w[start:end])
	return strings.Join(w, " ")
}

// street abbreviates, in place, the directionals and suffix of a street
// name (the words after the house number and before any unit). A word is
// abbreviated only while another word is left to be the name.
func street(w []string) {
	lo, hi := 0, len(w) // the name is w[lo:hi]
	if hi-lo >= 2 {
		if d, ok := directionalAbbr[w[hi-1]]; ok {
			w[hi-1] = d
			hi--
		}
	}
	if hi-lo >= 2 {
		if s, ok := suffixAbbr[w[hi-1]]; ok {
			w[hi-1] = s
			hi--
		}
	}
	if hi-lo >= 2 {
		if d, ok := directionalAbbr[w[lo]]; ok {
			w[lo] = d
		}
	}
}

// poBox writes "P O BOX", "POST OFFICE BOX" and "POB" as "PO BOX".
func poBox(w []string) []string {
	switch {
	case len(w) >= 3 && w[0] == "P" && w[1] == "O" && w[2] == "BOX":
		return append([]string{"PO"}, w[2:]...)
	case len(w) >= 4 && w[0] == "POST" && w[1] == "OFFICE" && w[2] == "BOX":
		return append([]string{"PO"}, w[2:]...)
	case len(w) >= 2 && (w[0] == "POB" || w[0] == "POBOX"):
		return append([]string{"PO", "BOX"}, w[1:]...)
	}
	return w
}

// upperWords upper-cases s, drops punctuation other than "#", "-", "/" and
// a decimal point, and collapses spaces, as Publication 28 asks.
func upperWords(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // no leading space
	seg := 0      // runes since the last space or dropped dot
	prev := ' '
	rs := []rune(strings.ToUpper(s))
	for i, r := range rs {
		switch {
		case r == '.' && seg == 1 && unicode.IsLetter(prev):
			seg = 0
			continue // an initialism: S.W. is SW, P.O. is PO, U.S.A. is USA
		case r == '.' && unicode.IsDigit(prev) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			// a decimal, kept: 2.5 MILE RD
		case r == '.' || r == ',' || r == ';' || r == ':' || r == '"' || r == '(' || r == ')':
			r = ' '
		case unicode.IsSpace(r) || unicode.IsControl(r):
			r = ' '
		}
		if r == ' ' {
			if !space {
				b.WriteByte(' ')
			}
			space, seg = true, 0
			continue
		}
		b.WriteRune(r)
		space, prev = false, r
		seg++
	}
	return strings.TrimRight(b.String(), " ")
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clip shortens s to at most n runes for a message.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
