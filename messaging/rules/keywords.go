package rules

import (
	"slices"
	"strings"
	"unicode"
)

// KeywordKind is what a carrier-style keyword asks for.
type KeywordKind string

const (
	// KeywordOptOut stops all messages on the channel (STOP, ALTO…).
	KeywordOptOut KeywordKind = "opt_out"
	// KeywordOptIn resumes messages after an opt-out (START, UNSTOP…).
	KeywordOptIn KeywordKind = "opt_in"
	// KeywordHelp asks who is sending and how to stop (HELP, AYUDA…).
	KeywordHelp KeywordKind = "help"
)

// Keyword is a matched keyword.
type Keyword struct {
	Kind KeywordKind
	// Lang is the BCP 47 language of the catalogue entry ("en", "es"), so
	// the confirmation can be sent in the patient's words.
	Lang string
	// Word is the catalogue's spelling of the keyword, upper case ("STOP").
	Word string
	// Weak marks opt-in words that are also ordinary answers (YES, SÍ): they
	// re-opt-in only a patient who is currently opted out on the channel;
	// otherwise the caller treats the message as an ordinary reply.
	Weak bool
}

// Catalogue holds keywords per language. Build one with [NewCatalogue] or
// [DefaultCatalogue] and extend it with [Catalogue.Add]; after that it is
// safe for concurrent use by Match.
type Catalogue struct {
	langs map[string][]Keyword // by language, in the order added
	index map[string]Keyword   // by matching form of the word
}

// NewCatalogue returns an empty catalogue.
func NewCatalogue() *Catalogue {
	return &Catalogue{langs: map[string][]Keyword{}, index: map[string]Keyword{}}
}

// keywordTable is the default catalogue: one row per language and kind.
// Adding a language is adding rows here.
//
// English: the CTIA / US carrier reserved words. Spanish: ALTO and AYUDA
// are the words US carriers require of Spanish-language short codes; PARAR,
// CANCELAR, BAJA, DETENER and FIN are what Spanish speakers write
// unprompted, INICIO is reserved by several US providers as START, and
// COMENZAR / INICIAR are their verb forms. ALTA ("darse de alta") is left
// out on purpose: it also means "discharged" and "high", and a false opt-in
// is the costly mistake.
var keywordTable = []struct {
	lang  string
	kind  KeywordKind
	weak  bool
	words []string
}{
	{"en", KeywordOptOut, false, []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT-OUT", "REMOVE"}},
	{"en", KeywordOptIn, false, []string{"START", "UNSTOP"}},
	{"en", KeywordOptIn, true, []string{"YES"}},
	{"en", KeywordHelp, false, []string{"HELP", "INFO"}},
	{"es", KeywordOptOut, false, []string{"ALTO", "PARAR", "CANCELAR", "BAJA", "DETENER", "FIN"}},
	{"es", KeywordOptIn, false, []string{"INICIO", "COMENZAR", "INICIAR"}},
	{"es", KeywordOptIn, true, []string{"SÍ"}},
	{"es", KeywordHelp, false, []string{"AYUDA", "AUXILIO"}},
}

// DefaultCatalogue returns a new catalogue holding the English and Spanish
// keywords of the package's table.
func DefaultCatalogue() *Catalogue {
	c := NewCatalogue()
	for _, row := range keywordTable {
		for _, w := range row.words {
			c.Add(Keyword{Kind: row.kind, Lang: row.lang, Word: w, Weak: row.weak})
		}
	}
	return c
}

// Add puts keywords in the catalogue. A word that normalises to one already
// present in another entry keeps the stronger meaning: opt-out over help
// over opt-in, a strong opt-in over a weak one; on a tie the first entry
// stays. Words that normalise to nothing are ignored.
func (c *Catalogue) Add(keywords ...Keyword) {
	for _, k := range keywords {
		key := keywordKey(k.Word)
		if key == "" {
			continue
		}
		k.Word = strings.ToUpper(k.Word)
		c.langs[k.Lang] = append(c.langs[k.Lang], k)
		if old, ok := c.index[key]; ok && !stronger(k, old) {
			continue
		}
		c.index[key] = k
	}
}

// stronger reports whether a should replace b for the same word.
func stronger(a, b Keyword) bool {
	rank := func(k Keyword) int {
		switch {
		case k.Kind == KeywordOptOut:
			return 3
		case k.Kind == KeywordHelp:
			return 2
		case !k.Weak:
			return 1
		}
		return 0
	}
	return rank(a) > rank(b)
}

// Languages returns the catalogue's languages, sorted.
func (c *Catalogue) Languages() []string {
	langs := make([]string, 0, len(c.langs))
	for l := range c.langs {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	return langs
}

// Keywords returns the keywords of one language in the order added.
func (c *Catalogue) Keywords(lang string) []Keyword {
	return slices.Clone(c.langs[lang])
}

// Match reports whether the whole message is a keyword. Matching ignores
// case, accents ("AYÚDA" is AYUDA), white space anywhere ("opt out", " STOP
// "), punctuation and symbols anywhere ("STOP.", "¡ALTO!", "opt-out",
// "STOP 🛑"). A keyword inside a longer message ("please stop texting me")
// does not match: that is for a person or the intent parser to judge.
func (c *Catalogue) Match(text string) (Keyword, bool) {
	key := keywordKey(text)
	if key == "" || len(key) > maxKeywordKey {
		return Keyword{}, false
	}
	k, ok := c.index[key]
	return k, ok
}

// maxKeywordKey bounds the normalised length worth looking up.
const maxKeywordKey = 64

// keywordKey is the matching form of a word or message: folded letters and
// digits only.
func keywordKey(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			if b.Len() > maxKeywordKey {
				break
			}
		}
	}
	return b.String()
}
