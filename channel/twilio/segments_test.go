package twilio

import (
	"strings"
	"testing"
)

func TestSegments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want int
	}{
		{"empty", "", 1},
		{"short ascii", "Your appointment is tomorrow at 9:00.", 1},
		{"160 gsm", strings.Repeat("a", 160), 1},
		{"161 gsm", strings.Repeat("a", 161), 2},
		{"306 gsm is two parts of 153", strings.Repeat("a", 306), 2},
		{"307 gsm", strings.Repeat("a", 307), 3},
		{"gsm accents stay gsm", strings.Repeat("é", 160), 1},
		{"extension chars count twice", strings.Repeat("€", 80), 1},
		{"81 euro signs are 162 septets", strings.Repeat("€", 81), 2},
		{"escape pair is not split", strings.Repeat("a", 152) + "{" + strings.Repeat("a", 10), 2},
		{"70 ucs2", strings.Repeat("á", 70), 1}, // á is not in GSM-7
		{"71 ucs2", strings.Repeat("á", 71), 2},
		{"134 ucs2 is two parts of 67", strings.Repeat("á", 134), 2},
		{"135 ucs2", strings.Repeat("á", 135), 3},
		{"one emoji makes it ucs2", strings.Repeat("a", 69) + "🙂", 2}, // 69 + 2 units = 71
		{"160 of ñ and ¿ stay gsm", strings.Repeat("ñ¿", 80), 1},
		{"ó is not gsm: 71 of them are two ucs2 parts", strings.Repeat("ó", 71), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Segments(tt.body); got != tt.want {
				t.Errorf("Segments(%d runes) = %d, want %d", len([]rune(tt.body)), got, tt.want)
			}
		})
	}
}

func FuzzSegments(f *testing.F) {
	for _, s := range []string{"", "hola", strings.Repeat("€", 81), "🙂\xff", strings.Repeat("a", 153) + "{"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Segments(s)
		if n < 1 || n > len(s)+1 {
			t.Fatalf("Segments(%q) = %d", s, n)
		}
		if m := Segments(s + s); m < n {
			t.Fatalf("doubling %q lowered segments from %d to %d", s, n, m)
		}
	})
}
