package selfreport

import (
	"errors"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

func TestParseSkipReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text   string
		want   SkipReason
		severe bool
		keyed  bool
	}{
		{"1", SideEffects, false, true},
		{"2", Cost, false, true},
		{"3", Forgot, false, true},
		{"4", RanOut, false, true},
		{"5", FeltBetter, false, true},
		{"6", OtherReason, false, true},
		{"4 ran out", RanOut, false, true},
		{"3. se me olvidó", Forgot, false, true},
		{"tres", Forgot, false, true},
		{"6 the pharmacy was closed", OtherReason, false, true},
		// English
		{"side effects", SideEffects, false, false},
		{"Side affects", SideEffects, false, false},
		{"it makes me dizzy", SideEffects, false, false},
		{"dizzzy", SideEffects, false, false},
		{"made me sick", SideEffects, false, false},
		{"upset stomach", SideEffects, false, false},
		{"I get headaches from it", SideEffects, false, false},
		{"don't feel well after taking it", SideEffects, false, false},
		{"chest pain", SideEffects, true, false},
		{"my lips got swollen", SideEffects, true, false},
		{"I can't breathe well on it", SideEffects, true, false},
		{"too expensive", Cost, false, false},
		{"can't afford it", Cost, false, false},
		{"no money this month", Cost, false, false},
		{"copay is $45", Cost, false, false},
		{"forgot", Forgot, false, false},
		{"I forgot", Forgot, false, false},
		{"forgott", Forgot, false, false},
		{"it slipped my mind", Forgot, false, false},
		{"no, I forgot", Forgot, false, false},
		{"ran out", RanOut, false, false},
		{"I ran out yesterday", RanOut, false, false},
		{"out of pills", RanOut, false, false},
		{"need a refill", RanOut, false, false},
		{"felt better", FeltBetter, false, false},
		{"I feel fine, don't need it", FeltBetter, false, false},
		{"other", OtherReason, false, false},
		{"no side effects, just forgot", Forgot, false, false},
		{"not dizzy but I ran out", RanOut, false, false},
		{"other - it made me dizzy", SideEffects, false, false},
		{"bitter taste", SideEffects, false, false}, // not "better"
		{"I feel worse on it", SideEffects, false, false},
		{"my blood sugar went too low", SideEffects, false, false}, // "blood" alone is severe
		{"blood in my stool", SideEffects, true, false},
		{"I tried but I ran out", RanOut, false, false}, // "tried" is not "tired"
		// Spanish
		{"efectos secundarios", SideEffects, false, false},
		{"me mareo mucho", SideEffects, false, false},
		{"me cae mal al estómago", SideEffects, false, false},
		{"no me siento bien con esa pastilla", SideEffects, false, false},
		{"dolor de pecho", SideEffects, true, false},
		{"me desmayé", SideEffects, true, false},
		{"está muy cara", Cost, false, false},
		{"no tengo dinero", Cost, false, false},
		{"no me alcanza", Cost, false, false},
		{"se me olvidó", Forgot, false, false},
		{"Se me olvido", Forgot, false, false},
		{"no, se me olvidó", Forgot, false, false},
		{"se me acabó", RanOut, false, false},
		{"se me acabaron las pastillas", RanOut, false, false},
		{"ya no me quedan", RanOut, false, false},
		{"se me terminaron", RanOut, false, false},
		{"ya no me quedaban pastillas", RanOut, false, false},
		{"me siento mejor", FeltBetter, false, false},
		{"ya estoy bien", FeltBetter, false, false},
		{"otro", OtherReason, false, false},
		{"sin efectos, se me acabó", RanOut, false, false},
	}
	for _, tt := range tests {
		got, err := ParseSkipReason(tt.text, "en")
		if err != nil {
			t.Errorf("ParseSkipReason(%q): %v", tt.text, err)
			continue
		}
		if got.Reason != tt.want || got.Severe != tt.severe || got.Keyed != tt.keyed {
			t.Errorf("ParseSkipReason(%q) = %+v, want %s severe=%v keyed=%v", tt.text, got, tt.want, tt.severe, tt.keyed)
		}
	}
}

func TestParseSkipReasonNotUnderstood(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"", "  ", "0", "7", "42", "idk", "no sé", "why do you ask?",
		"I forgot and then I ran out", // two reasons
		"too expensive and it makes me dizzy",
		"no side effects", // a denial and nothing else
		"no me siento mejor",
	} {
		s, err := ParseSkipReason(text, "es")
		if !errors.Is(err, ErrNotUnderstood) {
			t.Errorf("ParseSkipReason(%q) = %+v, %v; want not understood", text, s, err)
		}
	}
}

func TestSkipInbox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s     Skip
		inbox bool
		p     rapport.Priority
	}{
		{Skip{Reason: SideEffects}, true, rapport.PriorityHigh},
		{Skip{Reason: SideEffects, Severe: true}, true, rapport.PriorityUrgent},
		{Skip{Reason: RanOut}, true, rapport.PriorityNormal},
		{Skip{Reason: Cost}, false, ""},
		{Skip{Reason: Forgot}, false, ""},
		{Skip{Reason: FeltBetter}, false, ""},
		{Skip{Reason: OtherReason}, false, ""},
	}
	for _, tt := range tests {
		inbox, p := tt.s.Inbox()
		if inbox != tt.inbox || p != tt.p {
			t.Errorf("%+v.Inbox() = %v, %q; want %v, %q", tt.s, inbox, p, tt.inbox, tt.p)
		}
	}
}

// The prompt's numbers and labels read back as the reasons they offer,
// in both languages: a patient who copies the label is understood.
func TestSkipPromptReadsBack(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		opts := strings.Split(strings.SplitN(SkipPrompt(lang), "? ", 2)[1], ", ")
		if len(opts) != len(SkipReasons) {
			t.Fatalf("%s prompt offers %d options, want %d", lang, len(opts), len(SkipReasons))
		}
		for i, want := range SkipReasons {
			num, label, _ := strings.Cut(opts[i], " ")
			for _, reply := range []string{num, label, opts[i]} {
				s, err := ParseSkipReason(reply, lang)
				if err != nil || s.Reason != want {
					t.Errorf("%s reply %q = %+v, %v; want %s", lang, reply, s, err, want)
				}
			}
		}
	}
}

// Every cue of the vocabulary reads alone as its reason.
func TestSkipTableReadsAlone(t *testing.T) {
	t.Parallel()
	for _, row := range skipTable {
		for _, c := range row.cues {
			s, err := ParseSkipReason(c, row.lang)
			if err != nil || s.Reason != row.reason || s.Severe != row.severe {
				t.Errorf("%q = %+v, %v; want %s severe=%v", c, s, err, row.reason, row.severe)
			}
		}
	}
}
