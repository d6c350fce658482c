package rules

import (
	"strings"
	"unicode"
)

// IsQuestion reports whether a reply asks something, in English or
// Spanish: it holds a question mark ('?', '¿', '？', '❓', '❔'), or one of
// its sentences or clauses opens, after greetings and fillers ("hi", "ok",
// "pero"), with a question word or phrase ("how much", "who", "can I",
// "is it", "cuánto", "quién", "se puede", "qué es"). Words are compared
// folded, so accents do not matter.
//
// Words that also open statements count only before words that make them
// ask: "when is it" and "cuándo empieza" ask, "when I have time" and
// "cuando pueda" do not; "qué es esto" asks, "qué caro" exclaims.
func IsQuestion(text string) bool {
	q, _ := questionLang(text)
	return q
}

// questionLang is [IsQuestion] and the language its question words point
// to, or "" when they do not tell.
func questionLang(text string) (bool, string) {
	mark, lang := false, ""
	for _, r := range text {
		switch r {
		case '¿':
			mark, lang = true, "es"
		case '?', '？', '❓', '❔':
			mark = true
		}
	}
	for _, clause := range questionClauses(text) {
		if l, ok := opensQuestion(clause); ok {
			if lang == "" {
				lang = l
			}
			return true, lang
		}
	}
	return mark, lang
}

// questionClauses splits a reply into clauses of folded words; sentence
// and clause punctuation ends one, apostrophes inside words are dropped.
func questionClauses(text string) [][]string {
	var (
		clauses [][]string
		cur     []string
		w       strings.Builder
	)
	flushWord := func() {
		if w.Len() > 0 {
			cur = append(cur, w.String())
			w.Reset()
		}
	}
	for _, r := range text {
		if ignorable(r) {
			continue
		}
		r = foldRune(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w.WriteRune(r)
		case (r == '\'' || r == '’') && w.Len() > 0:
		case unicode.IsSpace(r) || r == '"' || r == '*':
			flushWord()
		default:
			flushWord()
			if len(cur) > 0 {
				clauses = append(clauses, cur)
				cur = nil
			}
		}
	}
	flushWord()
	if len(cur) > 0 {
		clauses = append(clauses, cur)
	}
	return clauses
}

// opensQuestion reports whether a clause opens, after at most three
// leading fillers, with a question phrase, and the phrase's language.
func opensQuestion(words []string) (string, bool) {
	for skipped := 0; len(words) > 0 && skipped < 3 && questionFillers[words[0]]; skipped++ {
		words = words[1:]
	}
	for n := min(len(words), maxQuestionLen); n > 0; n-- {
		if lang, ok := questionStarts[strings.Join(words[:n], " ")]; ok {
			return lang, true
		}
	}
	return "", false
}
