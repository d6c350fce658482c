package verify

import "github.com/nyaruka/phonenumbers"

// parseNANP reads the common North American forms — "+1 505 303 9663",
// "(505) 303-9663", "1-505-303-9663", "505.303.9663" — without
// phonenumbers.Parse, whose regular expressions (extension markers, valid
// punctuation) cost about 10 µs a number: a bulk import checks millions.
// It takes only strings of digits and " -.()" with an optional leading
// "+", that hold ten digits with an area code starting 2-9 (after a "1"
// country code or national prefix), read in US or CA or written with "+1".
// Parse reads exactly those as country code 1 and that national number (a
// test compares them); ok is false for anything else, which goes to Parse.
func parseNANP(s, region string) (num *phonenumbers.PhoneNumber, ok bool) {
	if len(s) > phonenumbers.MAX_INPUT_STRING_LENGTH { // Parse refuses these
		return nil, false
	}
	var digits [11]byte
	n := 0
	plus := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(digits) {
				return nil, false
			}
			digits[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return nil, false
		}
	}
	d := digits[:n]
	switch {
	case plus:
		if n != 11 || d[0] != '1' {
			return nil, false
		}
		d = d[1:]
	case region != "US" && region != "CA":
		return nil, false
	case n == 11 && d[0] == '1':
		d = d[1:]
	case n != 10:
		return nil, false
	}
	if d[0] < '2' {
		return nil, false
	}
	var nsn uint64
	for _, c := range d {
		nsn = nsn*10 + uint64(c-'0')
	}
	cc := int32(1)
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &nsn}, true
}
