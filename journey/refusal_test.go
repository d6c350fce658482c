package journey

import (
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
)

func TestIsRefusal(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"No thanks", true},
		{"no, es muy caro", true},
		{"Nope", true},
		{"not interested", true},
		{"I don't want it", true},
		{"I'm not interested in that", true},
		{"I can't afford it", true},
		{"too expensive for me", true}, // a reason is a refusal
		{"No puedo, trabajo todo el día", true},
		{"nunca", true},
		{"Who is this?", false},
		{"¿de dónde sacaron mi número?", false},
		{"maybe, tell me more", false},
		{"what is this about", false},
		{"Call me tomorrow", false},
		{"Nothing", false}, // "nothing" is not "no"
		{"Nora here, can you call me", false},
		{"", false},
	} {
		if got := isRefusal(tc.text); got != tc.want {
			t.Errorf("isRefusal(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestClassifyAnswer reads replies as the intent parser leaves them.
func TestClassifyAnswer(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Answer
	}{
		{"yes", AnswerYes},
		{"sí", AnswerYes},
		{"no", AnswerNo},
		{"1", AnswerChoice},
		{"I don't trust these texts", AnswerRefusal},
		{"how did you get my number", AnswerRefusal}, // doubts the sender: a no with its reason
		{"is this a scam", AnswerRefusal},
		{"how did you get my number?", AnswerQuestion}, // asked: staff answer it
		{"how much does it cost", AnswerQuestion},      // asks about the offer
		{"can I do it later", AnswerQuestion},
		{"No thanks, I can't afford it", AnswerRefusal},
		{"Call me tomorrow", AnswerOther},
		{"feeling much better, thank you", AnswerOther},
	} {
		p := rules.ParseIntent(tc.text, 2)
		in := &rapport.Inbound{Body: tc.text, Intent: string(p.Kind), Choice: p.Choice}
		if got := ClassifyAnswer(in); got != tc.want {
			t.Errorf("ClassifyAnswer(%q) (intent %s) = %s, want %s", tc.text, p.Kind, got, tc.want)
		}
	}
}
