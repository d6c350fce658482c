package rules

import "unicode/utf16"

// Encoding is the character encoding an SMS travels in.
type Encoding string

const (
	// GSM7 is the GSM 03.38 7-bit default alphabet: 160 septets in a single
	// message, 153 per part of a concatenated one.
	GSM7 Encoding = "GSM-7"
	// UCS2 is UTF-16 (what handsets send as UCS-2): 70 code units in a single
	// message, 67 per part.
	UCS2 Encoding = "UCS-2"
)

const (
	gsmSingle  = 160
	gsmPart    = 153
	ucs2Single = 70
	ucs2Part   = 67
)

// gsmBasic is the GSM 03.38 default alphabet (one septet each), in table
// order. Of the Spanish letters, é ñ ü É Ñ Ü ¿ ¡ are in it; á í ó ú are not.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension holds the characters reached through the escape to the
// extension table: two septets each.
const gsmExtension = "\f^{}\\[~]|€"

// gsmSeptets maps each GSM-7 character to its size in septets.
var gsmSeptets = func() map[rune]int {
	m := make(map[rune]int, 140)
	for _, r := range gsmBasic {
		if r != 0x1b { // the escape itself is not a character
			m[r] = 1
		}
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// Segments reports how an SMS body is sent: its encoding, its length in
// that encoding's units (septets for GSM-7, UTF-16 code units for UCS-2) and
// the number of segments a carrier bills. A body of GSM-7 characters only
// travels in GSM-7; any other character makes the whole body UCS-2.
// Concatenated parts never split an escape sequence (GSM-7) or a surrogate
// pair (UCS-2), so the part count can exceed units divided by the part size.
// An empty body has zero units and zero segments.
func Segments(body string) (encoding Encoding, units int, segments int) {
	gsm := true
	for _, r := range body {
		if _, ok := gsmSeptets[r]; !ok {
			gsm = false
			break
		}
	}
	if gsm {
		units, segments = pack(body, gsmSingle, gsmPart, func(r rune) int { return gsmSeptets[r] })
		return GSM7, units, segments
	}
	units, segments = pack(body, ucs2Single, ucs2Part, func(r rune) int {
		if utf16.RuneLen(r) == 2 {
			return 2
		}
		return 1 // invalid UTF-8 arrives as U+FFFD, one unit
	})
	return UCS2, units, segments
}

// pack counts the units of body and the parts it needs: one if the total
// fits in single, else parts of at most part units filled greedily without
// splitting a character.
func pack(body string, single, part int, size func(rune) int) (units, parts int) {
	used := 0
	for _, r := range body {
		n := size(r)
		units += n
		if parts == 0 || used+n > part {
			parts++
			used = 0
		}
		used += n
	}
	if units <= single {
		return units, min(parts, 1)
	}
	return units, parts
}
