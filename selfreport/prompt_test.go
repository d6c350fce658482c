package selfreport

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport/messaging/rules"
	"pgregory.net/rapid"
)

func TestCheckinPrompt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		drug, lang, part, want string
	}{
		{"metformin", "en", "morning", "Did you take your metformin this morning? 1 yes, 2 not yet, 3 skipped"},
		{"lisinopril", "en", "evening", "Did you take your lisinopril this evening? 1 yes, 2 not yet, 3 skipped"},
		{"", "en", "", "Did you take your medicine today? 1 yes, 2 not yet, 3 skipped"},
		{"metformina", "es", "morning", "¿Tomó su metformina esta mañana? 1 sí, 2 todavía no, 3 no la tomé"},
		{"metformina", "es-MX", "night", "¿Tomó su metformina esta noche? 1 sí, 2 todavía no, 3 no la tomé"},
		{"", "es", "bogus", "¿Tomó su medicina hoy? 1 sí, 2 todavía no, 3 no la tomé"},
		{"hidroclorotiazida y lisinopril", "es", "morning", "¿Tomo su hidroclorotiazida y lisinopril esta mañana? 1 si, 2 todavia no, 3 no la tomé"},
		{"insulin\n glargine", "fr", "bedtime", "Did you take your insulin glargine at bedtime? 1 yes, 2 not yet, 3 skipped"},
	}
	for _, tt := range tests {
		if got := CheckinPrompt(tt.drug, tt.lang, tt.part); got != tt.want {
			t.Errorf("CheckinPrompt(%q, %q, %q) = %q, want %q", tt.drug, tt.lang, tt.part, got, tt.want)
		}
	}
}

// Every prompt is one SMS segment whatever the drug's name: UCS-2 only
// when it is that short anyway.
func TestPromptsAreOneSMS(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		drug := rapid.StringOfN(rapid.RuneFrom([]rune("abcdefghijklmnopqrstuvwxyz áéíóúñ-0123456789")), 0, 300, -1).Draw(t, "drug")
		lang := rapid.SampledFrom([]string{"en", "es", "es-US", ""}).Draw(t, "lang")
		part := rapid.SampledFrom([]string{"morning", "midday", "afternoon", "evening", "night", "bedtime", ""}).Draw(t, "part")
		for _, p := range []string{CheckinPrompt(drug, lang, part), RefillPrompt(drug, lang), SkipPrompt(lang)} {
			enc, units, segs := rules.Segments(p)
			if segs != 1 || (enc != rules.GSM7 && units > 70) {
				t.Fatalf("prompt %q is %s, %d units, %d segments", p, enc, units, segs)
			}
		}
	})
}

func TestPromptOptionsReadBack(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		p := CheckinPrompt("x", lang, "morning")
		opts := strings.SplitN(p, "? ", 2)[1]
		want := []AnswerKind{Taken, NotYet, Skipped}
		for i, opt := range strings.Split(opts, ", ") {
			words := strings.SplitN(opt, " ", 2)[1] // "2 todavia no" → "todavia no"
			a, err := ParseCheckin(words, lang)
			if err != nil || a.Kind != want[i] {
				t.Errorf("%s option %q reads as %+v, %v; want %s", lang, opt, a, err, want[i])
			}
			a, err = ParseCheckin(opt, lang) // the option copied whole
			if err != nil || a.Kind != want[i] {
				t.Errorf("%s option %q reads as %+v, %v; want %s", lang, opt, a, err, want[i])
			}
		}
	}
}
