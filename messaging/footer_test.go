package messaging

import (
	"strings"
	"testing"
)

func TestWithFooterPlacesHTMLBeforeClosingBody(t *testing.T) {
	for _, tc := range []struct {
		name, html, want string
	}{
		{"lower case", "<html><body><p>Hi</p></body></html>", "<html><body><p>Hi</p>" + footerHTML + "</body></html>"},
		{"upper case", "<HTML><BODY><p>Hi</p></BODY></HTML>", "<HTML><BODY><p>Hi</p>" + footerHTML + "</BODY></HTML>"},
		{"mixed case, last of two", "<body>a</Body>b</bODy>", "<body>a</Body>b" + footerHTML + "</bODy>"},
		{"no closing tag", "<p>Hi</p>", "<p>Hi</p>" + footerHTML},
		{"a prefix only", "<p>Hi</bod", "<p>Hi</bod" + footerHTML},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, got := withFooter("Hi", tc.html, "en", "https://x.example/u?t=1&a=2")
			if got != tc.want {
				t.Errorf("withFooter HTML =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// footerHTML is the English footer for the link the table uses, escaped.
var footerHTML = `<p style="font-size:12px;color:#555">To stop these emails, <a href="https://x.example/u?t=1&amp;a=2">unsubscribe</a>.</p>`

func TestLastIndexFold(t *testing.T) {
	for _, s := range []string{"", "</body>", "x</BODY>y</body>", "</bo", "<</body", "ÄÖ</Body>ü"} {
		want := strings.LastIndex(strings.ToLower(s), "</body>")
		if got := lastIndexFold(s, "</body>"); got != want {
			t.Errorf("lastIndexFold(%q) = %d, want %d", s, got, want)
		}
	}
}
