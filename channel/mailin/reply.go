package mailin

import (
	"html"
	"regexp"
	"strings"
)

// ReplyText returns what the patient wrote: the text with quoted lines
// ("> …"), the quoted history after an attribution ("On … wrote:", an
// "-----Original Message-----" or Outlook "From:/Sent:" block) and the
// signature ("-- ", "Sent from my …") removed, trimmed.
func ReplyText(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), "\n")
	var kept []string
	for i, line := range lines {
		if quoted(line) {
			continue
		}
		if endsReply(line, nextUnquoted(lines, i+1, 3)) {
			break
		}
		kept = append(kept, line)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// quoted reports a line of quoted history.
func quoted(line string) bool { return strings.HasPrefix(strings.TrimLeft(line, " \t"), ">") }

// nextUnquoted returns up to n lines after i that are not quoted.
func nextUnquoted(lines []string, i, n int) []string {
	var out []string
	for ; i < len(lines) && len(out) < n; i++ {
		if !quoted(lines[i]) {
			out = append(out, lines[i])
		}
	}
	return out
}

var (
	// attribution is a mail client's "On <date>, <name> wrote:" line, in
	// English and Spanish, possibly wrapped onto the next line.
	attributionStart = regexp.MustCompile(`^\s*(On|El)\s`)
	attributionEnd   = regexp.MustCompile(`(wrote|escribió)\s*:\s*$`)
	separator        = regexp.MustCompile(`^\s*(-{3,}\s*(Original Message|Mensaje original|Forwarded message|Mensaje reenviado)\s*-{3,}|_{20,})\s*$`)
	headerLine       = regexp.MustCompile(`^\s*\*?(Sent|Date|To|Subject|Enviado|Fecha|Para|Asunto)\*?:`)
	fromLine         = regexp.MustCompile(`^\s*\*?(From|De)\*?:`)
	mobileSignature  = regexp.MustCompile(`^\s*(Sent from my |Get Outlook for |Enviado desde mi )`)
)

// endsReply reports a line where the patient's words end: an attribution,
// a separator, an Outlook header block, or a signature.
func endsReply(line string, next []string) bool {
	switch {
	case strings.TrimSpace(line) == "--", separator.MatchString(line), mobileSignature.MatchString(line):
		return true
	case attributionStart.MatchString(line):
		return attributionEnd.MatchString(line) || (len(next) > 0 && attributionEnd.MatchString(next[0]))
	case fromLine.MatchString(line):
		for _, n := range next {
			if headerLine.MatchString(n) {
				return true
			}
		}
	}
	return false
}

var (
	htmlDrop  = regexp.MustCompile(`(?is)<(style|script|head)\b.*?</(style|script|head)\s*>|<blockquote\b.*</blockquote\s*>|<div[^>]*class="?[^">]*(gmail_quote|moz-cite-prefix)[^>]*>.*`)
	htmlBreak = regexp.MustCompile(`(?i)<br\s*/?>|</(p|div|li|tr|h[1-6])\s*>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// htmlText is the visible text of an HTML-only reply, without quoted
// history (blockquotes, Gmail's and Thunderbird's quote blocks).
func htmlText(s string) string {
	s = htmlDrop.ReplaceAllString(s, "")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}
