package smtp

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
)

// ErrNotDSN is returned by [ParseDSN] for a message that is not an RFC 3464
// delivery status notification (an auto-reply, a plain-text bounce).
var ErrNotDSN = errors.New("not a delivery status notification")

// RecipientStatus is one per-recipient block of a delivery status
// notification.
type RecipientStatus struct {
	// Recipient is the Final-Recipient address without its type ("rfc822;").
	Recipient string
	// OriginalRecipient is the Original-Recipient address, if given.
	OriginalRecipient string
	// Action is "failed", "delayed", "delivered", "relayed" or "expanded".
	Action string
	// Status is the RFC 3463 status code, such as "5.1.1".
	Status string
	// Diagnostic is the Diagnostic-Code, such as "smtp; 550 5.1.1 user unknown".
	Diagnostic string
	// RemoteMTA is the Remote-MTA, such as "dns; mx.example.com".
	RemoteMTA string
}

// Hard reports a permanent failure: Action failed with a 5.x.x status.
func (r RecipientStatus) Hard() bool {
	return r.Action == "failed" && strings.HasPrefix(r.Status, "5.")
}

// Bounce is a parsed delivery status notification.
type Bounce struct {
	// RecipientStatus is the first failed recipient's block, or the first
	// block when none failed.
	RecipientStatus
	// Recipients holds every per-recipient block in order.
	Recipients []RecipientStatus
	// ReportingMTA is the MTA that wrote the report.
	ReportingMTA string
	// MessageID is the Message-ID of the message the report is about, from
	// its returned headers, with angle brackets.
	MessageID string
	// RapportID is rapport's id of that message: its X-Rapport-Message-ID
	// header, or else derived from a rapport Message-ID; "" when the report
	// did not return the headers.
	RapportID string
}

// maxDSNBytes bounds what ParseDSN reads; reports are small, returned
// messages are cut.
const maxDSNBytes = 8 << 20

// maxPartDepth bounds multipart nesting.
const maxPartDepth = 4

// ParseDSN reads an RFC 3464 delivery status notification: a
// multipart/report; report-type=delivery-status message (possibly nested
// in another multipart) with a message/delivery-status part and, usually,
// the returned message or its headers (message/rfc822 or
// text/rfc822-headers) from which the original Message-ID is taken. It
// returns [ErrNotDSN], wrapped, when there is no delivery-status part or it
// holds no recipient, and other errors for malformed MIME.
func ParseDSN(r io.Reader) (Bounce, error) {
	msg, err := mail.ReadMessage(bufio.NewReader(io.LimitReader(r, maxDSNBytes)))
	if err != nil {
		return Bounce{}, fmt.Errorf("parse dsn: read message: %w", err)
	}
	var b Bounce
	var found bool
	var orig textproto.MIMEHeader
	ct := msg.Header.Get("Content-Type")
	if err := walkParts(ct, msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0, &b, &found, &orig); err != nil {
		return Bounce{}, fmt.Errorf("parse dsn: %w", err)
	}
	if !found || len(b.Recipients) == 0 {
		return Bounce{}, fmt.Errorf("parse dsn: %w", ErrNotDSN)
	}
	b.RecipientStatus = b.Recipients[0]
	for _, rs := range b.Recipients {
		if rs.Action == "failed" {
			b.RecipientStatus = rs
			break
		}
	}
	if orig != nil {
		b.MessageID = strings.TrimSpace(orig.Get("Message-Id"))
		b.RapportID = strings.TrimSpace(orig.Get(HeaderRapportID))
		if b.RapportID == "" {
			b.RapportID, _ = RapportID(b.MessageID)
		}
	}
	return b, nil
}

// walkParts visits a MIME entity and its parts, filling b from the
// delivery-status part and orig from the returned message's header.
func walkParts(contentType, cte string, body io.Reader, depth int, b *Bounce, found *bool, orig *textproto.MIMEHeader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		if depth == 0 {
			return ErrNotDSN
		}
		return nil // a part we cannot read is not one we need
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if depth >= maxPartDepth {
			return nil
		}
		boundary := params["boundary"]
		if boundary == "" {
			return fmt.Errorf("%s without boundary", mt)
		}
		mr := multipart.NewReader(body, boundary)
		for i := 0; ; i++ {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s part %d: %w", mt, i+1, err)
			}
			pct := p.Header.Get("Content-Type")
			if pct == "" {
				pct = "text/plain"
			}
			if err := walkParts(pct, p.Header.Get("Content-Transfer-Encoding"), p, depth+1, b, found, orig); err != nil {
				return err
			}
		}
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		if *found {
			return nil // the first report counts
		}
		*found = true
		return parseDeliveryStatus(decodeCTE(cte, body), b)
	case mt == "text/rfc822-headers" || mt == "message/rfc822" || mt == "message/global" || mt == "message/global-headers":
		if *orig != nil {
			return nil
		}
		h, err := textproto.NewReader(bufio.NewReader(decodeCTE(cte, body))).ReadMIMEHeader()
		if err != nil && len(h) == 0 {
			return nil // headers cut short: the report may still say enough
		}
		*orig = h
	}
	return nil
}

// decodeCTE undoes a part's content-transfer-encoding.
func decodeCTE(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// stripSpace drops the line breaks of base64 text.
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// statusRE finds an RFC 3463 status code.
var statusRE = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)

// parseDeliveryStatus reads the per-message block and the per-recipient
// blocks of a message/delivery-status body.
func parseDeliveryStatus(r io.Reader, b *Bounce) error {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return fmt.Errorf("delivery-status: %w", err)
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	blocks := strings.Split(string(data), "\n\n")
	first := true
	for i, block := range blocks {
		if strings.TrimSpace(block) == "" {
			continue
		}
		h, err := textproto.NewReader(bufio.NewReader(strings.NewReader(strings.TrimLeft(block, "\n") + "\n\n"))).ReadMIMEHeader()
		if err != nil && len(h) == 0 {
			return fmt.Errorf("delivery-status block %d: %w", i+1, err)
		}
		if first {
			first = false
			if h.Get("Final-Recipient") == "" {
				b.ReportingMTA = fieldValue(h.Get("Reporting-Mta"))
				continue
			}
		}
		if h.Get("Final-Recipient") == "" && h.Get("Action") == "" {
			continue
		}
		rs := RecipientStatus{
			Recipient:         address(h.Get("Final-Recipient")),
			OriginalRecipient: address(h.Get("Original-Recipient")),
			Action:            strings.ToLower(firstWord(h.Get("Action"))),
			Status:            statusRE.FindString(h.Get("Status")),
			Diagnostic:        strings.TrimSpace(h.Get("Diagnostic-Code")),
			RemoteMTA:         strings.TrimSpace(h.Get("Remote-Mta")),
		}
		if rs.Status == "" {
			rs.Status = statusRE.FindString(rs.Diagnostic)
		}
		b.Recipients = append(b.Recipients, rs)
	}
	return nil
}

// address strips the address type ("rfc822;") and angle brackets from a
// recipient field.
func address(v string) string {
	v = fieldValue(v)
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(v, "<"), ">"))
	return v
}

// fieldValue strips a "type;" prefix from a DSN field.
func fieldValue(v string) string {
	if _, after, ok := strings.Cut(v, ";"); ok {
		v = after
	}
	return strings.TrimSpace(v)
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.TrimSuffix(f[0], ";")
}
