package selfreport

import (
	"strconv"
	"strings"
	"unicode"
)

// AnswerKind is what a patient answered to a yes / not yet / no question.
type AnswerKind string

const (
	// Taken: the dose asked about was taken (check-in 1).
	Taken AnswerKind = "taken"
	// NotYet: not yet, later (check-in 2, refill 2).
	NotYet AnswerKind = "not_yet"
	// Skipped: the dose was skipped; ask why (check-in 3).
	Skipped AnswerKind = "skipped"
	// PickedUp: the refill was picked up (refill 1).
	PickedUp AnswerKind = "picked_up"
)

// Answer is a read reply to a check-in or refill question.
type Answer struct {
	Kind AnswerKind
	// Keyed is true when a number decided it (typed or a keypad key).
	Keyed bool
	// Lang is the language the reply's words point to ("en", "es"), else
	// the question's: the language to go on in.
	Lang string
}

// ParseCheckin reads a reply to "Did you take your <drug> this morning? 1
// yes, 2 not yet, 3 skipped" ([CheckinPrompt]) in English or Spanish,
// whatever the question's language lang ("en", "es", "es-MX"): patients
// answer in either. It reads the numbers 1–3 typed or keyed on a call, number
// words ("uno"), and words: "yes", "took it", "sí", "ya me la tomé" are
// [Taken]; "not yet", "later", "todavía no", "al rato" are [NotYet]; "no",
// "skipped", "didn't take it", "no la tomé" are [Skipped]. Stretched and
// mistyped words ("yesss", "skiped", "todabia") are read as the word
// meant.
//
// Every word must belong to the answer, apart from courtesy and context
// words ("thanks", "my pills", "this morning"); a bare yes or no joins the
// answer of its sense ("no, not yet" is not yet). Anything else — another
// word ("yes but I feel dizzy"), two answers ("1 or 3"), a number out of
// range, an empty or long text — is a [*NotUnderstoodError] matching
// [ErrNotUnderstood], for the care-team inbox.
func ParseCheckin(text, lang string) (Answer, error) {
	return parseAnswer(text, lang, QuestionCheckin)
}

// ParseRefill reads a reply to "Did you pick up your refill? 1 yes, 2 not
// yet" ([RefillPrompt]): [PickedUp] or [NotYet], by the same rules as
// [ParseCheckin]; a no of any kind ("no", "didn't pick it up", "no la he
// recogido") is NotYet, and words about taking a dose are not understood.
func ParseRefill(text, lang string) (Answer, error) {
	return parseAnswer(text, lang, QuestionRefill)
}

// answerOf maps a meaning to the question's answer; ok is false for a
// meaning that does not answer the question ("took it" to a refill).
func answerOf(q Question, m meaning) (AnswerKind, bool) {
	if q == QuestionRefill {
		switch m {
		case mYes, mPicked:
			return PickedUp, true
		case mNo, mNotYet, mSkipped, mNotPicked:
			return NotYet, true
		}
		return "", false
	}
	switch m {
	case mYes, mTook:
		return Taken, true
	case mNotYet:
		return NotYet, true
	case mNo, mSkipped:
		return Skipped, true
	}
	return "", false
}

// choices are the numbered options of each question, 1-based.
var choices = map[Question][]AnswerKind{
	QuestionCheckin: {Taken, NotYet, Skipped},
	QuestionRefill:  {PickedUp, NotYet},
}

// positive tells the sense of an answer, for weak yes and no.
func positive(k AnswerKind) bool { return k == Taken || k == PickedUp }

func parseAnswer(text, lang string, q Question) (Answer, error) {
	a := Answer{Lang: baseLang(lang)}
	if strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) == "" {
		return a, notUnderstood(q, "empty")
	}
	toks, ok := words(text)
	if !ok {
		return a, notUnderstood(q, "too long")
	}
	for i, t := range toks {
		toks[i] = answerLexicon.correct(t)
	}
	var (
		strong, weak []AnswerKind
		wordLang     string
		mixed        bool
	)
	for i := 0; i < len(toks); {
		ph, n := longestAnswerPhrase(toks[i:])
		if n == 0 {
			return a, notUnderstood(q, "word %d is not an answer", i+1)
		}
		i += n
		if ph.lang != "" && ph.meaning != mChoice && ph.meaning != mFiller {
			mixed = mixed || (wordLang != "" && wordLang != ph.lang)
			wordLang = ph.lang
		}
		switch ph.meaning {
		case mFiller:
			continue
		case mChoice:
			opts := choices[q]
			if ph.choice < 1 || ph.choice > len(opts) {
				return a, notUnderstood(q, "number at word %d is not an option", i)
			}
			strong = append(strong, opts[ph.choice-1])
			a.Keyed = true
			continue
		}
		k, ok := answerOf(q, ph.meaning)
		if !ok {
			return a, notUnderstood(q, "word %d answers another question", i)
		}
		if ph.meaning == mYes || ph.meaning == mNo {
			weak = append(weak, k)
		} else {
			strong = append(strong, k)
		}
	}
	kind, ok := decide(strong, weak)
	if !ok {
		return a, notUnderstood(q, "answers disagree or none given")
	}
	a.Kind = kind
	if wordLang != "" && !mixed {
		a.Lang = wordLang
	}
	return a, nil
}

// decide settles the answers found: the specific ones must agree, and a
// bare yes or no must be of their sense; with no specific answer, the bare
// ones must agree.
func decide(strong, weak []AnswerKind) (AnswerKind, bool) {
	if len(strong) == 0 {
		strong, weak = weak, nil
	}
	if len(strong) == 0 {
		return "", false
	}
	k := strong[0]
	for _, s := range strong[1:] {
		if s != k {
			return "", false
		}
	}
	for _, w := range weak {
		if positive(w) != positive(k) {
			return "", false
		}
	}
	return k, true
}

// longestAnswerPhrase finds the longest known phrase at the start of toks,
// or a number, and its length in tokens; length 0 when none.
func longestAnswerPhrase(toks []string) (phrase, int) {
	for n := min(len(toks), answerMaxPhrase); n > 0; n-- {
		if ph, ok := answerPhrases[strings.Join(toks[:n], " ")]; ok {
			return ph, n
		}
	}
	if d, err := strconv.Atoi(toks[0]); err == nil && len(toks[0]) <= 2 {
		return phrase{meaning: mChoice, choice: d}, 1
	}
	return phrase{}, 0
}

// baseLang returns the language part of a tag folded to lower case ("es-MX"
// → "es"); "" stays "".
func baseLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return lang
}
