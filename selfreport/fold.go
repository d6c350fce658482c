package selfreport

import (
	"strings"
	"unicode"

	"github.com/antzucaro/matchr"
	"golang.org/x/text/unicode/norm"
)

// maxTokens bounds the replies worth reading by machine: a longer text is
// a message for a person, whatever words it holds.
const maxTokens = 24

// fold lower-cases s and strips accents, so "SÍ" reads as "si". Full-width
// Latin letters and digits (some keyboards type them) become ASCII, and the
// curly apostrophe becomes a straight one. This is the normalisation of
// the journey package's reason reader (NFD, marks dropped); messaging/rules
// keeps its own unexported.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r):
			continue // combining marks, zero-width joiners
		case r >= 0xFE00 && r <= 0xFE0F, r >= 0x1F3FB && r <= 0x1F3FF:
			continue // variation selectors, skin tones
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == '’' || r == '‘' || r == '`':
			r = '\''
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// emoji are the single-rune answers the tokenizer keeps as words.
var emoji = map[rune]bool{'👍': true, '👌': true, '✅': true, '✔': true, '☑': true, '🆗': true, '👎': true, '❌': true, '✖': true, '❎': true}

// token is a folded word and the clause it stands in: punctuation other
// than an apostrophe starts a new clause ("no, I forgot" is two).
type token struct {
	w      string
	clause int
}

// scan splits text into folded words: runs of letters, runs of digits and
// single answer emoji. An apostrophe inside a word is dropped ("didn't" is
// "didnt"); other punctuation and symbols separate words and clauses. It
// reports false when the text has more than [maxTokens] words.
func scan(text string) ([]token, bool) {
	var (
		toks   []token
		cur    strings.Builder
		kind   int // 0 none, 1 letters, 2 digits
		clause int
	)
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, token{cur.String(), clause})
			cur.Reset()
		}
		kind = 0
	}
	for _, r := range fold(text) {
		switch {
		case unicode.IsLetter(r):
			if kind == 2 {
				flush()
			}
			kind = 1
			cur.WriteRune(r)
		case r >= '0' && r <= '9':
			if kind == 1 {
				flush()
			}
			kind = 2
			cur.WriteRune(r)
		case r == '\'' && kind == 1:
			// inside a word: keep it going
		case unicode.IsSpace(r):
			flush()
		default:
			flush()
			if emoji[r] {
				toks = append(toks, token{string(r), clause})
			}
			clause++
		}
		if len(toks) > maxTokens {
			return nil, false
		}
	}
	flush()
	return toks, len(toks) <= maxTokens
}

// words is [scan] without the clauses.
func words(text string) ([]string, bool) {
	toks, ok := scan(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.w
	}
	return out, ok
}

// squeeze collapses runs of one letter: "yesss" → "yes", "siii" → "si",
// "skippped" → "skiped". Patients stretch words for emphasis.
func squeeze(w string) string {
	var b strings.Builder
	var last rune
	for i, r := range w {
		if i > 0 && r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// lexicon is a set of known words with their squeezed forms, to correct
// stretched and mistyped words towards them.
type lexicon struct {
	known    map[string]bool
	squeezed map[string]string // squeezed form → known word, "" when two words share it
}

func newLexicon() *lexicon {
	return &lexicon{known: map[string]bool{}, squeezed: map[string]string{}}
}

// add records every word of a phrase.
func (l *lexicon) add(phrase string) {
	for _, w := range strings.Fields(phrase) {
		if l.known[w] {
			continue
		}
		l.known[w] = true
		s := squeeze(w)
		if prev, ok := l.squeezed[s]; ok && prev != w {
			l.squeezed[s] = ""
		} else {
			l.squeezed[s] = w
		}
	}
}

// correct returns the known word w stands for: w itself, the word it is
// when its stretched letters are collapsed ("yesss"), or for words of five
// letters or more the one known word of the same first letter within one
// edit ("skiped", "todabia", "olvide"). Short words are never guessed at:
// "no" is one edit from "so". It returns w unchanged when none fits.
func (l *lexicon) correct(w string) string {
	if l.known[w] || w == "" || (w[0] >= '0' && w[0] <= '9') {
		return w
	}
	s := squeeze(w)
	if k := l.squeezed[s]; k != "" {
		return k
	}
	if len([]rune(w)) < 5 {
		return w
	}
	found := ""
	for k := range l.known {
		if len(k) < 4 || k[0] != w[0] || abs(len(k)-len(w)) > 1 {
			continue
		}
		if matchr.OSA(k, w) == 1 || matchr.OSA(k, s) == 1 {
			if found != "" && found != k {
				return w // two candidates: no guess
			}
			found = k
		}
	}
	if found == "" {
		return w
	}
	return found
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
