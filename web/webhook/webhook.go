package webhook

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/mailin"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/messaging"
)

// Paths of the non-Twilio endpoints (Twilio's are twilio.PathSMS, PathStatus
// and PathVoice).
const (
	PathBounce = "/webhooks/email/bounce"
	// PathInboundEmail is followed by the inbound email secret.
	PathInboundEmail = "/webhooks/email/inbound/"
	PathUnsubscribe  = "/unsubscribe/"
)

// Pipeline is what the webhooks need of the messaging pipeline;
// [*messaging.Pipeline] is one.
type Pipeline interface {
	// Receive stores an inbound message before anything else; isNew is
	// false for a provider's second delivery of the same message.
	Receive(ctx context.Context, in *rapport.Inbound) (isNew bool, err error)
	// HandleStatus applies a delivery report; ENOTFOUND for an unknown message.
	HandleStatus(ctx context.Context, r messaging.StatusReport) error
}

// MessageFinder finds a message, to answer a call in its language;
// [*store.DB] is one.
type MessageFinder interface {
	FindMessage(ctx context.Context, id rapport.MessageID) (*rapport.Message, error)
}

// OptOuter records that the patient a message went to wants no more email;
// [EmailOptOut] is one. It is idempotent and returns ENOTFOUND for an
// unknown message.
type OptOuter interface {
	OptOut(ctx context.Context, id rapport.MessageID) error
}

// Deps is what the webhooks need.
type Deps struct {
	Pipeline Pipeline
	// Messages finds the message a keypad answer replies to, for the
	// language of the thanks; nil answers in English.
	Messages MessageFinder
	// TwilioAuthToken verifies X-Twilio-Signature. Empty refuses every
	// Twilio request (403).
	TwilioAuthToken string
	// PublicURL is the scheme and host Twilio calls, such as
	// https://rapport.example.org: the signed URL is PublicURL + path + query.
	PublicURL string
	// BounceSecret is the bearer secret of the bounce webhook. Empty
	// refuses every bounce (401).
	BounceSecret string
	// InboundEmailSecret is the secret path segment of the inbound-parse
	// webhook (PathInboundEmail + secret); empty leaves it unmounted.
	InboundEmailSecret string
	// ReplyTo is outgoing email's base reply address, to thread replies
	// by it (see [mailin.Receiver]).
	ReplyTo string
	// Unsubscribe checks unsubscribe tokens; nil leaves the unsubscribe
	// endpoints unmounted.
	Unsubscribe *Unsubscribe
	// OptOut records unsubscribes; required with Unsubscribe.
	OptOut OptOuter
	// UnsubscribeLimit bounds unsubscribe requests whose token is not
	// genuine, per client IP; the zero value is [DefaultUnsubscribeLimit].
	UnsubscribeLimit Limit
	// Logger logs refusals and internal errors, never patient data;
	// slog.Default when nil.
	Logger *slog.Logger
	// Now reads the time for the rate limiter; time.Now when nil.
	Now func() time.Time
}

type handlers struct {
	Deps
	limiter  *limiter
	failures *limiter // failed inbound-email authentications per client
	mail     *mailin.Receiver
}

// Register mounts the webhooks on mux (see the package documentation).
// It panics without a Pipeline, or with Unsubscribe but no OptOut: both are
// programming errors.
func Register(mux *http.ServeMux, d Deps) {
	if d.Pipeline == nil {
		panic("webhook: Register needs a Pipeline")
	}
	if d.Unsubscribe != nil && d.OptOut == nil {
		panic("webhook: Register needs OptOut with Unsubscribe")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.UnsubscribeLimit == (Limit{}) {
		d.UnsubscribeLimit = DefaultUnsubscribeLimit
	}
	d.PublicURL = strings.TrimRight(d.PublicURL, "/")
	h := &handlers{Deps: d, limiter: newLimiter(d.UnsubscribeLimit, d.Now), failures: newLimiter(DefaultUnsubscribeLimit, d.Now),
		mail: &mailin.Receiver{Pipeline: d.Pipeline, ReplyTo: d.ReplyTo, Logger: d.Logger}}
	if d.InboundEmailSecret != "" {
		mux.HandleFunc("POST "+PathInboundEmail+"{secret}", h.inboundEmail)
	}
	mux.HandleFunc("POST "+twilio.PathSMS, h.twilioSMS)
	mux.HandleFunc("POST "+twilio.PathStatus, h.twilioStatus)
	mux.HandleFunc("POST "+twilio.PathVoice, h.twilioVoice)
	mux.HandleFunc("POST "+PathBounce, h.bounce)
	if d.Unsubscribe != nil {
		mux.Handle("GET "+PathUnsubscribe+"{token}", h.limitFailures(h.unsubscribePage))
		mux.Handle("POST "+PathUnsubscribe+"{token}", h.limitFailures(h.unsubscribe))
	}
}

// remoteIP is the client's address without its port. X-Forwarded-For is
// not trusted: a proxy in front must be configured to pass the real address.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
