package mailin

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/rapporthq/rapport/channel/smtp"
)

// MaxMessageBytes bounds an inbound message: replies are short, and a
// large attachment is not read by rapport anyway.
const MaxMessageBytes = 10 << 20

// maxTextBytes bounds the reply text kept, like a long SMS thread.
const maxTextBytes = 16 << 10

// maxDepth bounds multipart nesting.
const maxDepth = 5

// Kind is what an inbound email is.
type Kind string

const (
	KindReply     Kind = "reply"      // a person's answer
	KindAutoReply Kind = "auto_reply" // out of office, vacation, other automatic answers
	KindBounce    Kind = "bounce"     // a delivery failure report
)

// Mail is an inbound email as rapport reads it.
type Mail struct {
	// From is the sender's address (no display name).
	From string
	// To are the addresses it was delivered to: the SMTP envelope's
	// recipients when known, else the To and Cc headers.
	To []string
	// Subject is the decoded subject.
	Subject string
	// MessageID is its Message-ID, with angle brackets; "" if absent.
	MessageID string
	// InReplyTo and References are the message ids it answers, with angle
	// brackets, as written.
	InReplyTo, References []string
	// Text is the reply: the plain text (or the HTML's text) with quoted
	// history and signature removed.
	Text string
	// Kind says whether it is a reply, an automatic answer or a bounce.
	Kind Kind
	// Bounce is the parsed delivery status notification of a bounce, nil
	// when the bounce is not an RFC 3464 report.
	Bounce *smtp.Bounce
}

// Envelope is what the SMTP transaction said, when known.
type Envelope struct {
	// From is MAIL FROM; Null is the null reverse path "<>" that bounces
	// and automatic answers use (RFC 5321 4.5.5, RFC 3834).
	From string
	Null bool
	// To are the RCPT TO addresses.
	To []string
}

// Parse reads one RFC 5322 message; env is its SMTP envelope, nil when
// unknown. It fails only when the message is too large or its header
// cannot be read.
func Parse(r io.Reader, env *Envelope) (*Mail, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxMessageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	if len(raw) > MaxMessageBytes {
		return nil, fmt.Errorf("message is larger than %d bytes", MaxMessageBytes)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("read message header: %w", err)
	}
	m := fromHeader(msg.Header, env)
	if m.Kind == KindBounce || isReport(msg.Header.Get("Content-Type")) {
		if b, err := smtp.ParseDSN(bytes.NewReader(raw)); err == nil {
			m.Kind, m.Bounce = KindBounce, &b
		}
	}
	if m.Kind != KindReply {
		return m, nil
	}
	h := msg.Header
	text, html := bodies(h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), msg.Body, 0)
	if text == "" && html != "" {
		text = htmlText(html)
	}
	m.Text = truncate(ReplyText(text), maxTextBytes)
	return m, nil
}

// fromHeader reads what the header and envelope say: addresses, thread
// ids, and whether the message is automatic.
func fromHeader(h mail.Header, env *Envelope) *Mail {
	m := &Mail{From: address(h.Get("From")), Subject: decodeHeader(h.Get("Subject")), MessageID: strings.TrimSpace(h.Get("Message-Id")),
		InReplyTo: msgIDs(h.Get("In-Reply-To")), References: msgIDs(h.Get("References"))}
	for _, f := range []string{"To", "Cc"} {
		if list, err := h.AddressList(f); err == nil {
			for _, a := range list {
				m.To = append(m.To, a.Address)
			}
		}
	}
	if env != nil && len(env.To) > 0 {
		m.To = append([]string(nil), env.To...)
	}
	m.Kind = classify(h, m.Subject, m.From, env)
	return m
}

// bodies returns the first text/plain and the first text/html of an
// entity that are not attachments, decoded to UTF-8.
func bodies(contentType, cte string, body io.Reader, depth int) (text, html string) {
	if contentType == "" {
		contentType = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, params = "text/plain", nil
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if depth >= maxDepth || params["boundary"] == "" {
			return "", ""
		}
		mr := multipart.NewReader(body, params["boundary"])
		for text == "" {
			p, err := mr.NextRawPart()
			if err != nil {
				break
			}
			if d, _, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition")); d == "attachment" {
				continue
			}
			t, h := bodies(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1)
			text = t
			if html == "" {
				html = h
			}
		}
	case mt == "text/plain":
		text = decodeText(cte, params["charset"], body)
	case mt == "text/html":
		html = decodeText(cte, params["charset"], body)
	}
	return text, html
}

// decodeText undoes the transfer encoding and the charset; what does not
// decode is kept as valid UTF-8 with replacement characters.
func decodeText(cte, charset string, body io.Reader) string {
	b, err := io.ReadAll(io.LimitReader(smtp.DecodeCTE(cte, body), MaxMessageBytes))
	if err != nil && len(b) == 0 {
		return ""
	}
	return toUTF8(b, charset)
}

// toUTF8 converts b from charset (UTF-8 when empty or unknown).
func toUTF8(b []byte, charset string) string {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs != "" && cs != "utf-8" && cs != "us-ascii" {
		if enc, err := htmlindex.Get(cs); err == nil {
			if d, err := enc.NewDecoder().Bytes(b); err == nil {
				b = d
			}
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// decodeHeader decodes RFC 2047 encoded words in any charset x/text knows.
func decodeHeader(v string) string {
	d := mime.WordDecoder{CharsetReader: func(charset string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(charset)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(in), nil
	}}
	s, err := d.DecodeHeader(v)
	if err != nil {
		s = v
	}
	return strings.ToValidUTF8(strings.TrimSpace(s), "\uFFFD")
}

// address is the bare address of a From header, lower-cased; the header as
// written when it does not parse.
func address(v string) string {
	if a, err := mail.ParseAddress(v); err == nil {
		return strings.ToLower(a.Address)
	}
	return strings.ToLower(strings.Trim(strings.TrimSpace(v), "<>"))
}

// msgIDs splits a list of message ids ("<a@b> <c@d>"), keeping brackets.
func msgIDs(v string) []string {
	var out []string
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			return out
		}
		out = append(out, v[i:i+j+1])
		v = v[i+j+1:]
	}
}

// isReport reports a multipart/report content type.
func isReport(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "multipart/report"
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
