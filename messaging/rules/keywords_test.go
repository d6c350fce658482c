package rules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCatalogueMatch(t *testing.T) {
	t.Parallel()
	c := DefaultCatalogue()
	tests := []struct {
		text string
		want Keyword
		ok   bool
	}{
		{"STOP", Keyword{KeywordOptOut, "en", "STOP", false}, true},
		{"stop", Keyword{KeywordOptOut, "en", "STOP", false}, true},
		{"  Stop.  ", Keyword{KeywordOptOut, "en", "STOP", false}, true},
		{"STOP!!!", Keyword{KeywordOptOut, "en", "STOP", false}, true},
		{"stop 🛑", Keyword{KeywordOptOut, "en", "STOP", false}, true},
		{"Stop all", Keyword{KeywordOptOut, "en", "STOPALL", false}, true},
		{"unsubscribe", Keyword{KeywordOptOut, "en", "UNSUBSCRIBE", false}, true},
		{"Cancel", Keyword{KeywordOptOut, "en", "CANCEL", false}, true},
		{"end", Keyword{KeywordOptOut, "en", "END", false}, true},
		{"QUIT", Keyword{KeywordOptOut, "en", "QUIT", false}, true},
		{"revoke", Keyword{KeywordOptOut, "en", "REVOKE", false}, true},
		{"opt out", Keyword{KeywordOptOut, "en", "OPTOUT", false}, true},
		{"Opt-Out", Keyword{KeywordOptOut, "en", "OPTOUT", false}, true},
		{"start", Keyword{KeywordOptIn, "en", "START", false}, true},
		{"UNSTOP", Keyword{KeywordOptIn, "en", "UNSTOP", false}, true},
		{"Yes", Keyword{KeywordOptIn, "en", "YES", true}, true},
		{"yes!", Keyword{KeywordOptIn, "en", "YES", true}, true},
		{"HELP", Keyword{KeywordHelp, "en", "HELP", false}, true},
		{"info?", Keyword{KeywordHelp, "en", "INFO", false}, true},
		{"ALTO", Keyword{KeywordOptOut, "es", "ALTO", false}, true},
		{"¡Alto!", Keyword{KeywordOptOut, "es", "ALTO", false}, true},
		{"parar", Keyword{KeywordOptOut, "es", "PARAR", false}, true},
		{"Cancelar", Keyword{KeywordOptOut, "es", "CANCELAR", false}, true},
		{"BAJA", Keyword{KeywordOptOut, "es", "BAJA", false}, true},
		{"detener", Keyword{KeywordOptOut, "es", "DETENER", false}, true},
		{"comenzar", Keyword{KeywordOptIn, "es", "COMENZAR", false}, true},
		{"Inicio", Keyword{KeywordOptIn, "es", "INICIO", false}, true},
		{"sí", Keyword{KeywordOptIn, "es", "SÍ", true}, true},
		{"SI", Keyword{KeywordOptIn, "es", "SÍ", true}, true},
		{"AYUDA", Keyword{KeywordHelp, "es", "AYUDA", false}, true},
		{"AYÚDA", Keyword{KeywordHelp, "es", "AYUDA", false}, true},
		{"¿ayuda?", Keyword{KeywordHelp, "es", "AYUDA", false}, true},
		{"a\u0301yuda", Keyword{KeywordHelp, "es", "AYUDA", false}, true}, // decomposed accent
		{"S\u200bTOP", Keyword{KeywordOptOut, "en", "STOP", false}, true}, // zero-width space
		{"ＳＴＯＰ", Keyword{KeywordOptOut, "en", "STOP", false}, true},       // full-width letters
		{"please stop texting me", Keyword{}, false},
		{"stop it", Keyword{}, false},
		{"stopped", Keyword{}, false},
		{"help me understand my bill", Keyword{}, false},
		{"no", Keyword{}, false},
		{"alta", Keyword{}, false},
		{"", Keyword{}, false},
		{"...", Keyword{}, false},
	}
	for _, tt := range tests {
		got, ok := c.Match(tt.text)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Match(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCatalogueAddLanguage(t *testing.T) {
	t.Parallel()
	c := DefaultCatalogue()
	if _, ok := c.Match("ARRÊT"); ok {
		t.Fatal("ARRÊT matched before French was added")
	}
	c.Add(Keyword{Kind: KeywordOptOut, Lang: "fr", Word: "ARRÊT"}, Keyword{Kind: KeywordHelp, Lang: "fr", Word: "AIDE"})
	got, ok := c.Match("arret")
	if !ok || got.Lang != "fr" || got.Kind != KeywordOptOut || got.Word != "ARRÊT" {
		t.Errorf("Match(arret) = %+v, %v", got, ok)
	}
	langs := strings.Join(c.Languages(), ",")
	if langs != "en,es,fr" {
		t.Errorf("Languages() = %s", langs)
	}
	if n := len(c.Keywords("fr")); n != 2 {
		t.Errorf("Keywords(fr) has %d entries, want 2", n)
	}
}

func TestCatalogueStrongerMeaningWins(t *testing.T) {
	t.Parallel()
	c := NewCatalogue()
	c.Add(Keyword{Kind: KeywordOptIn, Lang: "xx", Word: "FOO", Weak: true})
	c.Add(Keyword{Kind: KeywordOptOut, Lang: "yy", Word: "foo"})
	c.Add(Keyword{Kind: KeywordHelp, Lang: "zz", Word: "Foo"})
	got, _ := c.Match("foo")
	if got.Kind != KeywordOptOut || got.Lang != "yy" {
		t.Errorf("Match(foo) = %+v, want the opt-out", got)
	}
}

// Every word of the default table must match itself in any case.
func TestDefaultCatalogueMatchesItsWords(t *testing.T) {
	t.Parallel()
	c := DefaultCatalogue()
	for _, row := range keywordTable {
		for _, w := range row.words {
			for _, s := range []string{w, strings.ToLower(w), " " + w + ". "} {
				got, ok := c.Match(s)
				if !ok || got.Kind != row.kind {
					t.Errorf("Match(%q) = %+v, %v; want kind %s", s, got, ok, row.kind)
				}
			}
		}
	}
}

func FuzzMatchKeyword(f *testing.F) {
	for _, s := range []string{"STOP", "stop.", "AYÚDA", "opt out", "yes", "¡Alto!", "", "stop it", "S\u200bTOP", "\xff"} {
		f.Add(s)
	}
	c := DefaultCatalogue()
	f.Fuzz(func(t *testing.T, s string) {
		k, ok := c.Match(s)
		if !ok {
			if k != (Keyword{}) {
				t.Fatalf("no match but keyword %+v", k)
			}
			return
		}
		if k.Word == "" || k.Lang == "" {
			t.Fatalf("match with empty word or language: %+v", k)
		}
		// Adding surrounding space and punctuation never changes the answer.
		if k2, ok2 := c.Match("  " + s + "!. "); !ok2 || k2 != k {
			t.Fatalf("Match(%q) = %+v but padded gives %+v, %v", s, k, k2, ok2)
		}
		// Matching needs at least the keyword's letters.
		if utf8.RuneCountInString(s) < utf8.RuneCountInString(keywordKey(k.Word)) {
			t.Fatalf("Match(%q) = %+v from fewer runes than the word", s, k)
		}
	})
}
