package webhook

import (
	"net/http"

	"github.com/rapporthq/rapport/channel/twilio"
)

// maxTwilioForm bounds a Twilio webhook body; the largest, an inbound SMS
// with ten media URLs, is a few kilobytes.
const maxTwilioForm = 64 << 10

// verifyTwilio parses the form of a Twilio webhook and checks its
// signature. On failure it has answered (400 for an unreadable form, 403 for
// a bad signature, logged with the route and remote address only) and
// returns false.
func (h *handlers) verifyTwilio(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxTwilioForm)
	if err := r.ParseForm(); err != nil {
		h.Logger.Warn("twilio webhook: unreadable form", "route", r.Pattern, "remote", remoteIP(r))
		http.Error(w, "bad request", http.StatusBadRequest)
		return false
	}
	// The request target exactly as sent: Twilio signs the URL verbatim.
	target := r.RequestURI
	if target == "" {
		target = r.URL.RequestURI()
	}
	fullURL := h.PublicURL + target
	if !twilio.ValidateSignature(h.TwilioAuthToken, fullURL, r.PostForm, r.Header.Get(twilio.SignatureHeader)) {
		h.Logger.Warn("twilio webhook: bad signature", "route", r.Pattern, "remote", remoteIP(r))
		http.Error(w, "forbidden", http.StatusForbidden)
		return false
	}
	return true
}

// writeTwiML answers a Twilio webhook with TwiML.
func writeTwiML(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
