package journey

import (
	"slices"
	"strings"
	"unicode"
)

// refusalOpeners are the words a worded "no" starts with, folded.
var refusalOpeners = [][]string{
	{"no"}, {"nope"}, {"nah"}, {"not"}, {"never"}, {"dont"}, {"don't"}, {"do", "not"},
	{"i", "dont"}, {"i", "don't"}, {"i", "do", "not"}, {"im", "not"}, {"i'm", "not"}, {"i", "am", "not"},
	{"i", "cant"}, {"i", "can't"}, {"i", "cannot"}, {"cant"}, {"can't"}, {"i", "wont"}, {"i", "won't"},
	{"id", "rather", "not"}, {"i'd", "rather", "not"}, {"not", "interested"}, {"no", "thanks"}, {"pass"},
	{"nunca"}, {"tampoco"}, {"paso"}, {"ya", "no"},
}

// isRefusal reports whether free text refuses the offer: it opens with a
// "no" in words ("no thanks, I'm fine", "nope", "no puedo"), or gives a
// reason to decline ("too expensive") without asking. A question or any other remark is
// not a refusal: staff read it and the journey keeps waiting.
func isRefusal(text string) bool {
	words := strings.FieldsFunc(fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	for _, o := range refusalOpeners {
		if len(words) >= len(o) && slices.Equal(words[:len(o)], o) {
			return true
		}
	}
	if strings.ContainsAny(text, "?¿") {
		return false // "who is this?" asks; it does not refuse
	}
	return ClassifyReason(text, 0) != ReasonOther
}
