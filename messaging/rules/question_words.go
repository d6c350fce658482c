package rules

import "strings"

// questionTable lists the phrases that open a question, written folded.
// A row with next words opens a question only before one of them ("when
// is", "cuando empieza"); a row without opens one before anything ("who",
// "cuanto").
var questionTable = []struct {
	lang  string
	words []string
	next  []string
}{
	{"en", []string{"what", "whats", "wat", "wut", "whatre", "who", "whos", "whom", "whose", "why", "whys", "which",
		"wdym", "wym", "huh", "i have a question", "quick question", "question", "just wondering", "i was wondering",
		"wondering", "i wonder", "any idea", "is this", "is it", "is that", "is there", "isnt it", "isnt this",
		"are you", "are u", "r u", "are there", "are these", "are they", "am i", "do you", "do u", "do i", "do we",
		"do they", "do yall", "does it", "does this", "does that", "does my", "does anyone", "does insurance",
		"did you", "did u", "did i", "did someone", "did my", "did the", "can i", "can you", "can u", "can we", "can it", "can my",
		"can someone", "could i", "could you", "could u", "could we", "may i", "may we", "would you", "would it",
		"would i", "will you", "will it", "will i", "will this", "will there", "should i", "should we", "shall i",
		"shall we", "have you", "has it", "has anyone", "dont you", "how come", "how about", "what about"}, nil},
	{"en", []string{"how"}, []string{"much", "many", "long", "often", "far", "soon", "old", "do", "does", "did", "can",
		"could", "is", "are", "was", "were", "will", "would", "should", "r", "u", "so", "exactly", "does"}},
	{"en", []string{"when", "where"}, []string{"is", "are", "was", "do", "does", "did", "will", "would", "can",
		"could", "should", "r", "to", "would", "exactly"}},
	{"es", []string{"quien", "quienes", "cual", "cuales", "cuanto", "cuanta", "cuantos", "cuantas", "por que",
		"pa que", "una pregunta", "tengo una pregunta", "pregunta", "una duda", "tengo una duda", "duda",
		"se puede", "puedo", "podemos", "pueden", "podria", "podrian", "me puede", "me pueden", "me podria",
		"me podrian", "de donde", "de que", "de quien", "a que", "a quien", "con quien", "en que", "en donde",
		"por donde", "desde cuando", "hasta cuando"}, nil},
	{"es", []string{"que", "q", "k"}, []string{"es", "son", "sera", "seria", "tipo", "hay", "pasa", "paso",
		"significa", "quiere", "quieren", "necesito", "tengo", "hago", "debo", "tal", "onda", "dia", "hora", "horas",
		"cuesta", "costo", "precio", "incluye", "ofrecen", "informacion", "datos", "clase", "programa"}},
	{"es", []string{"como"}, []string{"es", "son", "funciona", "funcionan", "se", "puedo", "hago", "le", "lo", "estas",
		"esta", "asi", "que", "sabe", "saben", "consiguieron", "obtuvieron", "tienen", "sacaron", "supieron"}},
	{"es", []string{"cuando"}, []string{"es", "son", "seria", "sera", "empieza", "empiezan", "comienza", "puedo",
		"hay", "va", "van", "debo", "tengo", "llega", "abren", "cierran", "termina", "me", "seria"}},
	{"es", []string{"donde", "adonde"}, []string{"es", "esta", "estan", "queda", "quedan", "puedo", "hay", "tengo",
		"debo", "se", "consiguieron", "sacaron", "obtuvieron", "voy"}},
	{"es", []string{"para que"}, []string{"es", "son", "sirve", "sirven", "quieren", "necesitan"}},
}

// questionFillers may stand before the question phrase: "hi, who is
// this", "ok pero cuanto cuesta".
var questionFillers = map[string]bool{
	"hi": true, "hello": true, "hey": true, "ok": true, "okay": true, "um": true, "umm": true, "uh": true,
	"sorry": true, "and": true, "but": true, "so": true, "oh": true, "wait": true, "well": true, "hmm": true,
	"yes": true, "yeah": true, "also": true, "then": true, "ma": true, "maam": true, "sir": true,
	"hola": true, "buenas": true, "buenos": true, "dias": true, "tardes": true, "noches": true, "perdon": true,
	"disculpe": true, "y": true, "pero": true, "pues": true, "bueno": true, "oiga": true, "oye": true,
	"entonces": true, "si": true, "ah": true, "mm": true, "senor": true, "senora": true, "senorita": true,
}

// questionStarts maps a folded opening phrase to its language;
// maxQuestionLen is its longest phrase in words.
var (
	questionStarts = map[string]string{}
	maxQuestionLen = 1
)

func init() {
	for _, row := range questionTable {
		for _, w := range row.words {
			if row.next == nil {
				addQuestionStart(w, row.lang)
				continue
			}
			for _, n := range row.next {
				addQuestionStart(w+" "+n, row.lang)
			}
		}
	}
}

func addQuestionStart(p, lang string) {
	questionStarts[p] = lang
	if n := len(strings.Fields(p)); n > maxQuestionLen {
		maxQuestionLen = n
	}
}
