package journey

import "strings"

// reasonVocabulary lists the cues [ClassifyReason] reads, written folded
// (lower case, no accents, apostrophes dropped: "dont", "q caro"). A cue
// is a run of whole words; a trailing '*' lets a word take any ending.
// A leading '~' marks a lack cue, which counts only after a lack word ("no
// internet", "I don't have a computer", "sin tiempo"); a leading '?' marks
// a weak cue.
var reasonVocabulary = []struct {
	reason Reason
	lang   string
	cues   []string
}{
	{ReasonCost, "en", []string{
		"expensive", "too expensive", "pricey", "overpriced", "costly", "cost", "costs", "cost too much", "costs too much",
		"the cost", "the price", "price", "prices", "too much money", "fee", "fees", "charge", "charges", "copay", "copays",
		"co pay", "deductible", "out of pocket", "bill", "bills", "medical bills", "broke", "im broke", "poor",
		"unaffordable", "~afford*", "~money", "~cash", "~funds", "~pay", "~insurance", "~insured", "uninsured", "~covered",
		"~cover it", "insurance wont", "money is tight", "money tight", "tight on money", "short on money",
		"short on cash", "low on money", "low on funds", "lost my job", "no job", "unemployed", "out of work",
		"laid off", "fixed income", "on a budget", "budget", "paycheck", "bucks", "dollars", "$", "~worth the money",
	}},
	{ReasonCost, "es", []string{
		"caro", "cara", "caros", "caras", "carisimo", "carisima", "muy caro", "q caro", "que caro", "costoso", "costosa",
		"cuesta", "cuesta mucho", "cuestan", "costo", "costos", "el precio", "precio", "precios", "cobran", "cobrar",
		"cobro", "cuota", "~dinero", "~plata", "~lana", "~feria", "~pagar", "~pagarlo", "~pago", "~puedo pagar",
		"~alcanza", "~me alcanza", "~seguro medico", "no tengo seguro", "sin seguro", "~aseguranza", "~cubre",
		"~cobertura", "copago", "deducible", "sin trabajo", "sin empleo", "desempleado", "desempleada",
		"perdi mi trabajo", "me quede sin trabajo", "no tengo trabajo", "gastos", "muchos gastos", "deudas",
		"facturas", "cuentas por pagar", "mucho dinero", "demasiado dinero", "demasiado caro", "pobre", "bien pobre", "estoy quebrado", "quebrada", "no me alcanza",
		"muy costoso", "sale caro", "esta caro", "dolares",
	}},
	{ReasonNoNeed, "en", []string{
		"~need", "~needed", "~necessary", "unnecessary", "~need it", "~need this", "no need", "im fine", "i am fine",
		"im ok", "im okay", "im good", "i am good", "im healthy", "i am healthy", "healthy", "in good health",
		"feel fine", "feel good", "feel great", "feeling fine", "feeling good", "feeling great", "doing fine",
		"doing great", "doing well", "doing good", "all good", "nothing wrong with me", "~sick", "~diabetic",
		"already have", "already got", "already do", "already use", "already see", "already seeing", "already take",
		"already covered by my doctor", "have a doctor", "got a doctor", "my own doctor", "my doctor handles",
		"waste of time", "pointless", "no point", "~see the point", "~useful", "useless", "~helpful", "~benefit",
		"i can manage", "i manage", "manage on my own", "on my own", "take care of myself", "handle it myself",
		"do it myself", "too young", "~worth it",
	}},
	{ReasonNoNeed, "es", []string{
		"~necesito", "~lo necesito", "~necesita", "~necesario", "~necesaria", "innecesario", "~hace falta", "~falta",
		"estoy bien", "me siento bien", "me siento muy bien", "estoy muy bien", "estoy sano", "estoy sana",
		"sano", "sana", "saludable", "con buena salud", "bien de salud", "~enfermo", "~enferma", "~me sirve",
		"~sirve", "~vale la pena", "ya tengo", "ya tengo doctor", "ya tengo medico", "ya tengo mi doctor",
		"ya voy al doctor", "ya me atienden", "ya lo hago", "ya me cuido", "mi doctor me atiende",
		"perdida de tiempo", "no tiene caso", "no le veo caso", "no le veo sentido", "~sentido", "inutil",
		"me cuido solo", "me cuido sola", "por mi cuenta", "yo me cuido", "muy joven", "todo bien",
	}},
	{ReasonDistrust, "en", []string{
		"scam", "scams", "scammer", "scammers", "scammy", "spam", "spammy", "fraud", "fake", "phishing", "sketchy",
		"shady", "suspicious", "sus", "creepy", "privacy", "private", "confidential", "personal info*",
		"personal data", "personal details", "my data", "my info*", "my details", "my records", "health data",
		"health info*", "medical info*", "medical records", "~trust", "~trusting", "trust issues", "distrust*",
		"mistrust", "untrustworthy", "who is this", "who are you", "who you are", "whos this", "who gave you my number",
		"how did you get my number", "how did you get my info*", "hack*", "breach", "breaches", "leak*",
		"sell my", "selling my", "share my", "sharing my", "shared", "third parties", "spy*", "track*",
		"big brother", "government", "immigration", "~safe", "unsafe", "~comfortable", "uncomfortable", "identity theft",
		"~legit", "not legit", "bot", "robot",
	}},
	{ReasonDistrust, "es", []string{
		"estafa", "estafas", "estafador*", "fraude", "falso", "falsa", "sospechoso", "sospechosa", "privacidad",
		"privado", "privada", "confidencial", "mis datos", "datos personales", "informacion personal",
		"mi informacion", "mi info", "mis documentos", "mi expediente", "~confio", "~confiar", "~confianza",
		"desconfi*", "~fio", "~me fio", "quien es", "quien habla", "quien eres", "quienes son",
		"de donde sacaron mi numero", "como consiguieron mi numero", "como tienen mi numero", "quien manda", "quien me manda", "hacke*", "robo",
		"robar", "roban", "robo de identidad", "vender mis", "venden", "compartir mis", "comparten", "espia*",
		"gobierno", "inmigracion", "migra", "no es seguro", "insegur*", "me da miedo", "miedo", "~es real",
	}},
	{ReasonNoInternet, "en", []string{
		"~internet", "~wifi", "~wi fi", "~smartphone", "~smartphones", "~smart phone", "~computer", "~computers",
		"~laptop", "~pc", "~tablet", "~ipad", "~email", "~e mail", "~data plan", "~phone plan", "~app", "~apps", "~download*",
		"~online", "~signal", "~reception", "~storage", "~space on my phone", "~minutes", "no data", "out of data", "poor signal", "poor reception", "poor connection", "bad signal", "bad reception", "weak signal",
		"ran out of data", "without data", "~have data", "no service", "no cell service", "bad internet",
		"slow internet", "internet is bad", "internet is slow", "internet is down", "wifi is down",
		"phone is broken", "phone broke", "broken phone", "phone died", "phone is old", "phone is too old",
		"old phone", "flip phone", "basic phone", "dumb phone", "landline", "only text", "only texts",
		"storage full", "prepaid", "not good with technology", "not good with tech", "not tech savvy",
		"technology", "tech", "~know how to use", "~figure out", "confusing", "too complicated", "complicated",
		"~tech savvy", "~good with phones", "~good with computers", "dont do computers",
	}},
	{ReasonNoInternet, "es", []string{
		"~internet", "~wifi", "~wi fi", "~computadora", "~compu", "~computador", "~laptop", "~celular inteligente",
		"~smartphone", "~telefono inteligente", "~senal", "~correo", "~email", "~datos moviles", "~plan de datos",
		"~aplicacion", "~aplicaciones", "~app", "~apps", "~descargar", "~bajar", "~espacio", "~saldo", "~recarga",
		"sin datos", "no tengo datos", "se me acabaron los datos", "se acabaron los datos", "celular viejo", "celular es viejo", "celular es muy viejo", "celular ya es viejo", "celular esta viejo",
		"telefono es viejo", "telefono es muy viejo",
		"telefono viejo", "celular basico", "telefono basico", "celular roto", "se me rompio", "se rompio",
		"se me descompuso", "celular descompuesto", "~se usar", "~se como usar", "~se manejar", "~se mucho de",
		"~entiendo la tecnologia", "~entiendo de tecnologia", "tecnologia", "complicado", "muy complicado",
		"~soy bueno con", "~soy buena con", "solo mensajes", "solo texto", "no tengo celular",
	}},
	{ReasonNoTime, "en", []string{
		"busy", "too busy", "so busy", "very busy", "~time", "~free time", "~the time", "~spare time", "hectic", "swamped",
		"slammed", "overwhelmed", "work", "working", "at work", "two jobs", "2 jobs", "three jobs", "double shift*",
		"night shift*", "long hours", "my schedule", "schedule", "not a good time", "bad time", "not the right time",
		"another time", "some other time", "other time", "~bandwidth", "on the go", "traveling", "travelling",
		"out of town", "caring for", "on my plate", "going on", "too much going on", "a lot going on", "taking care of my", "?later", "?maybe later", "?not now", "?not right now",
		"?right now", "?rn", "?now", "?kids", "?my kids", "?the kids", "?family",
	}},
	{ReasonNoTime, "es", []string{
		"ocupad*", "muy ocupado", "muy ocupada", "~tiempo", "~tiempo libre", "~el tiempo", "trabaj*", "chamba",
		"chambeando", "dos trabajos", "2 trabajos", "turno*", "mi horario", "horario", "horarios",
		"no es el momento", "no es buen momento", "mal momento", "otro dia", "otro momento", "en otra ocasion",
		"de viaje", "viajando", "mucho que hacer", "muchas cosas que hacer", "muchas cosas", "fuera de la ciudad", "cuidando a", "cuido a", "a las carreras", "sin tiempo",
		"?despues", "?luego", "?mas tarde", "?ahorita", "?ahora no", "?ahorita no", "?en este momento",
		"?ahora mismo", "?mis hijos", "?los ninos", "?mi familia",
	}},
}

// lackWords make a lack cue count when one stands just before it.
var lackWords = set("no", "not", "dont", "doesnt", "didnt", "havent", "hasnt", "hadnt", "cant", "cannot", "couldnt",
	"wont", "without", "lack", "lacking", "none", "never", "nunca", "sin", "ni", "nor", "tampoco", "falta",
	"ningun", "ninguna", "zero", "hardly", "barely", "aint", "isnt", "arent", "wasnt", "poco", "poca", "little")

// negations cancel a plain cue of their language a few filler words
// later: "not expensive", "no es caro". English "no" is left out, as it
// mostly answers the offer ("no im busy").
var negations = map[string]map[string]bool{
	"en": set("not", "isnt", "arent", "wasnt", "werent", "aint", "never", "dont", "doesnt", "didnt", "wont", "hardly"),
	"es": set("no", "nunca", "tampoco", "ni", "nada"),
}

// fillers may stand between a negation and the cue it cancels.
var fillers = map[string]map[string]bool{
	"en": set("is", "its", "it", "so", "that", "too", "very", "really", "all", "even", "a", "an", "the", "im", "am",
		"be", "feel", "think", "particularly", "super", "as", "that", "thats", "really", "at", "quite"),
	"es": set("es", "esta", "estoy", "estamos", "soy", "son", "tan", "muy", "me", "lo", "la", "le", "nos", "parece",
		"sale", "resulta", "se", "siento", "tanto", "creo", "que", "sea", "para", "nada"),
}

// denials cancel the cue that follows them: the patient names a reason to
// say it is not theirs.
var denials = words(
	"not because", "not because of", "not about", "not due to", "its not the", "isnt the", "it is not the", "not that",
	"nothing to do with", "not for", "wasnt the", "isnt about", "its not like", "not like", "not really the",
	"no es por", "no es el", "no es la", "no es que", "no por", "no tiene que ver con", "no se trata de", "no fue por",
	"no es cuestion de", "no es tanto", "no tanto por", "no es lo", "ni es por", "no porque",
)

// dismissals cancel the cue they follow: "the cost is not a problem".
var dismissals = words(
	"is not a problem", "isnt a problem", "not a problem", "is not an issue", "isnt an issue", "not an issue",
	"is no problem", "no problem", "is fine", "is ok", "is okay", "isnt the problem", "isnt the issue",
	"is not the issue", "is not the problem", "doesnt matter", "does not matter", "dont matter", "not a concern",
	"isnt a concern", "is not a concern", "isnt why", "is not why", "isnt the reason", "is not the reason",
	"not the reason", "not the issue", "not the problem", "is not an obstacle", "isnt an obstacle", "no issue",
	"no es problema", "no es un problema", "no es el problema", "no es mi problema", "no hay problema",
	"no importa", "no es obstaculo", "no es impedimento", "no me preocupa", "no es la razon", "no es el motivo",
	"esta bien", "no es lo que", "no es lo de", "ya no es", "is not what", "isnt what",
)

// cueIndex maps a cue's first word to its cues; stemCues are the cues
// whose first word is a stem.
var (
	cueIndex = map[string][]cue{}
	stemCues []cue
)

func init() {
	for _, row := range reasonVocabulary {
		for _, p := range row.cues {
			c := cue{reason: row.reason, lang: row.lang}
			c.lack = strings.HasPrefix(p, "~")
			c.weak = strings.HasPrefix(p, "?")
			c.words = strings.Fields(strings.TrimLeft(p, "~?"))
			if strings.HasSuffix(c.words[0], "*") {
				stemCues = append(stemCues, c)
				continue
			}
			cueIndex[c.words[0]] = append(cueIndex[c.words[0]], c)
		}
	}
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func words(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}
