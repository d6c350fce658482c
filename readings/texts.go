package readings

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/selfreport"
)

// mgPerMmol is selfreport's conversion of blood glucose, to say a value
// sent in mmol/L back in that unit.
const mgPerMmol = 18.016

// confirmStep is the step of the confirmation of a reading.
const confirmStep = "reading-recorded"

// kindWords name the kinds of reading for patients (and, in English, for
// the care team's inbox). The Spanish is written without the accents
// GSM-7 lacks (á, í, ó, ú), as the reminders' is: one of them would send
// the whole text as UCS-2, in twice the segments.
var kindWords = map[string]map[selfreport.Kind]string{
	"en": {selfreport.BloodPressure: "blood pressure", selfreport.Glucose: "blood sugar", selfreport.Weight: "weight", selfreport.HeartRate: "heart rate"},
	"es": {selfreport.BloodPressure: "presion arterial", selfreport.Glucose: "azucar en la sangre", selfreport.Weight: "peso", selfreport.HeartRate: "pulso"},
}

// Value writes a reading as patients and staff read it: "142/90",
// "142/90 pulse 72", "180 mg/dL", "180 mg/dL (10.0 mmol/L)" when it was
// sent in mmol/L, "82.5 kg", "72/min".
func Value(r selfreport.Reading) string {
	switch r.Kind {
	case selfreport.BloodPressure:
		s := fmt.Sprintf("%d/%d", r.Systolic, r.Diastolic)
		if r.Pulse > 0 {
			s += fmt.Sprintf(" pulse %d", r.Pulse)
		}
		return s
	case selfreport.HeartRate:
		return fmt.Sprintf("%d/min", r.Pulse)
	case selfreport.Glucose:
		s := strconv.FormatFloat(r.Value, 'f', 0, 64) + " mg/dL"
		if r.FromUnit == selfreport.UnitMmolL {
			// The patient's meter reads mmol/L: say it back as they sent it.
			s += " (" + strconv.FormatFloat(r.Value/mgPerMmol, 'f', 1, 64) + " mmol/L)"
		}
		return s
	case selfreport.Weight:
		unit := "kg"
		if r.Unit == selfreport.UnitLb {
			unit = "lb"
		}
		return strconv.FormatFloat(r.Value, 'f', -1, 64) + " " + unit
	}
	return ""
}

// advice is what an urgent reading's confirmation adds, by language:
// the care team will call, and when not to wait for them. Brief and
// conservative: symptoms mean 911.
var advice = map[string]map[string]string{
	"en": {
		"bp":       " Your care team will call you. If you have chest pain, shortness of breath, weakness, or trouble seeing or speaking, call 911.",
		"low":      " Your care team will call you. Eat or drink something with sugar now. If you feel confused or faint, call 911.",
		"high":     " Your care team will call you. If you feel very sick, confused, or are vomiting, call 911.",
		"notified": " We have let your care team know.",
	},
	"es": {
		"bp":       " Su equipo de atencion le llamara. Si tiene dolor de pecho, falta de aire, debilidad o dificultad para ver o hablar, llame al 911.",
		"low":      " Su equipo de atencion le llamara. Coma o beba algo con azucar ahora. Si se siente confundido o a punto de desmayarse, llame al 911.",
		"high":     " Su equipo de atencion le llamara. Si se siente muy mal, confundido o tiene vomitos, llame al 911.",
		"notified": " Hemos avisado a su equipo de atencion.",
	},
}

// confirmation is the answer to a reading, in both languages.
func confirmation(r selfreport.Reading, level selfreport.Level, t selfreport.Thresholds) messaging.Content {
	key := ""
	switch {
	case level == selfreport.LevelHigh:
		key = "notified"
	case level != selfreport.LevelUrgent:
	case r.Kind == selfreport.BloodPressure:
		key = "bp"
	case r.Kind == selfreport.Glucose && r.Value < t.WithDefaults().GlucoseLowUrgent:
		key = "low"
	default:
		key = "high"
	}
	v := Value(r)
	return messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
		"en": {Body: fmt.Sprintf("{org}: Thanks, we recorded your %s %s.", kindWords["en"][r.Kind], v) + advice["en"][key]},
		"es": {Body: fmt.Sprintf("{org}: Gracias, registramos su %s %s.", kindWords["es"][r.Kind], esValue(v)) + advice["es"][key]},
	}}
}

// esValue writes the pulse of a blood pressure in Spanish.
func esValue(v string) string { return strings.Replace(v, " pulse ", " pulso ", 1) }
