package journey

import (
	"slices"
	"testing"
)

func FuzzClassifyReason(f *testing.F) {
	for _, s := range []string{"", "too expensive", "no es por el dinero", "I have internet", "q caro!!",
		"no, I don't trust apps with my health data", "$$$", "ocupadísimo", "\xff\xfe", "it's not the money"} {
		f.Add(s, 0)
	}
	f.Add("3", 3)
	f.Fuzz(func(t *testing.T, s string, choice int) {
		got := ClassifyReason(s, choice)
		if got != ReasonOther && !slices.Contains(Reasons, got) {
			t.Fatalf("ClassifyReason(%q, %d) = %q, not a known reason", s, choice, got)
		}
		if again := ClassifyReason(s, choice); again != got {
			t.Fatalf("ClassifyReason(%q, %d) = %q then %q", s, choice, got, again)
		}
		if choice >= 1 && choice <= len(Reasons) && got != Reasons[choice-1] {
			t.Fatalf("choice %d gave %q", choice, got)
		}
	})
}
