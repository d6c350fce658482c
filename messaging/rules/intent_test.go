package rules

import (
	"strings"
	"testing"
)

func TestParseIntent(t *testing.T) {
	t.Parallel()
	type want struct {
		kind   IntentKind
		choice int
		lang   string
	}
	yes := func(lang string) want { return want{IntentYes, 0, lang} }
	no := func(lang string) want { return want{IntentNo, 0, lang} }
	choice := func(n int, lang string) want { return want{IntentChoice, n, lang} }
	free := want{IntentFreeText, 0, ""}
	question := func(lang string) want { return want{IntentQuestion, 0, lang} }
	tests := []struct {
		text    string
		choices int
		want    want
	}{
		{"yes", 0, yes("en")},
		{"Yes", 0, yes("en")},
		{"YES!!!", 0, yes("en")},
		{"y", 0, yes("en")},
		{"Yeah", 0, yes("en")},
		{"yep", 0, yes("en")},
		{"Sure", 0, yes("en")},
		{"ok", 0, yes("")},
		{"OK.", 0, yes("")},
		{"okay", 0, yes("en")},
		{"Yes please", 0, yes("en")},
		{"I'm interested!", 0, yes("en")},
		{"Sí, me interesa", 0, yes("es")},
		{"me interesa, gracias", 0, yes("es")},
		{"not interested", 0, no("en")},
		{"no me interesa", 0, no("es")},
		{"yes, please!", 0, yes("en")},
		{"Sure thing", 0, yes("en")},
		{"  yes   please  ", 0, yes("en")},
		{"Yes thank you", 0, yes("en")},
		{"yes yes", 0, yes("en")},
		{"Sí", 0, yes("es")},
		{"si", 0, yes("es")},
		{"SI!", 0, yes("es")},
		{"Claro", 0, yes("es")},
		{"claro que sí", 0, yes("es")},
		{"Por supuesto", 0, yes("es")},
		{"vale", 0, yes("es")},
		{"De acuerdo.", 0, yes("es")},
		{"sí, gracias", 0, yes("es")},
		{"ok gracias", 0, yes("es")},
		{"👍", 0, yes("")},
		{"👍🏽", 0, yes("")},
		{"yes 👍", 0, yes("en")},
		{"✅", 0, yes("")},
		{"no", 0, no("")},
		{"No.", 0, no("")},
		{"NO!", 0, no("")},
		{"n", 0, no("en")},
		{"nope", 0, no("en")},
		{"Nah", 0, no("en")},
		{"No thanks", 0, no("en")},
		{"no, thank you", 0, no("en")},
		{"No gracias", 0, no("es")},
		{"not now", 0, no("en")},
		{"Never", 0, no("en")},
		{"nunca", 0, no("es")},
		{"ahora no", 0, no("es")},
		{"👎", 0, no("")},
		{"1", 3, choice(1, "")},
		{"2", 3, choice(2, "")},
		{"1.", 3, choice(1, "")},
		{"#2", 3, choice(2, "")},
		{"option 3", 3, choice(3, "en")},
		{"Option #3", 3, choice(3, "en")},
		{"opción 2", 3, choice(2, "es")},
		{"uno", 3, choice(1, "es")},
		{"Dos", 3, choice(2, "es")},
		{"tres", 3, choice(3, "es")},
		{"one", 3, choice(1, "en")},
		{"two", 3, choice(2, "en")},
		{"the 2nd", 3, free}, // "the" is not a courtesy word
		{"2nd", 3, choice(2, "en")},
		{"1️⃣", 3, choice(1, "")},
		{"3)", 3, choice(3, "")},
		{"2 please", 3, choice(2, "en")},
		{"4", 3, free},
		{"0", 3, free},
		{"12", 0, choice(12, "")},
		{"100", 0, free},
		{"1 2", 3, free},
		{"1 or 2", 3, free},
		{"yes and no", 0, free},
		{"yes no", 0, free},
		{"si y no", 0, free},
		{"maybe", 0, free},
		{"I'm not sure", 0, free},
		{"yes but only after 5pm", 0, free},
		{"Who is this?", 0, question("en")},
		{"who is this", 0, question("en")},
		{"how much does it cost?", 0, question("en")},
		{"what is this about", 0, question("en")},
		{"¿cuánto cuesta?", 0, question("es")},
		{"cuanto cuesta", 0, question("es")},
		{"is it free?", 0, question("en")},
		{"ok but when does it start", 0, question("en")},
		{"yes?", 0, yes("en")},
		{"no?", 0, no("")},
		{"2?", 3, choice(2, "")},
		{"maybe?", 0, question("")},
		{"when I have time", 0, free},
		{"que caro", 0, free},
		{"thanks", 0, free},
		{"gracias", 0, free},
		{"Call me at 555 1234", 0, free},
		{"¿Qué?", 0, question("es")},
		{"...", 0, free},
		{"ok no", 0, free},
		{"", 0, want{IntentEmpty, 0, ""}},
		{"   \n\t ", 0, want{IntentEmpty, 0, ""}},
		{"\u200b", 0, want{IntentEmpty, 0, ""}},
		{strings.Repeat("yes ", 20), 0, free},
	}
	for _, tt := range tests {
		got := ParseIntent(tt.text, tt.choices)
		if got.Kind != tt.want.kind || got.Choice != tt.want.choice || got.Lang != tt.want.lang {
			t.Errorf("ParseIntent(%q, %d) = %s/%d/%q; want %s/%d/%q", tt.text, tt.choices,
				got.Kind, got.Choice, got.Lang, tt.want.kind, tt.want.choice, tt.want.lang)
		}
		if got.Text != tt.text {
			t.Errorf("ParseIntent(%q).Text = %q, want it verbatim", tt.text, got.Text)
		}
	}
}

// Keypad digits gathered by a voice call parse like typed ones.
func TestParseIntentKeypad(t *testing.T) {
	t.Parallel()
	for d := 1; d <= 9; d++ {
		digit := string(rune('0' + d))
		got := ParseIntent(digit, 9)
		if got.Kind != IntentChoice || got.Choice != d {
			t.Errorf("keypad %s = %+v", digit, got)
		}
	}
}

func FuzzParseIntent(f *testing.F) {
	for _, s := range []string{"yes", "No gracias", "#2", "option 3", "👍", "yes and no", "", "  ", "uno", "\xff\xfe", "1️⃣",
		"who is this?", "¿cuánto cuesta?", "yes?"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, choices int) {
		in := ParseIntent(s, choices)
		if in.Text != s {
			t.Fatalf("Text %q, want verbatim %q", in.Text, s)
		}
		switch in.Kind {
		case IntentChoice:
			if in.Choice < 1 || (choices > 0 && in.Choice > choices) || in.Choice > 99 && choices <= 0 {
				t.Fatalf("choice %d out of range for %d choices", in.Choice, choices)
			}
		case IntentYes, IntentNo, IntentFreeText, IntentQuestion, IntentEmpty:
			if in.Choice != 0 {
				t.Fatalf("%s with choice %d", in.Kind, in.Choice)
			}
		default:
			t.Fatalf("unknown kind %q", in.Kind)
		}
		if in.Kind == IntentEmpty && strings.TrimSpace(s) != "" && keywordKey(s) != "" {
			t.Fatalf("Empty for %q, which has letters or digits", s)
		}
		// A question is free text that asks; an answer never becomes one.
		if (in.Kind == IntentQuestion) != (in.Kind != IntentYes && in.Kind != IntentNo && in.Kind != IntentChoice &&
			in.Kind != IntentEmpty && IsQuestion(s)) {
			t.Fatalf("%q is %s, IsQuestion %v", s, in.Kind, IsQuestion(s))
		}
		// Courtesy padding never turns an answer into another answer.
		if in.Kind == IntentYes || in.Kind == IntentNo {
			if p := ParseIntent(s+", thanks!", choices); p.Kind != in.Kind && p.Kind != IntentFreeText && p.Kind != IntentQuestion {
				t.Fatalf("%q is %s but with thanks %s", s, in.Kind, p.Kind)
			}
		}
	})
}
