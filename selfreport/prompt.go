package selfreport

import (
	"strings"

	"github.com/rapporthq/rapport/messaging/rules"
)

// partOfDay words by language; the key is the caller's part of the day.
var partOfDay = map[string]map[string]string{
	"en": {"morning": "this morning", "midday": "at midday", "noon": "at midday", "afternoon": "this afternoon",
		"evening": "this evening", "night": "tonight", "bedtime": "at bedtime", "": "today"},
	"es": {"morning": "esta mañana", "midday": "al mediodía", "noon": "al mediodía", "afternoon": "esta tarde",
		"evening": "esta noche", "night": "esta noche", "bedtime": "antes de dormir", "": "hoy"},
}

// CheckinPrompt is the check-in question for a dose, in English or Spanish
// (any other lang gets English): "Did you take your metformin this
// morning? 1 yes, 2 not yet, 3 skipped" / "¿Tomó su metformina esta
// mañana? 1 sí, 2 todavía no, 3 no la tomé". partOfDay is "morning",
// "midday", "afternoon", "evening", "night" or "bedtime"; any other value
// asks about today. An empty drug reads "your medicine".
//
// The text is always one SMS segment. Spanish keeps its accents when the
// text fits one UCS-2 segment (70 characters) anyway, which costs the same
// as a GSM-7 one; a longer text drops the accents GSM-7 lacks (á í ó ú, as
// Spanish texts commonly do) to travel as one GSM-7 segment of 160. A drug
// name that would take it past 160 is shortened, whole words first.
func CheckinPrompt(drug, lang, partOfDay string) string {
	when := partWords(lang, partOfDay)
	if baseLang(lang) == "es" {
		return fit(drug, "medicina", func(d string) string {
			return "¿Tomó su " + d + " " + when + "? 1 sí, 2 todavía no, 3 no la tomé"
		})
	}
	return fit(drug, "medicine", func(d string) string {
		return "Did you take your " + d + " " + when + "? 1 yes, 2 not yet, 3 skipped"
	})
}

// RefillPrompt is the refill follow-up, "Did you pick up your refill of
// <drug>? 1 yes, 2 not yet", read back by [ParseRefill]; GSM-7 and one SMS
// as [CheckinPrompt].
func RefillPrompt(drug, lang string) string {
	if baseLang(lang) == "es" {
		return fit(drug, "", func(d string) string {
			if d == "" {
				return "¿Recogió su medicina en la farmacia? 1 sí, 2 todavía no"
			}
			return "¿Recogió su " + d + " en la farmacia? 1 sí, 2 todavía no"
		})
	}
	return fit(drug, "", func(d string) string {
		if d == "" {
			return "Did you pick up your refill? 1 yes, 2 not yet"
		}
		return "Did you pick up your refill of " + d + "? 1 yes, 2 not yet"
	})
}

// SkipPrompt asks why a dose was skipped, with the options
// [ParseSkipReason] reads by number.
func SkipPrompt(lang string) string {
	if baseLang(lang) == "es" {
		// 95 characters: GSM-7 without the accents it lacks.
		return gsmSafe("¿Por qué no la tomó? 1 efectos secundarios, 2 costo, 3 se me olvidó, 4 se me acabó, 5 me sentía mejor, 6 otro")
	}
	return "Why? 1 side effects, 2 cost, 3 forgot, 4 ran out, 5 felt better, 6 other"
}

func partWords(lang, part string) string {
	words := partOfDay["en"]
	if baseLang(lang) == "es" {
		words = partOfDay["es"]
	}
	if w, ok := words[strings.ToLower(strings.TrimSpace(part))]; ok {
		return w
	}
	return words[""]
}

// fit renders the text with the drug's name cleaned of control characters
// and extra space, or with def when the name is empty, as one SMS segment
// ([oneSegment]); words are dropped from the end of a long name, then
// letters from a single long word, until it fits.
func fit(drug, def string, render func(string) string) string {
	name := strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, drug))
	if len(name) == 0 {
		s, _ := oneSegment(render(def))
		return s
	}
	for n := len(name); n > 0; n-- {
		if s, ok := oneSegment(render(strings.Join(name[:n], " "))); ok {
			return s
		}
	}
	word := []rune(name[0])
	for n := len(word) - 1; n > 0; n-- {
		if s, ok := oneSegment(render(string(word[:n]))); ok {
			return s
		}
	}
	s, _ := oneSegment(render(def))
	return s
}

// oneSegment returns s as it is when it is one SMS segment, else s with
// the accents GSM-7 lacks dropped, and whether that is one segment.
func oneSegment(s string) (string, bool) {
	if _, _, segs := rules.Segments(s); segs == 1 {
		return s, true
	}
	s = gsmSafe(s)
	_, _, segs := rules.Segments(s)
	return s, segs == 1
}

// gsmAccents maps the accented letters Spanish uses that GSM-7 lacks to
// their base letter; é, ñ, ü, ¿ and ¡ are in GSM-7 and stay.
var gsmAccents = strings.NewReplacer("á", "a", "í", "i", "ó", "o", "ú", "u", "Á", "A", "Í", "I", "Ó", "O", "Ú", "U")

func gsmSafe(s string) string { return gsmAccents.Replace(s) }
