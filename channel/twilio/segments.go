package twilio

import "strings"

// gsm7Basic is the GSM 03.38 default alphabet (without the escape code);
// gsm7Extended are the characters sent as an escape plus one septet.
const (
	gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Extended = "\f^{}\\[~]|€"
)

// Segment sizes: a single SMS carries 160 GSM-7 septets or 70 UCS-2 code
// units; each part of a concatenated SMS loses room to its header and carries
// 153 septets or 67 code units.
const (
	gsmSingle, gsmPart   = 160, 153
	ucs2Single, ucs2Part = 70, 67
)

// Segments returns the number of SMS segments body is billed as. A body made
// only of GSM-7 characters is encoded in GSM-7 (extension characters such as
// € and { take two septets); anything else makes the whole body UCS-2
// (UTF-16, so characters beyond the BMP such as emoji take two units). A
// character is never split across segments. An empty body is one segment.
func Segments(body string) int {
	gsm := true
	for _, r := range body {
		if r >= 0x80 || !isGSM7ASCII(byte(r)) {
			if !strings.ContainsRune(gsm7Basic, r) && !strings.ContainsRune(gsm7Extended, r) {
				gsm = false
				break
			}
		}
	}
	width := func(r rune) int { // septets or UTF-16 units
		if gsm {
			if strings.ContainsRune(gsm7Extended, r) {
				return 2
			}
			return 1
		}
		if r > 0xFFFF {
			return 2
		}
		return 1
	}
	single, part := ucs2Single, ucs2Part
	if gsm {
		single, part = gsmSingle, gsmPart
	}
	total := 0
	for _, r := range body {
		total += width(r)
	}
	if total <= single {
		return 1
	}
	segments, used := 1, 0
	for _, r := range body {
		w := width(r)
		if used+w > part {
			segments++
			used = 0
		}
		used += w
	}
	return segments
}

// isGSM7ASCII reports whether the ASCII byte c is in the GSM-7 basic set,
// the fast path for plain English text.
func isGSM7ASCII(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '\n', c == '\r':
		return true
	case c >= ' ' && c <= '?', c == '@', c == '_':
		return true
	}
	return false
}
