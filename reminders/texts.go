package reminders

import "github.com/rapporthq/rapport/messaging"

// Step is the step of every reminder message: the reply handler and the
// limits find reminders by it.
const Step = "dose-reminder"

// confirmStep is the step of the answer to a patient who moved a reminder.
const confirmStep = "dose-reminder-moved"

// reminderContent is the reminder, in one SMS segment in both languages.
var reminderContent = messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
	"en": {Body: "{org}: time for your {drug}. Reply LATER for a reminder in an hour, or a time (8PM) to change it."},
	"es": {Body: "{org}: es hora de su {drug}. Responda MAS TARDE y le recordamos en una hora, o una hora (8PM) para cambiarla."},
}}

// movedContent confirms a moved dose time; snoozedContent a snooze.
var movedContent = messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
	"en": {Body: "{org}: OK, we will remind you of your {drug} at {time} from now on."},
	"es": {Body: "{org}: De acuerdo, le recordaremos su {drug} a las {time} de ahora en adelante."},
}}

var snoozedContent = messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
	"en": {Body: "{org}: OK, we will remind you of your {drug} again at {time}."},
	"es": {Body: "{org}: De acuerdo, le recordaremos su {drug} otra vez a las {time}."},
}}

// bilingual is content in English and Spanish from a prompt of package
// selfreport, English the fallback.
func bilingual(prompt func(lang string) string) messaging.Content {
	return messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{"en": {Body: prompt("en")}, "es": {Body: prompt("es")}}}
}
