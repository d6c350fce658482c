package webhook

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
)

// thanks are what a call says once an answer is stored, by primary language.
var thanks = map[string]string{
	"en": "Thank you. Your answer has been recorded. Goodbye.",
	"es": "Gracias. Hemos registrado su respuesta. Adiós.",
}

// goodbye is what a call says when no key was pressed.
var goodbye = map[string]string{
	"en": "We did not receive an answer. Goodbye.",
	"es": "No recibimos una respuesta. Adiós.",
}

// twilioVoice takes the keys a patient pressed in a call's <Gather>:
// stored through the pipeline as an inbound voice message replying to the
// message named by mid, then thanked in that message's language and hung
// up. The provider id is CallSid:digits, so Twilio's retries are stored
// once. If storing fails the answer is 500, and Twilio posts again.
func (h *handlers) twilioVoice(w http.ResponseWriter, r *http.Request) {
	if !h.verifyTwilio(w, r) {
		return
	}
	g, err := twilio.ParseGather(r.Form)
	if err != nil {
		h.Logger.Warn("twilio voice webhook: malformed gather", "route", r.Pattern)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	lang := h.callLanguage(r, rapport.MessageID(g.MessageID))
	if g.Digits == "" {
		writeTwiML(w, hangup(twilio.SayTwiML(lang, phrase(goodbye, lang))))
		return
	}
	// On a call rapport placed, Twilio's From is our number and To the patient's.
	patient, ours := g.From, g.To
	if strings.HasPrefix(r.PostForm.Get("Direction"), "outbound") {
		patient, ours = g.To, g.From
	}
	in := &rapport.Inbound{Channel: rapport.ChannelVoice, From: patient, To: ours, Body: g.Digits,
		InReplyTo: rapport.MessageID(g.MessageID), ProviderID: g.CallSID + ":" + g.Digits}
	if _, err := h.Pipeline.Receive(r.Context(), in); err != nil {
		h.Logger.Error("twilio voice webhook: store answer", "route", r.Pattern, "call", g.CallSID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if g.Digits == twilio.OptOutKey {
		// Stored like any answer; the pipeline records the opt-out.
		writeTwiML(w, hangup(twilio.StoppedTwiML(lang)))
		return
	}
	writeTwiML(w, hangup(twilio.SayTwiML(lang, phrase(thanks, lang))))
}

// callLanguage is the language of the message a call read, "en" when it
// cannot be found cheaply.
func (h *handlers) callLanguage(r *http.Request, id rapport.MessageID) string {
	if h.Messages == nil || id == "" {
		return "en"
	}
	m, err := h.Messages.FindMessage(r.Context(), id)
	if err != nil || m.Language == "" {
		return "en"
	}
	return m.Language
}

// phrase picks text by the primary subtag of lang, English otherwise.
func phrase(texts map[string]string, lang string) string {
	primary, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(lang, "_", "-")), "-")
	if t, ok := texts[primary]; ok {
		return t
	}
	return texts["en"]
}

// hangup adds <Hangup/> at the end of a TwiML response.
func hangup(twiml []byte) []byte {
	if i := bytes.LastIndex(twiml, []byte("</Response>")); i >= 0 {
		return append(twiml[:i:i], []byte("<Hangup/></Response>")...)
	}
	return twiml
}
