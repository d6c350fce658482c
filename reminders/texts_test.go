package reminders

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/selfreport"
)

// TestTextsReadAloud renders every message of this package as a call to a
// landline would say it (the pipeline's rules.Spoken, then the TwiML of
// the call with its keypad choices), in English and Spanish: no call may
// ask for a typed answer or a keyword, every answer must be a key to
// press, and a Spanish call must not read English labels.
func TestTextsReadAloud(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		content messaging.Content
		choices map[string]string
	}{
		{"dose reminder", reminderContent, nil},
		{"check-in", bilingual(func(lang string) string { return selfreport.CheckinPrompt("lisinopril", lang, "morning") }), checkinChoices},
		{"skip question", bilingual(selfreport.SkipPrompt), skipChoices()},
		{"refill reminder", refillContent, refillChoices},
		{"refill follow-up", bilingual(func(lang string) string { return selfreport.RefillPrompt("lisinopril", lang) }), refillChoices},
	} {
		for _, lang := range []string{"en", "es"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				body := rules.Spoken(tc.content.ByLang[lang].Body, lang)
				said := strings.ToLower(string(twilio.VoiceTwiML(lang, body, tc.choices, "https://rapport.example/webhooks/twilio/voice?mid=m1")))
				banned := []string{"reply", "later", "text "}
				press := "press "
				if lang == "es" {
					banned = []string{"responda", "mas tarde", "más tarde", "yes", "not yet", "skipped", "side effects", "forgot", "ran out", "picked up", "other reason"}
					press = "oprima "
				}
				for _, w := range banned {
					if strings.Contains(said, w) {
						t.Errorf("the call says %q:\n%s", w, said)
					}
				}
				// Every key is said after the keypad verb ("press 1 …, 2 if not").
				_, keys, found := strings.Cut(said, press)
				for key := range tc.choices {
					if len(tc.choices) > 0 && (!found || !strings.Contains(keys, key+" ")) {
						t.Errorf("the call does not ask to %s%s:\n%s", press, key, said)
					}
				}
			})
		}
	}
}
