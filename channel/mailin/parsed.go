package mailin

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/textproto"
	"strings"
)

// Parsed is a message as hosted inbound-parse services post it (SendGrid
// Inbound Parse's fields): the original header block, the text and HTML
// bodies already decoded, the SMTP envelope as JSON, and the charset of
// each field as JSON; or, in "raw" mode, the whole message in Email.
type Parsed struct {
	Headers, Text, HTML string
	// Envelope is {"to":["…"],"from":"…"}.
	Envelope string
	// Charsets is {"text":"iso-8859-1",…}: the charset of each field.
	Charsets string
	// Email is the whole MIME message when the service posts it raw.
	Email string
}

// FromParsed reads a hosted service's post into a [Mail], as [Parse]
// reads a message. It fails when neither a header block nor a raw message
// can be read.
func FromParsed(p Parsed) (*Mail, error) {
	env := parsedEnvelope(p.Envelope)
	if strings.TrimSpace(p.Email) != "" {
		return Parse(strings.NewReader(p.Email), env)
	}
	hdr := strings.TrimRight(strings.ReplaceAll(p.Headers, "\r\n", "\n"), "\n")
	if hdr == "" {
		return nil, fmt.Errorf("inbound parse: neither headers nor email")
	}
	mh, err := textproto.NewReader(bufio.NewReader(strings.NewReader(hdr + "\n\n"))).ReadMIMEHeader()
	if err != nil && len(mh) == 0 {
		return nil, fmt.Errorf("inbound parse: headers: %w", err)
	}
	m := fromHeader(mail.Header(mh), env)
	if m.Kind != KindReply {
		return m, nil // no raw message: a bounce cannot be read further
	}
	cs := map[string]string{}
	_ = json.Unmarshal([]byte(p.Charsets), &cs) // absent or malformed: UTF-8
	text := toUTF8([]byte(p.Text), cs["text"])
	if strings.TrimSpace(text) == "" && p.HTML != "" {
		text = htmlText(toUTF8([]byte(p.HTML), cs["html"]))
	}
	m.Text = truncate(ReplyText(text), maxTextBytes)
	return m, nil
}

// parsedEnvelope reads the envelope JSON; nil when absent or malformed.
func parsedEnvelope(s string) *Envelope {
	var e struct {
		To   []string `json:"to"`
		From *string  `json:"from"`
	}
	if s == "" || json.Unmarshal([]byte(s), &e) != nil {
		return nil
	}
	env := &Envelope{}
	for _, t := range e.To {
		env.To = append(env.To, strings.ToLower(t))
	}
	if e.From != nil {
		env.From = strings.ToLower(*e.From)
		env.Null = *e.From == ""
	}
	return env
}
