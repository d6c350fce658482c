package selfreport

import "strings"

// skipTable lists the cues [ParseSkipReason] reads, folded (lower case, no
// accents, apostrophes dropped) and by language. A cue is a run of whole
// words; the longest cue at a word wins, so "no me siento bien" (side
// effects) beats "me siento bien" (felt better) and "no money" is a cost,
// not a negated word. severe marks side effects the care team must see at
// once.
var skipTable = []struct {
	reason SkipReason
	lang   string
	severe bool
	cues   []string
}{
	{SideEffects, "en", false, []string{"side effect", "side effects", "side affect", "side affects", "sideeffects",
		"dizzy", "dizziness", "lightheaded", "light headed", "made me sick", "makes me sick", "making me sick", "sick",
		"felt sick", "feel sick", "feeling sick", "nausea", "nauseous", "nauseated", "vomit", "vomiting", "vomited",
		"threw up", "throwing up", "upset stomach", "stomach", "stomach ache", "diarrhea", "headache", "headaches",
		"rash", "itchy", "itching", "tired", "fatigue", "weak", "cough", "coughing", "cramps", "muscle pain",
		"muscle aches", "pain", "hurts", "hurt", "allergic", "allergy", "reaction", "bad reaction", "made me feel bad",
		"makes me feel bad", "feel bad", "felt bad", "feel awful", "felt awful", "feel terrible", "not feeling well",
		"not feeling good", "dont feel well", "dont feel good", "didnt feel well", "didnt feel good", "shaky",
		"low blood sugar", "low sugar", "sweating", "drowsy", "sleepy", "cant sleep", "insomnia", "bloated",
		"constipated", "dry mouth", "doesnt agree with me", "swollen ankles", "made me feel funny", "feel funny",
		"bitter", "bad taste", "taste", "worse", "blood sugar", "high blood sugar", "blood pressure",
		"low blood pressure", "blood pressure dropped", "feel worse", "felt worse", "feeling worse"}},
	{SideEffects, "en", true, []string{"chest pain", "chest hurts", "cant breathe", "can not breathe", "cannot breathe",
		"trouble breathing", "hard to breathe", "short of breath", "shortness of breath", "fainted", "passed out",
		"blacked out", "swelling", "swollen", "swollen face", "swollen lips", "swollen tongue", "throat closing",
		"hives", "bleeding", "blood", "blood in", "seizure", "seizures"}},
	{SideEffects, "es", false, []string{"efectos secundarios", "efecto secundario", "efectos", "mareo", "mareos",
		"mareado", "mareada", "me mareo", "me marea", "me mareaba", "nausea", "nauseas", "asco", "vomito", "vomite",
		"vomitar", "vomitando", "me cae mal", "me cayo mal", "me hace mal", "me hizo mal", "me enferma", "me enfermo",
		"dolor", "dolor de cabeza", "dolor de estomago", "me duele", "me dolia", "diarrea", "ronchas", "comezon",
		"picazon", "cansancio", "cansado", "cansada", "debil", "tos", "alergia", "reaccion", "me siento mal",
		"me sentia mal", "me senti mal", "no me siento bien", "no me sentia bien", "temblor", "temblores", "sudor",
		"me da sueno", "sueno", "azucar baja", "me hace dano", "me hizo dano", "peor", "me siento peor", "mal sabor",
		"azucar en la sangre", "presion baja", "azucar alta"}},
	{SideEffects, "es", true, []string{"dolor de pecho", "dolor en el pecho", "no puedo respirar", "me falta el aire",
		"falta de aire", "me desmaye", "desmayo", "hinchazon", "hinchada", "hinchado", "se me hincho", "sangre",
		"sangrado", "sangrando", "convulsion", "convulsiones"}},

	{Cost, "en", false, []string{"cost", "costs", "the cost", "too expensive", "expensive", "cant afford", "cannot afford",
		"couldnt afford", "can not afford", "cant afford it", "afford", "no money", "money", "price", "copay", "co pay",
		"insurance", "not covered", "cant pay", "couldnt pay", "broke", "bucks", "dollars", "too much money", "costly"}},
	{Cost, "es", false, []string{"costo", "cuesta", "cuesta mucho", "caro", "cara", "muy caro", "demasiado caro",
		"no tengo dinero", "dinero", "no me alcanza", "no alcanza", "precio", "el precio", "seguro", "no tengo seguro",
		"no puedo pagar", "pagar", "plata", "lana", "copago", "costosa", "costoso"}},

	{Forgot, "en", false, []string{"forgot", "forget", "forgetting", "forgotten", "i forgot", "slipped my mind",
		"didnt remember", "did not remember", "fell asleep", "overslept", "forgot it", "forgot to take it"}},
	{Forgot, "es", false, []string{"se me olvido", "olvide", "me olvide", "lo olvide", "la olvide", "olvido", "olvidado",
		"se me paso", "no me acorde", "me quede dormido", "me quede dormida", "se me fue"}},

	{RanOut, "en", false, []string{"ran out", "run out", "running out", "out of pills", "out of meds", "out of medicine",
		"out of it", "out of them", "none left", "no pills left", "no more pills", "no more", "finished them",
		"need a refill", "need refill", "needs refill", "refill", "no refill", "need more", "ran out of", "used them up",
		"all gone", "out of my meds", "out of my pills", "out of my medicine"}},
	{RanOut, "es", false, []string{"se me acabo", "se me acabaron", "se acabo", "se acabaron", "acabo", "ya no tengo pastillas",
		"ya no tengo medicina", "no tengo pastillas", "no tengo medicina", "no me quedan", "no quedan", "ya no me quedan",
		"me quede sin", "sin pastillas", "sin medicina", "resurtir", "surtir", "necesito resurtir", "receta vencida",
		"se me terminaron", "se me termino", "se terminaron", "se termino", "no me quedaban", "ya no me quedaban",
		"no quedaban", "ya no tenia"}},

	{FeltBetter, "en", false, []string{"felt better", "feel better", "feeling better", "better", "feel fine", "felt fine",
		"feel good", "felt good", "feeling good", "feeling fine", "im fine", "im ok", "im okay", "dont need it",
		"didnt need it", "dont need", "no need", "not needed", "healthy", "feel great", "feeling great"}},
	{FeltBetter, "es", false, []string{"me siento mejor", "me sentia mejor", "me senti mejor", "mejor", "ya estoy bien",
		"estoy bien", "me siento bien", "no la necesito", "no lo necesito", "no necesito", "ya no la necesito",
		"ya me siento bien", "me sentia bien"}},

	{OtherReason, "en", false, []string{"other", "something else", "another reason", "different reason"}},
	{OtherReason, "es", false, []string{"otro", "otra", "otra cosa", "otra razon", "otro motivo"}},
}

// negators cancel the cue that follows them in the same clause, one filler
// word allowed between: "no side effects", "not really dizzy", "no me
// siento mejor". A cue that itself starts with one ("no money") is read
// whole first.
var negators = map[string]bool{"no": true, "not": true, "never": true, "without": true, "sin": true, "nunca": true,
	"dont": true, "didnt": true, "isnt": true, "wasnt": true, "arent": true, "nor": true, "ni": true}

// clauseWords end a clause like punctuation: what follows "but" is read
// apart from what came before.
var clauseWords = map[string]bool{"but": true, "pero": true, "although": true, "aunque": true, "and": true, "y": true}

// plainWords are words that mean no reason but lie one edit from a cue.
var plainWords = []string{"tried", "tires", "sickle", "faced", "dollar", "mayor", "mejorar", "dinner",
	"bother", "butter", "letter", "former", "forest", "pains", "pair", "rated"}

type cue struct {
	reason SkipReason
	lang   string
	severe bool
}

var (
	skipCues      = map[string]cue{}
	skipLexicon   = newLexicon()
	skipMaxPhrase = 1
)

func init() {
	for _, row := range skipTable {
		for _, p := range row.cues {
			skipCues[p] = cue{reason: row.reason, lang: row.lang, severe: row.severe}
			skipLexicon.add(p)
			skipMaxPhrase = max(skipMaxPhrase, len(strings.Fields(p)))
		}
	}
	for w := range negators {
		skipLexicon.add(w)
	}
	for w := range clauseWords {
		skipLexicon.add(w)
	}
	// Common words one edit from a cue, known so that they are never
	// corrected into it ("tried" is not "tired").
	for _, w := range plainWords {
		skipLexicon.add(w)
	}
}
