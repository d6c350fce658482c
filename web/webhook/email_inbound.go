package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/rapporthq/rapport/channel/mailin"
	"github.com/rapporthq/rapport/web"
)

// EnvInboundEmailSecret is the environment variable of the inbound-parse
// webhook's secret path segment.
const EnvInboundEmailSecret = "RAPPORT_INBOUND_EMAIL_SECRET"

// maxInboundPost bounds an inbound-parse post; attachments are skipped,
// not kept.
const maxInboundPost = 32 << 20

// maxInboundField bounds one text field of the post.
const maxInboundField = mailin.MaxMessageBytes

// inboundFields are the form fields read; anything else (attachments,
// spam reports) is skipped unread.
var inboundFields = map[string]bool{"headers": true, "text": true, "html": true, "envelope": true, "charsets": true, "email": true}

// inboundEmail takes one email posted by a hosted inbound-parse service
// (SendGrid Inbound Parse: multipart/form-data), authenticated by the
// secret in the URL path. The reply goes through the same path as an SMTP
// delivery ([mailin.Receiver.Deliver]); if storing fails the answer is 500
// and the service posts again. Wrong secrets are rate-limited per client
// IP; a right one never is.
func (h *handlers) inboundEmail(w http.ResponseWriter, r *http.Request) {
	if !h.inboundAuthorized(w, r) {
		return
	}
	p, err := readParsed(http.MaxBytesReader(w, r.Body, maxInboundPost), r.Header.Get("Content-Type"))
	if err != nil {
		h.Logger.Warn("inbound email webhook: malformed post", "err", err)
		http.Error(w, "bad request: want multipart/form-data with headers and text, or email", http.StatusBadRequest)
		return
	}
	m, err := mailin.FromParsed(p)
	if err != nil {
		h.Logger.Warn("inbound email webhook: unreadable message", "err", err)
		http.Error(w, "bad request: the message header cannot be read", http.StatusBadRequest)
		return
	}
	res, err := h.mail.Deliver(r.Context(), m)
	if err != nil {
		h.Logger.Error("inbound email webhook: store message", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	web.JSON(w, http.StatusOK, map[string]string{"result": string(res)})
}

// inboundAuthorized compares the path's secret in constant time (over
// hashes, so its length does not leak). A client that fails too often is
// answered 429 before its secret is even read.
func (h *handlers) inboundAuthorized(w http.ResponseWriter, r *http.Request) bool {
	ip := remoteIP(r)
	if wait, limited := h.failures.limited(ip); limited {
		w.Header().Set("Retry-After", strconv.Itoa(max(int(math.Ceil(wait.Seconds())), 1)))
		http.Error(w, "Too many requests. Please try again later.", http.StatusTooManyRequests)
		return false
	}
	a, b := sha256.Sum256([]byte(r.PathValue("secret"))), sha256.Sum256([]byte(h.InboundEmailSecret))
	if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
		return true
	}
	h.failures.allow(ip) // spend one of the client's failures
	h.Logger.Warn("inbound email webhook: wrong secret", "remote", ip)
	http.Error(w, "not found", http.StatusNotFound)
	return false
}

// readParsed reads the text fields of a multipart/form-data post, skipping
// files.
func readParsed(body io.Reader, contentType string) (mailin.Parsed, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return mailin.Parsed{}, errors.New("not multipart/form-data")
	}
	mr := multipart.NewReader(body, params["boundary"])
	f := map[string]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return mailin.Parsed{}, err
		}
		name := part.FormName()
		if part.FileName() != "" || !inboundFields[name] {
			continue // NextPart skips what is left unread
		}
		b, err := io.ReadAll(io.LimitReader(part, maxInboundField+1))
		if err != nil {
			return mailin.Parsed{}, err
		}
		if len(b) > maxInboundField {
			return mailin.Parsed{}, errors.New("field " + name + " is too large")
		}
		f[name] = string(b)
	}
	return mailin.Parsed{Headers: f["headers"], Text: f["text"], HTML: f["html"], Envelope: f["envelope"], Charsets: f["charsets"], Email: f["email"]}, nil
}

// limited reports, without spending a token, whether key's bucket is
// empty, and how long until it is not.
func (l *limiter) limited(key string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		return 0, false
	}
	tokens := math.Min(float64(l.limit.Burst), b.tokens+float64(l.now().Sub(b.at))/float64(l.limit.Every))
	if tokens >= 1 {
		return 0, false
	}
	return time.Duration((1 - tokens) * float64(l.limit.Every)), true
}
