package selfreport

import (
	"errors"
	"slices"
	"testing"
)

// The parsers read text from outside: they never panic, every error is of
// the package's kinds, and what they accept is a valid value.

func FuzzParseCheckin(f *testing.F) {
	for _, s := range []string{"1", "yes", "No, not yet", "Sí, ya me la tomé", "todabia no", "1 or 3", "👍🏽", "", "yesss", "no la tomé"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, parse := range []func(string, string) (Answer, error){ParseCheckin, ParseRefill} {
			a, err := parse(text, "es")
			if err != nil {
				if !errors.Is(err, ErrNotUnderstood) {
					t.Fatalf("error %v is not a not-understood error", err)
				}
				continue
			}
			if !slices.Contains([]AnswerKind{Taken, NotYet, Skipped, PickedUp}, a.Kind) || (a.Lang != "en" && a.Lang != "es") {
				t.Fatalf("accepted %+v", a)
			}
		}
	})
}

func FuzzParseSkipReason(f *testing.F) {
	for _, s := range []string{"4", "it makes me dizzy", "no side effects, just forgot", "se me acabó", "chest pain", "", "6 otro"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSkipReason(text, "en")
		if err != nil {
			if !errors.Is(err, ErrNotUnderstood) {
				t.Fatalf("error %v is not a not-understood error", err)
			}
			return
		}
		if !slices.Contains(SkipReasons, s.Reason) || (s.Severe && s.Reason != SideEffects) {
			t.Fatalf("accepted %+v", s)
		}
	})
}

func FuzzParseReading(f *testing.F) {
	for _, s := range []string{"142/90", "bp: 142 / 90 p 72", "142 sobre 90", "glucose 10 mmol", "azúcar 180 mg/dl",
		"peso 82,5 kg", "1420/90", "142/90/72", "b.p. 120/80", "", "9999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := ParseReading(text, "en")
		if err != nil {
			if !errors.Is(err, ErrNotUnderstood) && !errors.Is(err, ErrImplausible) {
				t.Fatalf("error %v is of no known kind", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("accepted %+v: %v", r, err)
		}
		if len(r.Observations()) == 0 {
			t.Fatalf("accepted %+v with no observation", r)
		}
		if level, _ := Evaluate(r, Thresholds{}); level == "" {
			t.Fatalf("no level for %+v", r)
		}
	})
}
