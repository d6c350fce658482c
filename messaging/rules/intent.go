package rules

import (
	"strconv"
	"strings"
	"unicode"
)

// IntentKind is what a reply means to a question that was asked.
type IntentKind string

const (
	IntentYes      IntentKind = "yes"
	IntentNo       IntentKind = "no"
	IntentChoice   IntentKind = "choice"
	IntentFreeText IntentKind = "free_text"
	// IntentQuestion is free text that asks something (see [IsQuestion]):
	// the patient wants an answer before answering.
	IntentQuestion IntentKind = "question"
	IntentEmpty    IntentKind = "empty"
)

// Intent is a parsed reply.
type Intent struct {
	Kind IntentKind
	// Choice is the 1-based option number when Kind is IntentChoice.
	Choice int
	// Lang is the language the reply's words point to ("en", "es"), or ""
	// when they do not tell (digits, emoji, "ok", "no").
	Lang string
	// Text is the reply verbatim.
	Text string
}

// maxIntentTokens bounds the replies worth classifying: anything longer is
// free text.
const maxIntentTokens = 12

// ParseIntent classifies a reply to a question. choices is the number of
// numbered options the question offered; a number outside 1..choices is
// free text, and with choices ≤ 0 any number from 1 to 99 is a choice.
//
// A reply is Yes, No or Choice only when every word of it belongs to one
// answer, apart from courtesy words: "Yes please!", "no gracias", "#2",
// "option 3", "uno", "👍". Replies mixing answers ("yes and no", "1 or 2")
// or holding any other word ("maybe", "yes but later") are free text. A reply
// of nothing but white space is Empty. Keypad digits gathered by a voice call
// parse like typed digits. Carrier keywords (STOP, HELP) are matched before
// this by [Catalogue.Match].
//
// Free text that asks something ([IsQuestion]) is Question instead, with
// the language its question words point to: "how much does it cost?",
// "¿quién habla?". An answer stays an answer even with a question mark:
// "yes?" is Yes.
func ParseIntent(text string, choices int) Intent {
	in := parseAnswer(text, choices)
	if in.Kind != IntentFreeText {
		return in
	}
	if q, lang := questionLang(text); q {
		in.Kind, in.Lang = IntentQuestion, lang
	}
	return in
}

// parseAnswer is [ParseIntent] without questions: what is not an answer is
// free text.
func parseAnswer(text string, choices int) Intent {
	in := Intent{Kind: IntentFreeText, Text: text}
	if strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || ignorable(r) }) == "" {
		in.Kind = IntentEmpty
		return in
	}
	toks, ok := intentTokens(text)
	if !ok || len(toks) == 0 {
		return in
	}

	var (
		kind   IntentKind
		choice int
		lang   string
		mixed  bool // words of two languages
	)
	for i := 0; i < len(toks); {
		w, n := longestPhrase(toks[i:])
		if n == 0 {
			return in // a word the parser does not know
		}
		i += n
		if w.lang != "" {
			if lang != "" && lang != w.lang {
				mixed = true
			}
			lang = w.lang
		}
		if w.kind == "" {
			continue // courtesy word
		}
		if kind != "" && (kind != w.kind || choice != w.choice) {
			return in // two different answers
		}
		kind, choice = w.kind, w.choice
	}
	if kind == "" {
		return in // only courtesy words: "thanks"
	}
	if kind == IntentChoice && !choiceInRange(choice, choices) {
		return in
	}
	in.Kind, in.Choice = kind, choice
	if !mixed {
		in.Lang = lang
	}
	return in
}

func choiceInRange(n, choices int) bool {
	if choices <= 0 {
		return n >= 1 && n <= 99
	}
	return n >= 1 && n <= choices
}

// intentTokens splits a reply into folded words, digit runs and single
// emoji. Apostrophes inside words are dropped ("don't" is "dont"). It
// reports false when the reply has more tokens than are worth classifying.
func intentTokens(text string) ([]string, bool) {
	var (
		toks []string
		cur  strings.Builder
		kind int // 0 none, 1 letters, 2 digits
	)
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
		kind = 0
	}
	for _, r := range text {
		if ignorable(r) {
			continue
		}
		r = foldRune(r)
		switch {
		case unicode.IsLetter(r):
			if kind == 2 {
				flush()
			}
			kind = 1
			cur.WriteRune(r)
		case unicode.IsDigit(r):
			if kind == 1 {
				flush()
			}
			kind = 2
			cur.WriteRune(r)
		case (r == '\'' || r == '’') && kind == 1:
			// inside a word: keep the word going
		default:
			flush()
			if _, ok := emojiWords[r]; ok {
				toks = append(toks, string(r))
			}
		}
		if len(toks) > maxIntentTokens {
			return toks, false // the first words, for OpensWithNo
		}
	}
	flush()
	return toks, len(toks) <= maxIntentTokens
}

// OpensWithNo reports whether a reply starts with a "no" in words ("no
// thanks, too expensive", "I'm not interested in that", "nunca"): the
// phrases ParseIntent reads as no, at the start of a longer text.
func OpensWithNo(text string) bool {
	toks, _ := intentTokens(text)
	w, n := longestPhrase(toks)
	return n > 0 && w.kind == IntentNo
}

// word is the meaning of a phrase of one or more tokens.
type word struct {
	kind   IntentKind // "" for a courtesy word
	choice int
	lang   string
}

// longestPhrase finds the longest known phrase at the start of toks and
// returns its meaning and its length in tokens, or length 0.
func longestPhrase(toks []string) (word, int) {
	for n := min(len(toks), maxPhraseLen); n > 0; n-- {
		p := strings.Join(toks[:n], " ")
		if w, ok := phrases[p]; ok {
			return w, n
		}
		if n == 1 {
			if d, err := strconv.Atoi(p); err == nil && len(p) <= 3 {
				return word{kind: IntentChoice, choice: d}, 1
			}
		}
	}
	return word{}, 0
}
