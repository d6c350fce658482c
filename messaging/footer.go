package messaging

import (
	"html"
	"strings"
)

// unsubscribeFooters end every email that has an unsubscribe link, in the
// patient's language: the List-Unsubscribe header is not shown by every
// mail client, and a patient must always see how to stop.
var unsubscribeFooters = map[string]struct{ text, html string }{
	"en": {"To stop these emails, unsubscribe: %s", `To stop these emails, <a href="%s">unsubscribe</a>.`},
	"es": {"Para no recibir más estos correos, dése de baja: %s", `Para no recibir más estos correos, <a href="%s">dése de baja</a>.`},
}

// withFooter returns the email's text and HTML bodies with the unsubscribe
// footer added: after the text, and before the HTML's closing body tag (or
// at its end). An empty HTML stays empty.
func withFooter(body, htmlBody, lang, link string) (string, string) {
	f, ok := unsubscribeFooters[lang]
	if !ok {
		f = unsubscribeFooters["en"]
	}
	body = strings.TrimRight(body, "\n") + "\n\n--\n" + strings.Replace(f.text, "%s", link, 1) + "\n"
	if htmlBody != "" {
		p := `<p style="font-size:12px;color:#555">` + strings.Replace(f.html, "%s", html.EscapeString(link), 1) + "</p>"
		if i := lastIndexFold(htmlBody, "</body>"); i >= 0 {
			htmlBody = htmlBody[:i] + p + htmlBody[i:]
		} else {
			htmlBody += p
		}
	}
	return body, htmlBody
}

// lastIndexFold is the index of the last instance of the ASCII string sub
// in s, matched without regard to case, or -1. Lowering a whole email body
// to find its closing tag copied every email once more.
func lastIndexFold(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if s[i] == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
