package smtp

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

// messageIDDomain is the right-hand side of every Message-ID rapport sends.
const messageIDDomain = "rapport"

// HeaderRapportID carries rapport's message id beside the Message-ID, for
// bounces and replies from systems that rewrite Message-ID.
const HeaderRapportID = "X-Rapport-Message-ID"

// MessageID returns the Message-ID header value, with angle brackets, for
// rapport's message id: "<id@rapport>". Characters not allowed in a
// Message-ID are %-escaped, so [RapportID] recovers the id exactly.
func MessageID(id string) string {
	return "<" + escapeID(id) + "@" + messageIDDomain + ">"
}

// RapportID returns rapport's message id from a Message-ID made by
// [MessageID], with or without angle brackets, and false for any other.
func RapportID(messageID string) (string, bool) {
	s := strings.TrimSpace(messageID)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	local, ok := strings.CutSuffix(s, "@"+messageIDDomain)
	if !ok || local == "" {
		return "", false
	}
	id, err := url.PathUnescape(local)
	if err != nil || escapeID(id) != local {
		return "", false
	}
	return id, true
}

// escapeID %-escapes everything but RFC 5322 atext (other than %) and
// inner dots.
func escapeID(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if isAtext(c) || (c == '.' && i > 0 && i < len(id)-1 && id[i-1] != '.') {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&'*+-/=?^_`{|}~", c) >= 0
}

// listUnsubscribe returns the List-Unsubscribe value for a message and
// whether one-click (RFC 8058) applies, which needs an HTTPS URL. It fails
// on a link that would break the header.
func listUnsubscribe(link, mailto string) (value string, oneClick bool, err error) {
	var parts []string
	if link != "" {
		if u, perr := url.Parse(link); perr != nil || !u.IsAbs() || strings.ContainsAny(link, "<>\"") || hasControlOrSpace(link) {
			return "", false, fmt.Errorf("unsubscribe url is not an absolute URL")
		}
		parts = append(parts, "<"+link+">")
		oneClick = strings.HasPrefix(strings.ToLower(link), "https://")
	}
	if mailto != "" {
		parts = append(parts, "<mailto:"+mailto+"?subject=unsubscribe>")
	}
	return strings.Join(parts, ", "), oneClick, nil
}

// hasControlOrSpace reports whether s holds a control character or space.
func hasControlOrSpace(s string) bool {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}

// buildMsg renders m's headers as a MIME message; setBody adds its parts.
func (s *Sender) buildMsg(m channel.Message) (*mail.Msg, error) {
	if m.ID == "" || hasControlOrSpace(m.ID) {
		return nil, &channel.Error{Kind: channel.ErrPermanent, Msg: "message id is empty or has control characters"}
	}
	if m.Channel != "" && m.Channel != rapport.ChannelEmail {
		return nil, &channel.Error{Kind: channel.ErrPermanent, Msg: fmt.Sprintf("channel %q is not email", m.Channel)}
	}
	unsub, oneClick, err := listUnsubscribe(m.UnsubscribeURL, s.cfg.UnsubscribeMailto)
	if err != nil {
		return nil, &channel.Error{Kind: channel.ErrPermanent, Msg: err.Error()}
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	from := m.From
	if from == "" {
		from = s.cfg.From
	}
	if err := msg.From(from); err != nil {
		return nil, &channel.Error{Kind: channel.ErrPermanent, Msg: fmt.Sprintf("sender address: %v", err)}
	}
	if err := msg.To(m.To); err != nil {
		// net/mail's error quotes the address; keep it out of the message.
		return nil, &channel.Error{Kind: channel.ErrBadAddress, Msg: "recipient address does not parse"}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(escapeID(m.ID) + "@" + messageIDDomain)
	msg.SetGenHeader(HeaderRapportID, m.ID)
	if s.cfg.ReplyTo != "" {
		if err := msg.ReplyTo(ReplyAddress(s.cfg.ReplyTo, m.ID)); err != nil {
			return nil, &channel.Error{Kind: channel.ErrPermanent, Msg: "reply-to address does not parse"}
		}
	}
	msg.SetDate()
	if unsub != "" {
		msg.SetGenHeaderPreformatted(mail.Header("List-Unsubscribe"), unsub)
		if oneClick {
			msg.SetGenHeader(mail.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click")
		}
	}
	if m.Language != "" {
		msg.SetGenHeader(mail.HeaderContentLang, m.Language)
	}
	return msg, nil
}

// setBody sets msg's parts from m: text/plain alone, or
// multipart/alternative with text/plain and text/html. Where the server
// takes 8BITMIME (RFC 6152) a part whose lines fit SMTP's goes unencoded
// as 8bit, and setBody reports that it did: quoted-printable took 7% of
// serve's CPU in an email campaign, and grows an HTML part by an escape
// for every "=" of its attributes and a break every 76 characters, bytes
// a patient on a slow line downloads. Called again for another
// connection, it sets the parts anew.
func setBody(msg *mail.Msg, m channel.Message, eightBit bool) (used bool) {
	enc := func(body string) mail.PartOption {
		if eightBit && fitsEightBit(body) {
			used = true
			return mail.WithPartEncoding(mail.NoEncoding)
		}
		return mail.WithPartEncoding(mail.EncodingQP)
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Body, enc(m.Body))
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML, enc(m.HTML))
	}
	return used
}

// maxLine is SMTP's longest line of text, CRLF left out (RFC 5321 §4.5.3.1.6).
const maxLine = 998

// fitsEightBit reports whether body can go as 8bit (RFC 2045 §2.8): no
// NUL, no CR but before LF, and no line longer than maxLine octets once
// its LF is a CRLF.
func fitsEightBit(body string) bool {
	line := 0
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '\n':
			line = 0
			continue
		case c == 0, c == '\r' && (i+1 == len(body) || body[i+1] != '\n'):
			return false
		case c == '\r':
			continue
		}
		if line++; line > maxLine {
			return false
		}
	}
	return true
}
