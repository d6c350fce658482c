package twilio

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>`

// MaxTwimlLength is the longest inline TwiML the Calls API accepts in its
// Twiml parameter.
const MaxTwimlLength = 4000

// MessageTwiML is the webhook answer that replies to an inbound SMS with body:
// <Response><Message>body</Message></Response>. An empty body gives an empty
// <Response/>, which tells Twilio not to reply.
func MessageTwiML(body string) []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	if body == "" {
		b.WriteString("<Response/>")
		return b.Bytes()
	}
	b.WriteString("<Response><Message>")
	escape(&b, body)
	b.WriteString("</Message></Response>")
	return b.Bytes()
}

// SayTwiML is the webhook answer that speaks text in the voice [VoiceFor]
// picks for lang, then hangs up. Empty text gives an empty <Response/>.
func SayTwiML(lang, text string) []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	if text == "" {
		b.WriteString("<Response/>")
		return b.Bytes()
	}
	b.WriteString("<Response>")
	writeSay(&b, VoiceFor(lang), text)
	b.WriteString("</Response>")
	return b.Bytes()
}

// VoiceTwiML is the inline TwiML of an outbound call that reads body in the
// voice for lang.
//
// Every call wraps the speech in <Gather>, posting the key pressed to
// actionURL, and ends by offering [OptOutKey] to stop calls, in the call's
// language. With no choices it then hangs up; with choices it says a
// goodbye when nothing is pressed. The keys are read out ("Press 1 for
// yes.", in the call's language, in key order) unless body already says
// them: a body that contains, for every choice, both its key and its label
// (case-insensitive) is read as written. numDigits is the longest key.
func VoiceTwiML(lang, body string, choices map[string]string, actionURL string) []byte {
	v := VoiceFor(lang)
	var b bytes.Buffer
	b.WriteString("<Response>")
	keys := make([]string, 0, len(choices))
	digits := 1
	for k := range choices {
		keys = append(keys, k)
		digits = max(digits, len(k))
	}
	slices.Sort(keys)
	text := body
	if len(choices) > 0 && !saysChoices(body, choices) {
		p := v.phrases()
		var t strings.Builder
		t.WriteString(body)
		for _, k := range keys {
			t.WriteString(" ")
			t.WriteString(p.prompt(k, v.label(choices[k])))
		}
		text = strings.TrimSpace(t.String())
	}
	text = strings.TrimSpace(text + " " + v.phrases().stop)
	b.WriteString(`<Gather input="dtmf" numDigits="`)
	b.WriteString(strconv.Itoa(digits))
	b.WriteString(`" action="`)
	escape(&b, actionURL)
	b.WriteString(`" method="POST">`)
	writeSay(&b, v, text)
	b.WriteString("</Gather>")
	if len(choices) > 0 {
		writeSay(&b, v, v.phrases().noAnswer)
	}
	b.WriteString("</Response>")
	return b.Bytes()
}

// saysChoices reports whether body already asks for the keys: it names
// every key and a keypad verb ("Press 1 if you are interested, 2 if not",
// "Oprima 1 sí, 2 no"). Labels need not appear: they are often phrased
// ("if not"), or in the patient's language where the label is English.
func saysChoices(body string, choices map[string]string) bool {
	words := strings.FieldsFunc(strings.ToLower(body), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	has := map[string]bool{}
	for _, w := range words {
		has[w] = true
	}
	if !has["press"] && !has["oprima"] && !has["marque"] && !has["pulse"] {
		return false
	}
	for k := range choices {
		if !has[strings.ToLower(k)] {
			return false
		}
	}
	return true
}

// gatherActionURL is {voiceURL}/webhooks/twilio/voice?mid=<id>.
func gatherActionURL(voiceURL, messageID string) string {
	return strings.TrimRight(voiceURL, "/") + "/webhooks/twilio/voice?mid=" + url.QueryEscape(messageID)
}

func writeSay(b *bytes.Buffer, v Voice, text string) {
	b.WriteString(`<Say language="`)
	b.WriteString(v.Language)
	b.WriteString(`" voice="`)
	b.WriteString(v.Name)
	b.WriteString(`">`)
	escape(b, text)
	b.WriteString("</Say>")
}

// escape writes s as XML character data, usable in text and in attribute
// values: it escapes & < > " ' and newlines, and replaces characters XML
// cannot carry with U+FFFD.
func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer never fails to write
}
