package smtp

import (
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/rapporthq/rapport/channel"
)

// enhancedCodeRE finds an RFC 3463 enhanced status code in a reply.
var enhancedCodeRE = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)

// classify turns a go-mail or network error into a [*channel.Error]:
//
//   - no reply after the whole message went out (a timeout or a broken
//     connection after the end of data): ErrUnknown, since the server may
//     have taken it;
//   - no SMTP reply otherwise (dial, TLS, broken connection, timeout) and
//     every 4xx reply: ErrRetryable;
//   - a 5xx reply to RCPT about the address (550 5.1.1 user unknown, 553
//     bad mailbox name, 5.1.x, 5.2.1 disabled): ErrBadAddress;
//   - authentication replies (530, 534, 535, 538): ErrRetryable;
//   - any other 5xx: ErrPermanent (policy rejections 5.7.x on RCPT are
//     about the sender, not the patient's address).
//
// Code is the 3-digit reply code; Msg holds the enhanced code and the
// server's text with email addresses redacted.
func classify(stage string, err error) *channel.Error {
	var ce *channel.Error
	if errors.As(err, &ce) {
		return ce
	}
	code, text, rcpt := replyOf(err)
	esc := ""
	if m := enhancedCodeRE.FindString(text); m != "" {
		esc = m
	}
	msg := stage + ": " + redactAddresses(text)
	var te *txError
	switch {
	case errors.As(err, &te) && te.sent:
		return &channel.Error{Kind: channel.ErrUnknown, Msg: msg + " (no reply after the end of data: the server may have taken the message)"}
	case code == 0:
		return &channel.Error{Kind: channel.ErrRetryable, Msg: msg}
	case code >= 400 && code < 500, authCodes[code]:
		return &channel.Error{Kind: channel.ErrRetryable, Code: strconv.Itoa(code), Msg: msg}
	case rcpt && badAddress(code, esc):
		return &channel.Error{Kind: channel.ErrBadAddress, Code: strconv.Itoa(code), Msg: msg}
	default:
		return &channel.Error{Kind: channel.ErrPermanent, Code: strconv.Itoa(code), Msg: msg}
	}
}

// authCodes are the RFC 4954 replies about authentication (530 required,
// 534 mechanism too weak, 535 credentials invalid, 538 encryption
// required). They are about rapport's configuration, not the message, and
// count as retryable so that a wrong password does not fail a campaign for
// good.
var authCodes = map[int]bool{530: true, 534: true, 535: true, 538: true}

// badAddress reports whether a 5xx reply to RCPT blames the address.
func badAddress(code int, esc string) bool {
	if esc != "" {
		return strings.HasPrefix(esc, "5.1.") || esc == "5.2.1" || (esc == "5.0.0" && (code == 550 || code == 553))
	}
	return code == 550 || code == 551 || code == 553
}

// replyOf extracts the SMTP reply code and text from an error, and whether
// it answered RCPT TO. Code 0 means no reply was received.
func replyOf(err error) (code int, text string, rcpt bool) {
	var te *txError
	if errors.As(err, &te) {
		code, rcpt = te.code(), te.stage == stageRcpt
		var tp *textproto.Error
		if errors.As(te.err, &tp) {
			return code, fmt.Sprintf("%d %s", tp.Code, tp.Msg), rcpt
		}
		return codeFromText(te.err.Error()), te.err.Error(), rcpt
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		code = se.ErrorCode()
		rcpt = se.Reason == mail.ErrSMTPRcptTo
		text = se.Error()
		if code == 0 {
			code = codeFromText(innermost(err))
		}
		return code, text, rcpt
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code, fmt.Sprintf("%d %s", tp.Code, tp.Msg), false
	}
	return codeFromText(err.Error()), err.Error(), false
}

// innermost returns the text of the deepest error in a chain.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// codeFromText reads a leading 3-digit SMTP reply code ("421 4.3.2 …").
func codeFromText(s string) int {
	if len(s) < 4 || s[3] != ' ' && s[3] != '-' {
		return 0
	}
	n, err := strconv.Atoi(s[:3])
	if err != nil || n < 200 || n > 599 {
		return 0
	}
	return n
}

// redactAddresses replaces every word holding an @ with "[address]", so
// that replies like "550 5.1.1 <jane@example.com>: unknown" can be logged.
func redactAddresses(s string) string {
	fields := strings.Fields(s)
	for i, f := range fields {
		if strings.Contains(f, "@") {
			fields[i] = "[address]"
		}
	}
	return strings.Join(fields, " ")
}

// connectError makes a failure to connect, start TLS or authenticate
// retryable whatever the reply: it is about the server or the
// configuration, not the message, and failing messages for good would
// lose a whole campaign to a wrong password. The reply code is kept.
func connectError(e *channel.Error) *channel.Error {
	e.Kind = channel.ErrRetryable
	return e
}
