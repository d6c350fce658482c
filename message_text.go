package rapport

import "strings"

// MessageText is what a message says, before or after its {name}
// placeholders are filled.
type MessageText struct {
	Subject string
	Body    string
	HTML    string
}

// Unfilled is the message's text before its placeholders were filled: its
// Template, or its text as it is when it has none.
func (m *Message) Unfilled() MessageText {
	if m.Template != (MessageText{}) {
		return m.Template
	}
	return MessageText{Subject: m.Subject, Body: m.Body, HTML: m.HTML}
}

// Fill returns t with every {name} placeholder that vars knows replaced by
// its value, in one pass (a value is never filled in turn). Placeholders
// vars does not know stay as written.
func (t MessageText) Fill(vars map[string]string) MessageText {
	if len(vars) == 0 {
		return t
	}
	return MessageText{Subject: fill(t.Subject, vars), Body: fill(t.Body, vars), HTML: fill(t.HTML, vars)}
}

// fill is one left-to-right pass over s: campaign emails are filled once
// each just before sending, so this is on the hot path (a strings.Replacer
// built per message cost several times more).
func fill(s string, vars map[string]string) string {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s[1:], '}')
		if end < 0 {
			break
		}
		name := s[1 : 1+end]
		if v, ok := vars[name]; ok && strings.IndexByte(name, '{') < 0 {
			b.WriteString(v)
			s = s[end+2:]
		} else {
			b.WriteByte('{')
			s = s[1:]
		}
		i = strings.IndexByte(s, '{')
	}
	b.WriteString(s)
	return b.String()
}
