package rules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSegments(t *testing.T) {
	t.Parallel()
	r := strings.Repeat
	tests := []struct {
		name     string
		body     string
		enc      Encoding
		units    int
		segments int
	}{
		{"empty", "", GSM7, 0, 0},
		{"one char", "a", GSM7, 1, 1},
		{"160 GSM", r("a", 160), GSM7, 160, 1},
		{"161 GSM", r("a", 161), GSM7, 161, 2},
		{"306 GSM is two parts", r("a", 306), GSM7, 306, 2},
		{"307 GSM is three parts", r("a", 307), GSM7, 307, 3},
		{"extension chars count twice", "{}", GSM7, 4, 1},
		{"euro", "€5", GSM7, 3, 1},
		{"form feed", "\f", GSM7, 2, 1},
		{"80 braces fit one", r("[", 80), GSM7, 160, 1},
		{"159 plus extension overflows", r("a", 159) + "^", GSM7, 161, 2},
		// 152 septets then an escape pair: the pair may not straddle parts,
		// so part one holds 152 septets and part two the rest.
		{"extension at part boundary", r("a", 152) + "|" + r("a", 152), GSM7, 306, 3},
		{"extension just before boundary", r("a", 151) + "|" + r("a", 153), GSM7, 306, 2},
		{"Spanish GSM letters", "¿Cómo está?", UCS2, 11, 1}, // ó is not GSM-7
		{"é ñ ü ¿ ¡ are GSM", "¡Señor Müller, qué día! ¿Sí?", UCS2, 28, 1},
		{"GSM Spanish only", "¡Mañana, señor! ¿Qué? é ü Ñ É Ü à", GSM7, 33, 1},
		{"á is not GSM", "á", UCS2, 1, 1},
		{"Greek capitals are GSM", "ΔΦΓΛΩΠΨΣΘΞ", GSM7, 10, 1},
		{"newline and CR", "a\r\nb", GSM7, 4, 1},
		{"tab is not GSM", "a\tb", UCS2, 3, 1},
		{"70 UCS-2", r("á", 70), UCS2, 70, 1},
		{"71 UCS-2", r("á", 71), UCS2, 71, 2},
		{"134 UCS-2", r("á", 134), UCS2, 134, 2},
		{"135 UCS-2", r("á", 135), UCS2, 135, 3},
		{"emoji is two units", "😀", UCS2, 2, 1},
		{"35 emoji fit one", r("😀", 35), UCS2, 70, 1},
		{"36 emoji", r("😀", 36), UCS2, 72, 2},
		// 66 units then a surrogate pair: it moves to part two.
		{"emoji at part boundary", r("á", 66) + "😀" + r("á", 66), UCS2, 134, 3},
		{"emoji before boundary", r("á", 65) + "😀" + r("á", 67), UCS2, 134, 2},
		{"one emoji makes all UCS-2", r("a", 100) + "👍", UCS2, 102, 2},
		{"invalid UTF-8", "\xff", UCS2, 1, 1},
	}
	for _, tt := range tests {
		enc, units, segs := Segments(tt.body)
		if enc != tt.enc || units != tt.units || segs != tt.segments {
			t.Errorf("%s: Segments = %s, %d, %d; want %s, %d, %d", tt.name, enc, units, segs, tt.enc, tt.units, tt.segments)
		}
	}
}

// TestGSMAlphabetSize pins the tables to GSM 03.38: 127 characters in the
// default alphabet (128 codes less the escape) and 10 in the extension.
func TestGSMAlphabetSize(t *testing.T) {
	t.Parallel()
	one, two := 0, 0
	for _, n := range gsmSeptets {
		switch n {
		case 1:
			one++
		case 2:
			two++
		}
	}
	if one != 127 || two != 10 {
		t.Errorf("GSM table has %d basic and %d extension characters, want 127 and 10", one, two)
	}
}

func FuzzSegments(f *testing.F) {
	for _, s := range []string{"", "hello", strings.Repeat("a", 160), "á😀", "{€}", "\xff", strings.Repeat("😀", 40)} {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, s, more string) {
		enc, units, segs := Segments(s)
		if s != "" && segs < 1 {
			t.Fatalf("Segments(%q) = %d segments", s, segs)
		}
		if units < utf8.RuneCountInString(s) {
			t.Fatalf("Segments(%q) = %d units, fewer than runes", s, units)
		}
		single, part := gsmSingle, gsmPart
		if enc == UCS2 {
			single, part = ucs2Single, ucs2Part
		}
		if (units <= single) != (segs <= 1) {
			t.Fatalf("Segments(%q) = %d units in %d segments", s, units, segs)
		}
		if segs > 1 && segs < (units+part-1)/part {
			t.Fatalf("Segments(%q) = %d segments for %d units", s, segs, units)
		}
		// Appending never lowers the count.
		_, _, longer := Segments(s + more)
		if longer < segs {
			t.Fatalf("Segments(%q) = %d but with %q appended %d", s, segs, more, longer)
		}
	})
}
