package selfreport

import (
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestParseCheckin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, lang string
		want       AnswerKind
		keyed      bool
		wantLang   string
	}{
		// keypad digits and typed numbers
		{"1", "en", Taken, true, "en"},
		{"2", "en", NotYet, true, "en"},
		{"3", "es", Skipped, true, "es"},
		{" 1 ", "en", Taken, true, "en"},
		{"1.", "en", Taken, true, "en"},
		{"#3", "en", Skipped, true, "en"},
		{"1#", "en", Taken, true, "en"},
		{"option 2", "en", NotYet, true, "en"},
		{"１", "en", Taken, true, "en"}, // full-width digit
		{"uno", "es", Taken, true, "es"},
		{"three", "en", Skipped, true, "en"},
		{"1 yes", "en", Taken, true, "en"},
		{"2 not yet", "en", NotYet, true, "en"},
		{"3 no", "en", Skipped, true, "en"},
		{"2 no", "en", NotYet, true, "en"},
		{"3 no la tomé", "es", Skipped, true, "es"},
		// English: yes
		{"yes", "en", Taken, false, "en"},
		{"Yes!", "en", Taken, false, "en"},
		{"YES", "en", Taken, false, "en"},
		{"y", "en", Taken, false, "en"},
		{"yep", "en", Taken, false, "en"},
		{"Yup", "en", Taken, false, "en"},
		{"yeah", "en", Taken, false, "en"},
		{"yesss", "en", Taken, false, "en"},
		{"Took it", "en", Taken, false, "en"},
		{"I took it this morning, thanks", "en", Taken, false, "en"},
		{"yes I took my pills", "en", Taken, false, "en"},
		{"already took it", "en", Taken, false, "en"},
		{"done", "en", Taken, false, "en"},
		{"taken", "en", Taken, false, "en"},
		{"yes I did", "en", Taken, false, "en"},
		{"Yes I did take it", "en", Taken, false, "en"},
		{"Yes ma'am", "en", Taken, false, "en"},
		{"👍", "en", Taken, false, "en"},
		{"👍🏽", "en", Taken, false, "en"},
		// English: not yet
		{"not yet", "en", NotYet, false, "en"},
		{"Not yet.", "en", NotYet, false, "en"},
		{"No, not yet", "en", NotYet, false, "en"},
		{"nope not yet", "en", NotYet, false, "en"},
		{"notyet", "en", NotYet, false, "en"},
		{"later", "en", NotYet, false, "en"},
		{"I will take it later", "en", NotYet, false, "en"},
		{"taking it now", "en", NotYet, false, "en"},
		{"not yet, will take it soon", "en", NotYet, false, "en"},
		{"haven't yet", "en", NotYet, false, "en"},
		{"havent taken it yet", "en", NotYet, false, "en"},
		// English: skipped
		{"no", "en", Skipped, false, "en"},
		{"No.", "en", Skipped, false, "en"},
		{"nope", "en", Skipped, false, "en"},
		{"skipped", "en", Skipped, false, "en"},
		{"skip", "en", Skipped, false, "en"},
		{"skiped", "en", Skipped, false, "en"},
		{"I didn't take it", "en", Skipped, false, "en"},
		{"didnt take it today", "en", Skipped, false, "en"},
		{"no I didn't", "en", Skipped, false, "en"},
		{"No I did not", "en", Skipped, false, "en"},
		{"not today", "en", Skipped, false, "en"},
		{"missed it", "en", Skipped, false, "en"},
		{"👎", "en", Skipped, false, "en"},
		// Spanish
		{"si", "es", Taken, false, "es"},
		{"Sí", "es", Taken, false, "es"},
		{"SII", "es", Taken, false, "es"},
		{"ya", "es", Taken, false, "es"},
		{"Sí, ya me la tomé", "es", Taken, false, "es"},
		{"ya la tome gracias", "es", Taken, false, "es"},
		{"me la tomé esta mañana", "es", Taken, false, "es"},
		{"listo", "es", Taken, false, "es"},
		{"ya la tomé gracias a Dios", "es", Taken, false, "es"},
		{"todavia no", "es", NotYet, false, "es"},
		{"todavía no", "es", NotYet, false, "es"},
		{"Todabia no", "es", NotYet, false, "es"},
		{"aún no", "es", NotYet, false, "es"},
		{"no, todavía no", "es", NotYet, false, "es"},
		{"al rato", "es", NotYet, false, "es"},
		{"ahorita la tomo", "es", NotYet, false, "es"},
		{"más tarde", "es", NotYet, false, "es"},
		{"no la he tomado", "es", NotYet, false, "es"},
		{"no la tome", "es", Skipped, false, "es"},
		{"No la tomé", "es", Skipped, false, "es"},
		{"no me la tomé hoy", "es", Skipped, false, "es"},
		{"hoy no", "es", Skipped, false, "es"},
		{"me la salté", "es", Skipped, false, "es"},
		// the reply's language wins over the question's
		{"yes", "es", Taken, false, "en"},
		{"si", "en", Taken, false, "es"},
		{"no", "es-MX", Skipped, false, "es"},
	}
	for _, tt := range tests {
		got, err := ParseCheckin(tt.text, tt.lang)
		if err != nil {
			t.Errorf("ParseCheckin(%q, %q): %v", tt.text, tt.lang, err)
			continue
		}
		if got.Kind != tt.want || got.Keyed != tt.keyed || got.Lang != tt.wantLang {
			t.Errorf("ParseCheckin(%q, %q) = %+v, want %s keyed=%v lang=%s", tt.text, tt.lang, got, tt.want, tt.keyed, tt.wantLang)
		}
	}
}

func TestParseCheckinNotUnderstood(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"", "   ", "?", "ok", "thanks", "4", "0", "12", "100",
		"1 or 3", "1 3", "yes no", "yes not yet", "no I took it", "ya no",
		"yes but I feel dizzy", "maybe", "who is this?", "I forgot",
		"I stopped taking it, it makes me sick", "no se", "what pill?",
		"got it",       // a refill answer, or an acknowledgement
		"took it at 8", // a time is not an option
		"yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes yes",
	} {
		_, err := ParseCheckin(text, "en")
		var nu *NotUnderstoodError
		if !errors.Is(err, ErrNotUnderstood) || !errors.As(err, &nu) || nu.Question != QuestionCheckin {
			t.Errorf("ParseCheckin(%q) error = %v, want not understood", text, err)
		}
	}
}

func TestParseRefill(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want AnswerKind
	}{
		{"1", PickedUp}, {"2", NotYet}, {"yes", PickedUp}, {"si", PickedUp}, {"got it", PickedUp},
		{"picked it up yesterday", ""}, {"I picked it up", PickedUp}, {"ya la recogí", PickedUp}, {"ya la tengo", PickedUp},
		{"not yet", NotYet}, {"no", NotYet}, {"no, not yet", NotYet}, {"didn't pick it up", NotYet},
		{"todavía no", NotYet}, {"no la he recogido", NotYet}, {"3", ""}, {"took it", ""}, {"yes and no", ""},
	}
	for _, tt := range tests {
		got, err := ParseRefill(tt.text, "en")
		if tt.want == "" {
			if !errors.Is(err, ErrNotUnderstood) {
				t.Errorf("ParseRefill(%q) = %+v, %v; want not understood", tt.text, got, err)
			}
			continue
		}
		if err != nil || got.Kind != tt.want {
			t.Errorf("ParseRefill(%q) = %+v, %v; want %s", tt.text, got, err, tt.want)
		}
	}
}

// The error says where and what kind, never the patient's words.
func TestNotUnderstoodNamesNoWords(t *testing.T) {
	t.Parallel()
	_, err := ParseCheckin("yes but warfarin makes me bleed", "en")
	if err == nil {
		t.Fatal("want an error")
	}
	for _, w := range []string{"warfarin", "bleed"} {
		if strings.Contains(err.Error(), w) {
			t.Errorf("error %q quotes the reply", err)
		}
	}
}

// Every phrase of the vocabulary reads alone as its meaning, for the
// question it answers: no row is shadowed by another or lost to a
// correction.
func TestAnswerTableReadsAlone(t *testing.T) {
	t.Parallel()
	for _, row := range answerTable {
		if row.meaning == mFiller || row.meaning == mChoice {
			continue
		}
		for _, p := range row.phrases {
			for _, q := range []Question{QuestionCheckin, QuestionRefill} {
				want, ok := answerOf(q, row.meaning)
				if !ok {
					continue
				}
				got, err := parseAnswer(p, "en", q)
				if err != nil || got.Kind != want {
					t.Errorf("%s %q = %+v, %v; want %s", q, p, got, err, want)
				}
			}
		}
	}
}

// Case and accents do not change an answer.
func TestParseCheckinFoldsCase(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		row := rapid.SampledFrom(answerTable).Draw(t, "row")
		p := rapid.SampledFrom(row.phrases).Draw(t, "phrase")
		a, errA := ParseCheckin(p, "en")
		b, errB := ParseCheckin(strings.ToUpper(p)+"!", "en")
		if a != b || (errA == nil) != (errB == nil) {
			t.Fatalf("%q = %+v, %v but upper-cased = %+v, %v", p, a, errA, b, errB)
		}
	})
}
