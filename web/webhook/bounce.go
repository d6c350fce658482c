package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/mailin"
	"github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/web"
)

// maxBounce bounds a posted DSN; returned messages are cut by the MTA long
// before this.
const maxBounce = 8 << 20

// bounceResult is the JSON answer of the bounce webhook.
type bounceResult struct {
	// Result is "recorded" (a hard bounce applied), "soft" (a failure that
	// may pass, counted toward the address's staleness), "unknown" (no
	// rapport message matched) or "ignored" (no failure: a delay, a delivery).
	Result  string            `json:"result"`
	Message rapport.MessageID `json:"message_id,omitempty"`
	Status  string            `json:"status,omitempty"`
}

// bounce takes one delivery status notification. It needs the bearer
// secret (401 otherwise), a DSN (400 otherwise), and applies a failure to
// the message it names (see [mailin.BounceReport]): a hard bounce marks the
// address at once, a soft one counts toward its staleness. Delays and
// reports about unknown messages are answered 200 and change nothing; a
// database failure is 500.
func (h *handlers) bounce(w http.ResponseWriter, r *http.Request) {
	if !h.bounceAuthorized(r) {
		h.Logger.Warn("bounce webhook: bad credentials", "remote", remoteIP(r))
		w.Header().Set("WWW-Authenticate", `Bearer realm="rapport"`)
		web.Error(w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "missing or wrong bearer secret"))
		return
	}
	b, err := smtp.ParseDSN(http.MaxBytesReader(w, r.Body, maxBounce))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			web.JSON(w, http.StatusRequestEntityTooLarge, errorBody(rapport.EINVALID, "the report is larger than 8 MB"))
			return
		}
		msg := "the body is not a delivery status notification"
		if !errors.Is(err, smtp.ErrNotDSN) {
			msg = "the body is not a readable MIME message"
		}
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "%s", msg))
		return
	}
	res := bounceResult{Message: rapport.MessageID(b.RapportID), Status: b.Status}
	report, ok := mailin.BounceReport(&b)
	switch {
	case b.Action != "failed":
		res.Result = "ignored"
	case !ok:
		res.Result = "unknown"
	default:
		switch err := h.Pipeline.HandleStatus(r.Context(), report); rapport.ErrorCode(err) {
		case "":
			res.Result = "recorded"
			if errors.Is(report.Err, channel.ErrRetryable) {
				res.Result = "soft"
			}
		case rapport.ENOTFOUND:
			res.Result = "unknown"
		default:
			h.Logger.Error("bounce webhook: apply report", "err", err)
			web.Error(w, r, err)
			return
		}
	}
	web.JSON(w, http.StatusOK, res)
}

// bounceAuthorized compares the bearer secret in constant time (over hashes,
// so the secret's length does not leak either). An empty secret refuses all.
func (h *handlers) bounceAuthorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || h.BounceSecret == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(h.BounceSecret))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func errorBody(code, msg string) web.ErrorResponse {
	var e web.ErrorResponse
	e.Error.Code, e.Error.Message = code, msg
	return e
}
