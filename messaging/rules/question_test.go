package rules

import (
	"slices"
	"testing"
)

var (
	englishQuestions = []string{
		"how much does it cost?",
		"who is this",
		"Who is this??",
		"what is this about",
		"what's this for",
		"whats this",
		"what do I have to do",
		"when does it start",
		"When is the appointment",
		"where is the clinic",
		"where do I go",
		"why are you texting me",
		"why me",
		"how does it work",
		"how long does it take",
		"how many times a week",
		"which one is better",
		"can I do it over the phone",
		"can you call me instead",
		"could you send it in English",
		"may I ask who gave you my number",
		"is it free",
		"is this covered by my insurance",
		"is there a fee",
		"are you a real person",
		"are there any side effects",
		"do you need my social security number",
		"do I need a computer",
		"does it cost anything",
		"does my insurance pay for it",
		"will it be on my record",
		"should I bring anything",
		"hi, who is this",
		"ok but how much is it",
		"sorry what?",
		"no thanks. who gave you my number",
		"um what",
		"huh",
		"wdym",
		"I have a question about the program",
		"what's the catch",
		"Is this legit?",
		"so what happens if I say yes",
		"did my doctor sign me up",
	}
	englishStatements = []string{
		"no thanks",
		"not interested",
		"I'm busy",
		"too expensive",
		"when I have time",
		"when I get paid",
		"I don't have internet",
		"maybe later",
		"where I live there is no signal",
		"I can't afford it",
		"no, I'm fine",
		"I already have a doctor",
		"stop texting me",
		"leave me alone",
		"I'll think about it",
		"sounds good",
		"call me tomorrow",
		"I work nights",
		"the kids keep me busy",
		"not now",
		"I don't trust this",
		"my wife handles that",
		"I moved to Texas",
		"I'm not sure",
		"it's too far",
		"please remove me",
		"I prefer in person",
		"I have no car",
		"thanks anyway",
		"nope",
		"my phone is old",
		"I am on vacation until June",
		"can't right now",
		"no way",
		"I don't need it",
		"it costs too much",
		"we'll see",
		"next month maybe",
		"I already did it",
		"the doctor said no",
		"done",
	}
	spanishQuestions = []string{
		"¿cuánto cuesta?",
		"cuanto cuesta",
		"¿Quién es?",
		"quien habla",
		"quién es usted",
		"qué es esto",
		"que es esto",
		"Que es eso",
		"qué tengo que hacer",
		"qué necesito",
		"cuándo empieza",
		"cuando es la cita",
		"dónde es",
		"donde queda la clinica",
		"por qué me escriben",
		"por que yo",
		"cómo funciona",
		"como se usa",
		"cómo consiguieron mi número",
		"cuál es mejor",
		"cuales son los requisitos",
		"cuántas veces a la semana",
		"puedo hacerlo por teléfono",
		"se puede en español",
		"me pueden llamar",
		"podría mandarlo en español",
		"pueden llamarme mejor",
		"es gratis?",
		"es obligatorio?",
		"hay algún costo?",
		"¿Me cobran algo?",
		"hola, quién es",
		"ok pero cuánto cuesta",
		"perdón, qué?",
		"no gracias. de dónde sacaron mi número",
		"tengo una pregunta",
		"una duda, es seguro?",
		"qué pasa si digo que sí",
		"para qué sirve",
		"¿Mi doctor me inscribió?",
		"y qué es eso",
		"q es esto",
		"oiga, cuánto tiempo toma",
	}
	spanishStatements = []string{
		"no gracias",
		"no me interesa",
		"estoy ocupada",
		"qué caro",
		"q caro",
		"que bueno",
		"cuando pueda",
		"cuando tenga tiempo",
		"donde vivo no hay internet",
		"como te dije, no",
		"no tengo dinero",
		"no tengo internet",
		"ya tengo doctor",
		"después",
		"ahorita no",
		"déjenme en paz",
		"lo voy a pensar",
		"está bien",
		"llámenme mañana",
		"trabajo de noche",
		"no puedo",
		"mi esposo se encarga",
		"me mudé",
		"no estoy segura",
		"queda muy lejos",
		"prefiero en persona",
		"no tengo carro",
		"gracias de todos modos",
		"nel",
		"mi celular es viejo",
		"estoy de vacaciones",
		"el próximo mes",
		"ya lo hice",
		"el doctor dijo que no",
		"no lo necesito",
		"es muy caro",
		"puede ser",
		"ya veremos",
		"no confío",
		"listo",
		"que no",
	}
)

func TestIsQuestion(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		texts []string
		want  bool
	}{
		{"English questions", englishQuestions, true},
		{"English statements", englishStatements, false},
		{"Spanish questions", spanishQuestions, true},
		{"Spanish statements", spanishStatements, false},
	} {
		if len(tt.texts) < 40 {
			t.Errorf("%s: %d cases, want at least 40", tt.name, len(tt.texts))
		}
		for _, s := range tt.texts {
			if got := IsQuestion(s); got != tt.want {
				t.Errorf("%s: IsQuestion(%q) = %v", tt.name, s, got)
			}
		}
	}
}

// A question that is not an answer parses as Question; a statement keeps
// the kind it had.
func TestParseIntentQuestion(t *testing.T) {
	t.Parallel()
	for _, s := range slices.Concat(englishQuestions, spanishQuestions) {
		if got := ParseIntent(s, 5); got.Kind != IntentQuestion {
			t.Errorf("ParseIntent(%q) = %s, want question", s, got.Kind)
		}
	}
	for _, s := range slices.Concat(englishStatements, spanishStatements) {
		if got := ParseIntent(s, 5); got.Kind == IntentQuestion {
			t.Errorf("ParseIntent(%q) = question", s)
		}
	}
	for _, tt := range []struct {
		text string
		lang string
	}{
		{"who is this", "en"}, {"cuánto cuesta", "es"}, {"¿y eso?", "es"}, {"???", ""}, {"hmm?", ""},
	} {
		if got := ParseIntent(tt.text, 0); got.Kind != IntentQuestion || got.Lang != tt.lang {
			t.Errorf("ParseIntent(%q) = %s/%q, want question/%q", tt.text, got.Kind, got.Lang, tt.lang)
		}
	}
}
