package rules

import "strings"

// intentTable lists the phrases ParseIntent knows, by meaning and language,
// written folded (lower case, no accents, no punctuation) and with single
// spaces. Adding a language is adding rows here. "" as language marks words
// shared across languages ("ok", "no").
var intentTable = []struct {
	lang    string
	kind    IntentKind // "" for courtesy words that never decide a reply
	phrases []string
}{
	{"en", IntentYes, []string{"yes", "y", "ye", "yeah", "yea", "yep", "yup", "yas", "sure", "sure thing", "okay", "okey",
		"k", "kk", "alright", "all right", "of course", "absolutely", "definitely", "certainly", "correct",
		"affirmative", "i do", "i will", "i am", "i can", "i would", "sounds good", "please do", "yes i do", "yes i will", "why not",
		"interested", "im interested", "i am interested", "i want it", "i would like it", "id like it", "id like that", "sign me up", "count me in"}},
	{"", IntentYes, []string{"ok", "👍", "👌", "✅", "✔", "☑", "🆗"}},
	{"en", IntentNo, []string{"n", "nope", "nah", "no way", "not now", "not today", "not interested", "never", "no thank you",
		"i dont", "i do not", "i wont", "i will not", "i cant", "i cannot", "dont", "negative", "not really",
		"not", "do not", "cant", "im not", "i am not", "id rather not", "pass"}},
	{"", IntentNo, []string{"no", "👎", "❌", "✖", "🚫", "❎"}},
	{"es", IntentYes, []string{"si", "claro", "claro que si", "por supuesto", "vale", "de acuerdo", "esta bien", "sale",
		"desde luego", "si claro", "seguro", "perfecto", "con gusto", "si por favor",
		"me interesa", "si me interesa", "estoy interesado", "estoy interesada", "interesado", "interesada", "lo quiero", "si lo quiero", "me gustaria"}},
	{"es", IntentNo, []string{"nunca", "ahora no", "no me interesa", "para nada", "de ninguna manera", "todavia no", "tampoco", "paso", "ya no"}},
	{"en", "", []string{"please", "pls", "plz", "thanks", "thank you", "thx", "ty", "thanks so much", "thank you very much",
		"option", "number", "choice", "num", "st", "nd", "rd", "th"}},
	{"es", "", []string{"gracias", "muchas gracias", "por favor", "opcion", "numero", "la", "el"}},
	{"en", IntentChoice, []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"first", "second", "third", "fourth", "fifth"}},
	{"es", IntentChoice, []string{"uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
		"primero", "primera", "segundo", "segunda", "tercero", "tercera", "cuarto", "cuarta", "quinto", "quinta"}},
}

// emojiWords are the emoji tokens the tokenizer keeps (one rune each).
var emojiWords = map[rune]struct{}{}

// phrases maps a folded phrase to its meaning; maxPhraseLen is its longest
// phrase in tokens.
var (
	phrases      = map[string]word{}
	maxPhraseLen = 1
)

func init() {
	for _, row := range intentTable {
		for i, p := range row.phrases {
			w := word{kind: row.kind, lang: row.lang}
			if row.kind == IntentChoice {
				// ordinal and cardinal lists run 1..10 and 1..5 in order
				w.choice = choiceNumber(p, i)
			}
			phrases[p] = w
			if n := len(strings.Fields(p)); n > maxPhraseLen {
				maxPhraseLen = n
			}
			if r := []rune(p); len(r) == 1 && r[0] > 0x2000 {
				emojiWords[r[0]] = struct{}{}
			}
		}
	}
}

// choiceNumber returns the option number of a number word at index i of its
// row: the cardinals come first (one..ten), then the ordinals.
func choiceNumber(p string, i int) int {
	ordinals := map[string]int{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
		"primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3,
		"cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
	}
	if n, ok := ordinals[p]; ok {
		return n
	}
	return i + 1
}
