package selfreport

import "strings"

// meaning is what a phrase of a yes/not-yet/no reply says, before the
// question decides which [AnswerKind] it is.
type meaning int

const (
	mFiller    meaning = iota // courtesy and context words: never decide
	mYes                      // a bare yes: weak, yields to a specific answer of its sense
	mNo                       // a bare no: weak, so "no, not yet" is not yet
	mTook                     // the dose was taken
	mNotYet                   // not yet, later
	mSkipped                  // the dose was skipped
	mPicked                   // the refill was picked up
	mNotPicked                // the refill was not picked up (yet)
	mChoice                   // a number word; the number is in choice
)

// answerTable lists the phrases of yes/not-yet/no replies, folded (lower
// case, no accents, apostrophes dropped: "didnt"), by meaning and
// language; "" marks words shared by both languages. Stretched and
// mistyped words are corrected towards these words before matching
// ([lexicon.correct]), so "yesss" and "todabia" need no rows.
var answerTable = []struct {
	lang    string
	meaning meaning
	phrases []string
}{
	{"en", mYes, []string{"yes", "y", "ye", "yeah", "yea", "yep", "yup", "yah", "yas", "sure", "correct", "affirmative",
		"i did", "yes i did", "did", "i have", "yes i have", "already", "done", "all done", "of course", "absolutely", "yes maam", "yes sir"}},
	{"", mYes, []string{"👍", "✅", "✔", "☑", "👌"}},
	{"es", mYes, []string{"si", "sip", "claro", "correcto", "asi es", "ya", "si ya", "listo", "hecho", "por supuesto", "ya esta"}},
	{"en", mNo, []string{"n", "nope", "nah", "nop", "negative"}},
	{"", mNo, []string{"no", "👎", "❌", "✖", "❎"}},

	{"en", mTook, []string{"took", "took it", "took them", "took my", "took mine", "i took", "i took it", "i took them", "taken",
		"taken it", "i have taken it", "ive taken it", "already took it", "already taken", "took it already", "had it", "i had it",
		"took the pill", "took my pill", "took my pills", "took my meds", "took my medicine", "yes took it", "took one",
		"did take it", "i did take it", "yes i did take it"}},
	{"es", mTook, []string{"la tome", "lo tome", "las tome", "los tome", "me la tome", "me lo tome", "me las tome", "me los tome",
		"ya la tome", "ya lo tome", "ya me la tome", "ya me lo tome", "ya me las tome", "ya tome", "tome", "tomada", "tomado",
		"si la tome", "si me la tome", "si lo tome", "ya la he tomado", "ya lo he tomado", "la he tomado", "ya me tome"}},

	{"en", mNotYet, []string{"not yet", "notyet", "no not yet", "nope not yet", "later", "later today", "will take it later",
		"ill take it later", "i will take it later", "i will", "will do", "soon", "in a bit", "in a minute", "about to",
		"about to take it", "going to", "gonna", "taking it now", "im taking it now", "havent", "havent yet", "have not",
		"have not yet", "havent taken it", "havent taken it yet", "not taken yet", "not yet taken", "after breakfast",
		"after lunch", "with lunch", "yet", "will take it", "will take it soon", "ill take it", "i will take it",
		"ill take it soon", "im about to"}},
	{"es", mNotYet, []string{"todavia no", "todavia", "aun no", "aun", "no todavia", "no aun", "mas tarde", "al rato",
		"ahorita", "luego", "despues", "ahora la tomo", "ahorita la tomo", "voy a tomarla", "voy a tomarlo", "la voy a tomar",
		"lo voy a tomar", "me la voy a tomar", "en un rato", "pronto", "todavia no la tomo", "todavia no la he tomado",
		"no la he tomado", "no lo he tomado", "aun no la tomo", "aun no la he tomado", "no he", "todavia no me la tomo",
		"despues del desayuno", "en un momento"}},

	{"en", mSkipped, []string{"skipped", "skip", "skipping", "skipped it", "i skipped", "i skipped it", "skipped today",
		"didnt", "i didnt", "didnt take", "didnt take it", "i didnt take it", "did not", "did not take", "did not take it",
		"i did not take it", "not taking it", "not taking it today", "im not taking it", "not today", "wont", "i wont",
		"wont take it", "missed", "missed it", "i missed it", "missed it today", "passed", "i did not", "no i did not"}},
	{"es", mSkipped, []string{"no la tome", "no lo tome", "no las tome", "no me la tome", "no me lo tome", "no tome",
		"no me tome", "la salte", "me la salte", "me lo salte", "la omiti", "lo omiti", "omitida", "saltada",
		"no la voy a tomar", "no lo voy a tomar", "no la tomare", "hoy no", "no la tome hoy", "hoy no la tome", "no quise"}},

	{"en", mPicked, []string{"picked it up", "picked up", "picked them up", "i picked it up", "got it", "got them",
		"i got it", "i got them", "got my refill", "picked up my refill", "have it", "i have it", "already picked it up",
		"got it already"}},
	{"es", mPicked, []string{"la recogi", "lo recogi", "las recogi", "ya la recogi", "ya lo recogi", "ya las recogi",
		"la tengo", "lo tengo", "ya la tengo", "ya lo tengo", "ya las tengo", "recogida", "ya fui por ella", "ya pase por ella"}},
	{"en", mNotPicked, []string{"didnt pick it up", "did not pick it up", "havent picked it up", "have not picked it up",
		"not picked up", "didnt get it", "havent got it", "havent gotten it"}},
	{"es", mNotPicked, []string{"no la he recogido", "no lo he recogido", "no la recogi", "no lo recogi",
		"todavia no la recojo", "no he ido", "no he ido por ella", "aun no la recojo"}},

	{"en", mFiller, []string{"i", "it", "my", "me", "meds", "med", "medicine", "medicines", "medication", "pill", "pills",
		"dose", "them", "this morning", "morning", "today", "just", "now", "earlier", "thanks", "thank you", "thx", "ty",
		"please", "ok", "okay", "k", "sir", "maam", "the", "refill", "prescription", "option", "number", "choice", "lol"}},
	{"es", mFiller, []string{"la", "lo", "las", "los", "mi", "mis", "medicina", "medicamento", "pastilla", "pastillas",
		"pildora", "dosis", "esta manana", "en la manana", "hoy", "gracias", "muchas gracias", "por favor", "opcion",
		"numero", "receta", "senor", "senora", "senorita", "doctor", "doctora", "medicinas", "medicamentos",
		"gracias a dios", "a dios gracias", "bendiciones"}},
	{"en", mChoice, []string{"one", "two", "three", "four", "five", "six"}},
	{"es", mChoice, []string{"uno", "dos", "tres", "cuatro", "cinco", "seis"}},
}

// phrase is the meaning and language of one phrase of the table.
type phrase struct {
	meaning meaning
	choice  int
	lang    string
}

var (
	answerPhrases   = map[string]phrase{}
	answerLexicon   = newLexicon()
	answerMaxPhrase = 1
)

func init() {
	for _, row := range answerTable {
		for i, p := range row.phrases {
			ph := phrase{meaning: row.meaning, lang: row.lang}
			if row.meaning == mChoice {
				ph.choice = i + 1 // the number words run 1..6 in order
			}
			answerPhrases[p] = ph
			answerLexicon.add(p)
			answerMaxPhrase = max(answerMaxPhrase, len(strings.Fields(p)))
		}
	}
}
