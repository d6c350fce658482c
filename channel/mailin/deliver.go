package mailin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/messaging"
)

// Pipeline is what delivering needs of the messaging pipeline;
// [*messaging.Pipeline] is one.
type Pipeline interface {
	Receive(ctx context.Context, in *rapport.Inbound) (isNew bool, err error)
	HandleStatus(ctx context.Context, r messaging.StatusReport) error
}

// Receiver hands inbound email to the pipeline.
type Receiver struct {
	Pipeline Pipeline
	// ReplyTo is the base reply address of outgoing email
	// (RAPPORT_SMTP_REPLY_TO), to thread by plus-address; "" skips that.
	ReplyTo string
	// Logger logs what was dropped and why, never addresses or text;
	// slog.Default when nil.
	Logger *slog.Logger
}

// Result says what became of one email.
type Result string

const (
	Received  Result = "received"   // stored as an inbound message
	Repeated  Result = "repeated"   // the same message was stored before
	Empty     Result = "empty"      // no sender or no text: nothing to read
	AutoReply Result = "auto_reply" // an automatic answer, dropped
	Bounced   Result = "bounced"    // a hard bounce applied to its message
	// SoftBounced is a failure that may pass (a full mailbox, a transient
	// status), counted toward the address's staleness.
	SoftBounced Result = "soft_bounced"
	Ignored     Result = "ignored" // a bounce that changes nothing
)

// Deliver routes m: a reply is stored through Pipeline.Receive, threaded
// by [Thread]; an automatic answer is dropped; a failure bounce of a rapport
// message marks it undelivered (see [BounceReport]). An error means nothing was stored and the
// sender should try again.
func (r *Receiver) Deliver(ctx context.Context, m *Mail) (Result, error) {
	log := r.Logger
	if log == nil {
		log = slog.Default()
	}
	switch m.Kind {
	case KindAutoReply:
		log.Info("inbound email: automatic answer dropped", "thread", string(Thread(m, r.ReplyTo)))
		return AutoReply, nil
	case KindBounce:
		return r.bounce(ctx, m, log)
	}
	body := m.Text
	if body == "" {
		body = bareSubject(m.Subject) // "unsubscribe" in the subject of an empty mail
	}
	if m.From == "" || body == "" {
		log.Info("inbound email: nothing to read", "thread", string(Thread(m, r.ReplyTo)))
		return Empty, nil
	}
	to := ""
	if len(m.To) > 0 {
		to = strings.ToLower(m.To[0])
	}
	in := &rapport.Inbound{Channel: rapport.ChannelEmail, From: m.From, To: to, Body: body,
		ProviderID: providerID(m), InReplyTo: Thread(m, r.ReplyTo)}
	isNew, err := r.Pipeline.Receive(ctx, in)
	if err != nil {
		return "", err
	}
	if !isNew {
		return Repeated, nil
	}
	return Received, nil
}

// bounce applies a bounce as the bounce webhook does (see [BounceReport]):
// the message is undelivered; its address invalid at once when the status
// says the address is wrong, or one soft failure nearer stale when the
// failure may pass.
func (r *Receiver) bounce(ctx context.Context, m *Mail, log *slog.Logger) (Result, error) {
	rep, ok := BounceReport(m.Bounce)
	if !ok {
		log.Info("inbound email: bounce changes nothing", "dsn", m.Bounce != nil)
		return Ignored, nil
	}
	switch err := r.Pipeline.HandleStatus(ctx, rep); rapport.ErrorCode(err) {
	case "":
		log.Info("inbound email: bounce recorded", "message", string(rep.MessageID), "status", rep.Err.Code)
		if errors.Is(rep.Err, channel.ErrRetryable) {
			return SoftBounced, nil
		}
		return Bounced, nil
	case rapport.ENOTFOUND:
		return Ignored, nil
	default:
		return "", err
	}
}

// BounceReport turns a delivery status notification into the status
// report of the rapport message it names. Only a final failure (Action
// "failed") is one: a delay is the MTA still trying. The report's error
// kind says what the failure means for the address:
//   - [channel.ErrBadAddress] for a wrong address (see [BounceKind]): it
//     is marked at once;
//   - [channel.ErrRetryable] for a failure that may pass at the same
//     address, a transient 4.x.x status or a full mailbox (x.2.2): it counts
//     toward staleness, as a switched-off phone does;
//   - [channel.ErrPermanent] for another permanent failure (a policy
//     refusal), which says nothing against the address.
//
// ok is false when b is nil, not a failure, or names no rapport message.
func BounceReport(b *smtp.Bounce) (rep messaging.StatusReport, ok bool) {
	if b == nil || b.Action != "failed" || b.RapportID == "" {
		return messaging.StatusReport{}, false
	}
	kind, msg := BounceKind(b.Status), "hard bounce"
	if softBounce(b.Status) {
		kind, msg = channel.ErrRetryable, "soft bounce"
	}
	return messaging.StatusReport{MessageID: rapport.MessageID(b.RapportID), Status: rapport.MessageUndelivered,
		Err: &channel.Error{Kind: kind, Code: b.Status, Msg: msg}}, true
}

// softBounce reports whether an RFC 3463 status is a failure that may
// pass: any transient (4.x.x) status; a full mailbox, which servers also
// report as 5.2.2 (RFC 3463 calls it persistent transient); and a failure
// without a status, which proves nothing against the address.
func softBounce(status string) bool {
	return strings.HasPrefix(status, "4.") || status == "5.2.2" || status == ""
}

// BounceKind says what a permanent failure's RFC 3463 status means: the
// address is wrong (5.1.x bad mailbox or domain, 5.2.1 mailbox disabled,
// 5.4.4 unroutable), or the message failed for another reason (a policy
// refusal) that says nothing against the address.
func BounceKind(status string) error {
	switch {
	case strings.HasPrefix(status, "5.1."), status == "5.2.1", status == "5.4.4":
		return channel.ErrBadAddress
	}
	return channel.ErrPermanent
}

// providerID identifies a message across deliveries (an MTA's retry, the
// webhook's repeat): its Message-ID, or a digest of sender, subject and
// text when it has none.
func providerID(m *Mail) string {
	if m.MessageID != "" && len(m.MessageID) <= 200 {
		return m.MessageID
	}
	sum := sha256.Sum256([]byte(m.From + "\x00" + m.Subject + "\x00" + m.Text + "\x00" + strings.Join(m.InReplyTo, " ")))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// bareSubject is a subject without reply and forward prefixes.
func bareSubject(s string) string {
	for {
		t := strings.TrimSpace(s)
		l := strings.ToLower(t)
		cut := false
		for _, p := range []string{"re:", "aw:", "fw:", "fwd:", "rv:"} {
			if strings.HasPrefix(l, p) {
				t, cut = t[len(p):], true
				break
			}
		}
		if !cut {
			return t
		}
		s = t
	}
}
