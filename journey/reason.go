package journey

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Reason is why a patient declined, as far as their words tell.
type Reason string

const (
	ReasonCost       Reason = "cost"
	ReasonNoNeed     Reason = "no_need"
	ReasonDistrust   Reason = "distrust_privacy"
	ReasonNoInternet Reason = "no_internet_device"
	ReasonNoTime     Reason = "no_time"
	ReasonOther      Reason = "other"
)

// Reasons lists the decline reasons in the order the nurture journey
// offers them as numbered choices (1 cost … 5 no time).
var Reasons = []Reason{ReasonCost, ReasonNoNeed, ReasonDistrust, ReasonNoInternet, ReasonNoTime}

// ClassifyReason reads a decline reason from a reply: a numbered choice
// from the nurture question, else words in English or Spanish; anything
// else is "other" (and the words are kept verbatim by the caller).
//
// The words are read as whole words in clauses (punctuation and "but",
// "pero" end a clause). A cue of the vocabulary matches as a run of whole
// words, a trailing '*' allowing any ending ("ocupad*"); at each word the
// longest cue wins and its words are used up. A cue does not count when:
//   - it is a lack cue ("~internet") and no lack word (no, don't, without,
//     sin …) stands within three words before it: "I have internet";
//   - a negation of its language stands just before it, only filler words
//     between: "not expensive", "no es caro", "no me siento bien";
//   - a denial stands just before it: "it's not about the money", "no es
//     por el dinero";
//   - a dismissal follows it: "the cost is not a problem", "el precio no
//     es problema".
//
// Precedence goes to the best evidence: a cue weighs two per word, a lack
// cue one more for its lack word, a weak cue ("later", "ahorita") one; the
// heaviest cue wins, and of equal weights the first in the text.
func ClassifyReason(text string, choice int) Reason {
	if choice >= 1 && choice <= len(Reasons) {
		return Reasons[choice-1]
	}
	toks := reasonTokens(fold(text))
	best, bestWeight := ReasonOther, 0
	for i := 0; i < len(toks); {
		c, n := longestCue(toks, i)
		if n == 0 {
			i++
			continue
		}
		if w := c.weightAt(toks, i, i+n); w > bestWeight {
			best, bestWeight = c.reason, w
		}
		i += n
	}
	return best
}

// token is a folded word and the clause it belongs to.
type token struct {
	w      string
	clause int
}

// clauseWords end a clause like punctuation: what follows "but" is read
// apart from what came before.
var clauseWords = map[string]bool{"but": true, "pero": true, "aunque": true, "although": true, "though": true, "sino": true}

// reasonTokens splits folded text into words of letters and digits, with
// apostrophes inside words dropped ("don't" is "dont").
func reasonTokens(t string) []token {
	var (
		toks   []token
		cur    strings.Builder
		clause int
	)
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		w := cur.String()
		cur.Reset()
		if clauseWords[w] {
			clause++
			return
		}
		toks = append(toks, token{w, clause})
	}
	for _, r := range t {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		case r == '\'' && cur.Len() > 0:
			// inside a word: keep it going
		case r == '$' || r == '€':
			// a currency sign speaks of money like a word
			flush()
			toks = append(toks, token{"$", clause})
		case unicode.IsSpace(r) || r == '"' || r == '*' || r == '/' || r == '&' || r == '#' || r == '@':
			flush()
		default: // other punctuation and symbols end a clause
			flush()
			clause++
		}
	}
	flush()
	return toks
}

// cue is one entry of the vocabulary.
type cue struct {
	reason Reason
	lang   string   // "en" or "es": the language of the negations that cancel it
	words  []string // a trailing '*' matches any ending
	lack   bool     // counts only after a lack word
	weak   bool     // weighs least: timing words that often pad a reason
}

// weightAt is the evidence c gives at toks[s:e], or 0 when it is
// cancelled.
func (c cue) weightAt(toks []token, s, e int) int {
	start, weight := s, 2*len(c.words)
	switch {
	case c.lack:
		l := lackBefore(toks, s)
		if l < 0 {
			return 0
		}
		start, weight = l, weight+1
	case !negator(c.words[0]) && negatedBefore(toks, s, c.lang):
		return 0
	}
	if deniedBefore(toks, start) || deniedBefore(toks, s) || dismissedAfter(toks, e) {
		return 0
	}
	if c.weak {
		return 1
	}
	return weight
}

// matches reports whether c's words match toks from i, in one clause.
func (c cue) matches(toks []token, i int) bool {
	if i+len(c.words) > len(toks) {
		return false
	}
	for j, w := range c.words {
		t := toks[i+j]
		if t.clause != toks[i].clause || !wordMatches(w, t.w) {
			return false
		}
	}
	return true
}

func wordMatches(pattern, w string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(w, p)
	}
	return pattern == w
}

// longestCue returns the longest cue matching at toks[i] and its length in
// words, or length 0.
func longestCue(toks []token, i int) (cue, int) {
	var best cue
	n := 0
	for _, c := range cuesFor(toks[i].w) {
		if len(c.words) > n && c.matches(toks, i) {
			best, n = c, len(c.words)
		}
	}
	return best, n
}

// cuesFor lists the cues that may start with w: those indexed by w itself
// and those whose first word is a stem.
func cuesFor(w string) []cue {
	cs := cueIndex[w]
	for _, c := range stemCues {
		if wordMatches(c.words[0], w) {
			cs = append(cs[:len(cs):len(cs)], c)
		}
	}
	return cs
}

// lackBefore returns the position of a lack word within three words before
// toks[s] in its clause, or -1.
func lackBefore(toks []token, s int) int {
	for j := s - 1; j >= 0 && j >= s-3 && toks[j].clause == toks[s].clause; j-- {
		if lackWords[toks[j].w] {
			return j
		}
		if (toks[j].w == "enough" || toks[j].w == "suficiente") && j > 0 && negator(toks[j-1].w) {
			return j - 1
		}
	}
	return -1
}

// negatedBefore reports whether a negation of lang stands before toks[s]
// in its clause with at most three filler words between.
func negatedBefore(toks []token, s int, lang string) bool {
	fill := fillers[lang]
	for j := s - 1; j >= 0 && j >= s-4 && toks[j].clause == toks[s].clause; j-- {
		if negations[lang][toks[j].w] {
			return true
		}
		if !fill[toks[j].w] {
			return false
		}
	}
	return false
}

// deniedBefore reports whether a denial ("not about", "no es por") ends at
// most two words before toks[s] in its clause.
func deniedBefore(toks []token, s int) bool {
	for end := s - 1; end >= 0 && end >= s-3 && toks[end].clause == toks[s].clause; end-- {
		for _, d := range denials {
			b := end - len(d) + 1
			if b >= 0 && (cue{words: d}).matches(toks, b) && toks[b].clause == toks[s].clause {
				return true
			}
		}
	}
	return false
}

// dismissedAfter reports whether a dismissal ("is not a problem", "no es
// problema") starts at most two words after toks[e-1] in its clause.
func dismissedAfter(toks []token, e int) bool {
	if e == 0 {
		return false
	}
	for b := e; b < len(toks) && b <= e+2 && toks[b].clause == toks[e-1].clause; b++ {
		for _, d := range dismissals {
			if (cue{words: d}).matches(toks, b) {
				return true
			}
		}
	}
	return false
}

func negator(w string) bool { return negations["en"][w] || negations["es"][w] || lackWords[w] }

// fold lower-cases and strips accents, so "días" matches "dias".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r >= 0x300 && r <= 0x36f {
			continue
		}
		if r == '’' {
			r = '\''
		}
		b.WriteRune(r)
	}
	return b.String()
}
