package webhook

import (
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/messaging"
)

// twilioStatus applies a status callback of an SMS or a call. Statuses that
// are not final (queued, sending, sent, ringing…) change nothing. A report
// for a message rapport does not know is answered 200, so Twilio does not
// retry it; a database failure is answered 500, so it does.
func (h *handlers) twilioStatus(w http.ResponseWriter, r *http.Request) {
	if !h.verifyTwilio(w, r) {
		return
	}
	u, err := twilio.ParseStatus(r.Form)
	if err != nil {
		h.Logger.Warn("twilio status webhook: malformed callback", "route", r.Pattern)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	report, ok := statusReport(u)
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	switch err := h.Pipeline.HandleStatus(r.Context(), report); rapport.ErrorCode(err) {
	case "":
	case rapport.ENOTFOUND:
		h.Logger.Debug("twilio status webhook: unknown message", "sid", u.SID, "mid", u.MessageID)
	case rapport.EINVALID:
		h.Logger.Warn("twilio status webhook: report refused", "sid", u.SID, "err", err)
	default:
		h.Logger.Error("twilio status webhook: apply report", "sid", u.SID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// statusReport maps a Twilio status to the pipeline's; ok is false for a
// status that changes nothing.
//
//	delivered, read; a call completed     → delivered
//	undelivered; a call busy or no-answer → undelivered (with the error)
//	failed, canceled                      → failed (with the error)
func statusReport(u twilio.StatusUpdate) (messaging.StatusReport, bool) {
	rep := messaging.StatusReport{MessageID: rapport.MessageID(u.MessageID), ProviderID: u.SID, Err: u.Err}
	switch {
	case u.Delivered():
		rep.Status, rep.Err = rapport.MessageDelivered, nil
	case u.Status == "undelivered", u.Resource == twilio.ResourceCall && (u.Status == "busy" || u.Status == "no-answer"):
		rep.Status = rapport.MessageUndelivered
	case u.Status == "failed", u.Status == "canceled":
		rep.Status = rapport.MessageFailed
		if u.Resource == twilio.ResourceCall && u.Status == "failed" {
			// A call that could not be placed: the number is wrong, and the
			// message did not reach the patient.
			rep.Status = rapport.MessageUndelivered
		}
	default:
		return rep, false
	}
	if rep.Status != rapport.MessageDelivered && rep.Err == nil {
		rep.Err = &channel.Error{Kind: channel.ErrPermanent, Msg: string(u.Resource) + " " + u.Status}
	}
	return rep, true
}
