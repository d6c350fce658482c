package twilio

import "strings"

// Voice is a text-to-speech language and voice for TwiML <Say>.
type Voice struct {
	Language string // the <Say language="…"> attribute, e.g. "es-MX"
	Name     string // the <Say voice="…"> attribute, e.g. "Polly.Mia"
	lang     string // "en" or "es": which phrases the call's own words use
}

// The voices rapport speaks with. Amazon Polly standard voices, which Twilio
// offers for these locales.
var (
	voiceEnglishUS = Voice{Language: "en-US", Name: "Polly.Joanna", lang: "en"}
	voiceSpanishMX = Voice{Language: "es-MX", Name: "Polly.Mia", lang: "es"}
	voiceSpanishUS = Voice{Language: "es-US", Name: "Polly.Lupe", lang: "es"}
)

// VoiceFor maps a BCP 47 language tag to a voice:
//
//	es-US, es_US (Spanish as spoken in the United States) → es-US, Polly.Lupe
//	es, es-MX and any other Spanish tag                   → es-MX, Polly.Mia
//	en, en-*, empty and every other language              → en-US, Polly.Joanna
//
// Mexican Spanish is the default Spanish because it is the variety most
// rapport patients who ask for Spanish speak; es-US is kept for those whose
// record says so.
func VoiceFor(tag string) Voice {
	tag = strings.ToLower(strings.TrimSpace(tag))
	primary, region, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	if primary != "es" && primary != "spa" {
		return voiceEnglishUS
	}
	if region == "us" {
		return voiceSpanishUS
	}
	return voiceSpanishMX
}

// phrases are the few words a call adds to the rendered message.
type phrases struct {
	press    string // "Press {key} for {label}."
	noAnswer string
	stop     string // how to stop calls, with OptOutKey
	stopped  string // the answer to OptOutKey
}

var callPhrases = map[string]phrases{
	"en": {press: "Press {key} for {label}.", noAnswer: "We did not receive an answer. Goodbye.",
		stop: "To stop these calls, press 9.", stopped: "You will get no more calls from us. Goodbye."},
	"es": {press: "Oprima {key} para {label}.", noAnswer: "No recibimos una respuesta. Adiós.",
		stop: "Para no recibir más llamadas, oprima 9.", stopped: "No recibirá más llamadas nuestras. Adiós."},
}

func (v Voice) phrases() phrases {
	if p, ok := callPhrases[v.lang]; ok {
		return p
	}
	return callPhrases["en"]
}

func (p phrases) prompt(key, label string) string {
	return strings.NewReplacer("{key}", key, "{label}", label).Replace(p.press)
}

// choiceLabels speak a choice's label (a journey's "yes", a reason name)
// in the call's language; labels not listed are read as written.
var choiceLabels = map[string]map[string]string{
	"en": {"no_need": "don't need it", "distrust_privacy": "privacy", "no_internet_device": "no internet or smartphone", "no_time": "no time"},
	"es": {"yes": "sí", "no": "no", "better": "mejor", "same": "igual", "worse": "peor", "cost": "costo", "no_need": "no lo necesito",
		"distrust_privacy": "privacidad", "no_internet_device": "sin internet o celular", "no_time": "sin tiempo",
		// The answers of package reminders' check-ins, skip reasons and refills.
		"not yet": "todavía no", "skipped": "no la tomé", "side effects": "efectos secundarios", "forgot": "se me olvidó",
		"ran out": "se me acabó", "felt better": "me sentía mejor", "other reason": "otro motivo", "picked up": "ya la recogí"},
}

// label is how the call says a choice's label.
func (v Voice) label(l string) string {
	if t, ok := choiceLabels[v.lang][l]; ok {
		return t
	}
	return l
}

// OptOutKey is the key every automated call offers to stop calls; pressing
// it records an opt-out as a texted STOP does. Choices never use it.
const OptOutKey = "9"

// StoppedTwiML is the answer to [OptOutKey]: the call confirms, in the
// call's language, that no more calls will come, and hangs up.
func StoppedTwiML(lang string) []byte { return SayTwiML(lang, VoiceFor(lang).phrases().stopped) }
