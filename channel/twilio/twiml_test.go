package twilio

import (
	"encoding/xml"
	"strings"
	"testing"
)

// twimlDoc is the parsed shape of the TwiML rapport writes.
type twimlDoc struct {
	XMLName xml.Name `xml:"Response"`
	Message string   `xml:"Message"`
	Says    []sayEl  `xml:"Say"`
	Gather  *struct {
		Input     string  `xml:"input,attr"`
		NumDigits string  `xml:"numDigits,attr"`
		Action    string  `xml:"action,attr"`
		Method    string  `xml:"method,attr"`
		Says      []sayEl `xml:"Say"`
	} `xml:"Gather"`
}

type sayEl struct {
	Language string `xml:"language,attr"`
	Voice    string `xml:"voice,attr"`
	Text     string `xml:",chardata"`
}

func parseTwiML(t *testing.T, b []byte) twimlDoc {
	t.Helper()
	var d twimlDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("TwiML does not parse: %v\n%s", err, b)
	}
	return d
}

func TestVoiceFor(t *testing.T) {
	t.Parallel()
	tests := []struct{ tag, lang, voice string }{
		{"en", "en-US", "Polly.Joanna"},
		{"en-GB", "en-US", "Polly.Joanna"},
		{"", "en-US", "Polly.Joanna"},
		{"fr", "en-US", "Polly.Joanna"},
		{"es", "es-MX", "Polly.Mia"},
		{"es-MX", "es-MX", "Polly.Mia"},
		{"ES-419", "es-MX", "Polly.Mia"},
		{"es-US", "es-US", "Polly.Lupe"},
		{"es_us", "es-US", "Polly.Lupe"},
	}
	for _, tt := range tests {
		v := VoiceFor(tt.tag)
		if v.Language != tt.lang || v.Name != tt.voice {
			t.Errorf("VoiceFor(%q) = %s %s, want %s %s", tt.tag, v.Language, v.Name, tt.lang, tt.voice)
		}
	}
}

func TestVoiceTwiML(t *testing.T) {
	t.Parallel()
	yesNo := map[string]string{"1": "yes", "2": "no"}
	si := map[string]string{"1": "sí", "2": "no"}
	const action = "https://r.example/webhooks/twilio/voice?mid=m%261"
	tests := []struct {
		name       string
		lang, body string
		choices    map[string]string
		wantLang   string
		wantGather string // the spoken text inside <Gather>, "" for no Gather
		wantSay    string // the text of the <Say> after it
	}{
		{"english with prompts", "en", "Did you take your dose?", yesNo, "en-US",
			"Did you take your dose? Press 1 for yes. Press 2 for no. To stop these calls, press 9.", "We did not receive an answer. Goodbye."},
		{"spanish with prompts", "es", "¿Tomó su dosis?", si, "es-MX",
			"¿Tomó su dosis? Oprima 1 para sí. Oprima 2 para no. Para no recibir más llamadas, oprima 9.", "No recibimos una respuesta. Adiós."},
		{"body already says the choices", "en-US", "Press 1 if YES, press 2 if no.", yesNo, "en-US",
			"Press 1 if YES, press 2 if no. To stop these calls, press 9.", "We did not receive an answer. Goodbye."},
		{"spanish with english labels", "es", "¿Tomó su dosis?", yesNo, "es-MX",
			"¿Tomó su dosis? Oprima 1 para sí. Oprima 2 para no. Para no recibir más llamadas, oprima 9.", "No recibimos una respuesta. Adiós."},
		{"spanish body that asks for keys", "es", "¿Le interesa? Oprima 1 sí, 2 no.", yesNo, "es-MX",
			"¿Le interesa? Oprima 1 sí, 2 no. Para no recibir más llamadas, oprima 9.", "No recibimos una respuesta. Adiós."},
		{"body asking for keys in its own words", "en", "Press 1 if you are interested, 2 if not.", yesNo, "en-US",
			"Press 1 if you are interested, 2 if not. To stop these calls, press 9.", "We did not receive an answer. Goodbye."},
		{"body naming keys without a keypad verb", "en", "Reply 1 for yes, 2 for no.", yesNo, "en-US",
			"Reply 1 for yes, 2 for no. Press 1 for yes. Press 2 for no. To stop these calls, press 9.", "We did not receive an answer. Goodbye."},
		// Every call offers the key that stops calls, in its language.
		{"no choices: a gather for the stop key only", "es-US", "Su cita es mañana.", nil, "es-US", "Su cita es mañana." + " Para no recibir más llamadas, oprima 9.", ""},
		{"xml special characters", "en", `Tom & Jerry <say> "hi" 'there'`, nil, "en-US", `Tom & Jerry <say> "hi" 'there'` + " To stop these calls, press 9.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := VoiceTwiML(tt.lang, tt.body, tt.choices, action)
			d := parseTwiML(t, b)
			{
				if d.Gather == nil || len(d.Gather.Says) != 1 {
					t.Fatalf("want <Gather><Say>:\n%s", b)
				}
				g := d.Gather
				if g.Action != action || g.Method != "POST" || g.NumDigits != "1" || g.Input != "dtmf" {
					t.Errorf("gather attrs = %+v", g)
				}
				if g.Says[0].Text != tt.wantGather || g.Says[0].Language != tt.wantLang {
					t.Errorf("gather says %q in %s, want %q in %s", g.Says[0].Text, g.Says[0].Language, tt.wantGather, tt.wantLang)
				}
			}
			if tt.wantSay == "" {
				if len(d.Says) != 0 {
					t.Errorf("a <Say> after the <Gather> of a call without choices:\n%s", b)
				}
				return
			}
			last := d.Says[len(d.Says)-1]
			if last.Text != tt.wantSay || last.Language != tt.wantLang || last.Voice != VoiceFor(tt.lang).Name {
				t.Errorf("say = %+v, want %q in %s", last, tt.wantSay, tt.wantLang)
			}
		})
	}
}

func TestMessageAndSayTwiML(t *testing.T) {
	t.Parallel()
	if d := parseTwiML(t, MessageTwiML("Gracias & <adiós>")); d.Message != "Gracias & <adiós>" {
		t.Errorf("Message = %q", d.Message)
	}
	if got := string(MessageTwiML("")); !strings.HasSuffix(got, "<Response/>") {
		t.Errorf("empty MessageTwiML = %q", got)
	}
	d := parseTwiML(t, SayTwiML("es", "Gracias."))
	if len(d.Says) != 1 || d.Says[0].Text != "Gracias." || d.Says[0].Language != "es-MX" {
		t.Errorf("SayTwiML = %+v", d.Says)
	}
	if got := string(SayTwiML("en", "")); !strings.HasSuffix(got, "<Response/>") {
		t.Errorf("empty SayTwiML = %q", got)
	}
	// Control characters XML cannot carry must not break the document.
	parseTwiML(t, MessageTwiML("bell\x07 and nul\x00"))
}

func TestGatherActionURL(t *testing.T) {
	t.Parallel()
	got := gatherActionURL("https://r.example/", "m 1&x")
	if want := "https://r.example/webhooks/twilio/voice?mid=m+1%26x"; got != want {
		t.Errorf("gatherActionURL = %q, want %q", got, want)
	}
}
