package population

import (
	"math/rand/v2"
	"testing"
	"time"
	"unicode/utf8"
)

func TestScrambleIsBijective(t *testing.T) {
	t.Parallel()
	for _, bits := range []uint{12, 16} {
		seen := make(map[uint64]bool, 1<<bits)
		for x := range uint64(1) << bits {
			y := scramble(x, 77, bits)
			if y >= 1<<bits || seen[y] {
				t.Fatalf("bits %d: scramble(%d) = %d collides or overflows", bits, x, y)
			}
			seen[y] = true
		}
	}
}

func TestTypoName(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"Muñoz", "Li", "Ann", "Christopher", "O'Brien", "Óscar"} {
		for range 50 {
			got := typoName(r, name)
			if got == name || !utf8.ValidString(got) {
				t.Fatalf("typoName(%q) = %q", name, got)
			}
			if d := utf8.RuneCountInString(got) - utf8.RuneCountInString(name); d < -1 || d > 1 {
				t.Fatalf("typoName(%q) = %q: more than one edit", name, got)
			}
		}
	}
}

func TestSwapDateDigits(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		date string
		ok   bool
	}{{"1957-03-12", true}, {"1980-11-11", true}, {"1999-09-09", false}, {"2000-02-22", false}, {"1990-01-31", true}}
	for _, tt := range tests {
		for range 20 {
			got, ok := swapDateDigits(r, tt.date, "2026-11-01")
			if ok != tt.ok {
				t.Fatalf("swapDateDigits(%q) ok = %v", tt.date, ok)
			}
			if !ok {
				continue
			}
			if _, err := time.Parse("2006-01-02", got); err != nil || got == tt.date || got >= "2026-11-01" {
				t.Fatalf("swapDateDigits(%q) = %q", tt.date, got)
			}
		}
	}
	if got, ok := swapDateDigits(r, "2011-11-11", "2026-11-01"); ok {
		t.Errorf("swapDateDigits(2011-11-11) = %q, want no transposition", got)
	}
}

func TestNPICheckDigit(t *testing.T) {
	t.Parallel()
	// 1234567893 is CMS's published example of a valid NPI.
	luhn := func(s string) bool {
		full := "80840" + s
		sum := 0
		for i := len(full) - 1; i >= 0; i-- {
			v := int(full[i] - '0')
			if (len(full)-i)%2 == 0 {
				v *= 2
				if v > 9 {
					v -= 9
				}
			}
			sum += v
		}
		return sum%10 == 0
	}
	if !luhn("1234567893") || luhn("1234567890") {
		t.Fatal("the test's Luhn check is wrong")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 100 {
		if n := npi(r); len(n) != 10 || !luhn(n) {
			t.Fatalf("npi() = %s fails the check digit", n)
		}
	}
}
