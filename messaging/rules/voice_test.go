package rules

import (
	"strings"
	"testing"
)

func TestSpoken(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"en", "Interested? Reply 1 for yes, 2 for no.", "Interested? Press 1 for yes, 2 for no."},
		{"en", "Hi Ana. Reply with 1 if you can come.", "Hi Ana. Press 1 if you can come."},
		{"en", "Text 2 to cancel. Reply STOP to opt out.", "Press 2 to cancel."},
		{"en", "Please reply 3 for Spanish.", "Please press 3 for Spanish."},
		{"en", "We will read your reply 1 day later.", "We will read your reply 1 day later."},
		{"en", "Your visit is on May 2. See you then.", "Your visit is on May 2. See you then."},
		{"en", "Press 1 for yes.", "Press 1 for yes."},
		{"es", "¿Le interesa? Responda 1 sí, 2 no.", "¿Le interesa? Oprima 1 sí, 2 no."},
		{"es", "Envíe un 1 para confirmar. Responda PARAR para no recibir más.", "Oprima 1 para confirmar."},
		{"es", "Conteste con el 2 si no puede venir.", "Oprima 2 si no puede venir."},
		{"en", "Time for your pill. Reply LATER for a reminder in an hour, or a time (8PM) to change it.", "Time for your pill."},
		{"es", "Es hora de su pastilla. Responda MAS TARDE y le recordamos en una hora.", "Es hora de su pastilla."},
		{"es", "Es hora. Responda más tarde.", "Es hora."},
		{"en", "We will remind you later.", "We will remind you later."},
		{"en", "", ""},
	} {
		got := Spoken(tc.in, tc.lang)
		if got != tc.want {
			t.Errorf("Spoken(%q, %s) = %q, want %q", tc.in, tc.lang, got, tc.want)
		}
	}
}

// No shipped-style offer read on a call still asks for a typed answer.
func TestSpokenLeavesNoReplyInstruction(t *testing.T) {
	for _, in := range []string{
		"Hi {first_name}, {org} can lend you a cuff. Interested? Reply 1 for yes, 2 for no.",
		"Hola {first_name}. ¿Le interesa? Responda 1 sí, 2 no.",
		"Reply 1 to confirm, 2 to cancel. Reply HELP for help.",
	} {
		got := strings.ToLower(Spoken(in, "en"))
		for _, w := range []string{"reply", "responda", "help"} {
			if strings.Contains(got, w) {
				t.Errorf("Spoken(%q) = %q still says %q", in, got, w)
			}
		}
	}
}

func FuzzSpoken(f *testing.F) {
	f.Add("Reply 1 for yes. Reply STOP to stop.", "en")
	f.Add("Responda 1 sí", "es")
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := Spoken(text, lang)
		if len(got) > len(text)+16*strings.Count(text, " ")+16 {
			t.Fatalf("Spoken grew %q to %q", text, got)
		}
		if Spoken(got, lang) != got && !strings.Contains(strings.ToLower(got), "press") && !strings.Contains(strings.ToLower(got), "oprima") {
			t.Fatalf("Spoken is not stable on %q: %q", got, Spoken(got, lang))
		}
	})
}
