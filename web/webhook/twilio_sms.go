package webhook

import (
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
)

// twilioSMS takes an inbound SMS: verified, parsed, stored through the
// pipeline (a repeated delivery is stored once), answered with an empty
// <Response/> because replies leave through the pipeline. If storing fails
// the answer is 500, and Twilio delivers the message again.
func (h *handlers) twilioSMS(w http.ResponseWriter, r *http.Request) {
	if !h.verifyTwilio(w, r) {
		return
	}
	msg, err := twilio.ParseInbound(r.PostForm)
	if err != nil {
		h.Logger.Warn("twilio sms webhook: malformed message", "route", r.Pattern)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	in := &rapport.Inbound{Channel: rapport.ChannelSMS, From: msg.From, To: msg.To, Body: msg.Body, ProviderID: msg.MessageSID}
	isNew, err := h.Pipeline.Receive(r.Context(), in)
	if err != nil {
		h.Logger.Error("twilio sms webhook: store inbound", "route", r.Pattern, "provider_id", msg.MessageSID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if !isNew {
		h.Logger.Debug("twilio sms webhook: repeated delivery", "provider_id", msg.MessageSID, "inbound", in.ID)
	}
	writeTwiML(w, twilio.MessageTwiML(""))
}
