package rules

import (
	"strings"
	"unicode"
)

// accentFold maps the accented Latin letters used in the languages rapport
// supports to their base letter, so that "AYÚDA" and "sí" compare equal to
// "AYUDA" and "si". The package keeps to the standard library, so the table
// stands in for Unicode normalisation (NFD and dropping marks); combining
// marks that arrive already decomposed are dropped by [fold].
var accentFold = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ñ': 'n', 'ç': 'c', 'ý': 'y', 'ÿ': 'y',
}

// foldRune lower-cases r and strips its accent; full-width Latin letters
// and digits (as some keyboards type them) become ASCII.
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	r = unicode.ToLower(r)
	if b, ok := accentFold[r]; ok {
		return b
	}
	return r
}

// ignorable reports whether r carries no meaning for matching: combining
// marks, variation selectors, zero-width and other format characters, and
// emoji skin-tone modifiers.
func ignorable(r rune) bool {
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r):
		return true
	case r >= 0xFE00 && r <= 0xFE0F: // variation selectors
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin-tone modifiers
		return true
	}
	return false
}

// fold returns s lower-cased, without accents and without ignorable runes.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if ignorable(r) {
			continue
		}
		b.WriteRune(foldRune(r))
	}
	return b.String()
}
