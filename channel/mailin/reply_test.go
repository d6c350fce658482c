package mailin

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReplyText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
	}{
		{"plain", "Yes, please book me.\n", "Yes, please book me."},
		{"crlf", "STOP\r\n\r\n", "STOP"},
		{"quoted lines", "Yes\n\n> Would you like a visit?\n> Reply YES or NO", "Yes"},
		{"inline answer between quotes", "> Question one?\nyes\n> Question two?\nno", "yes\nno"},
		{"gmail attribution", "No thanks\n\nOn Tue, Mar 3, 2026 at 10:00 AM Valley Clinic <care@valley.example> wrote:\n> Would you like…", "No thanks"},
		{"wrapped attribution", "No thanks\n\nOn Tue, Mar 3, 2026 at 10:00 AM Valley Clinic <\ncare@valley.example> wrote:\n\nWould you like…", "No thanks"},
		{"spanish attribution", "Sí\n\nEl mar, 3 mar 2026 a las 10:00, Clínica <care@valley.example> escribió:\n> ¿Quiere una cita?", "Sí"},
		{"outlook separator", "I don't trust these texts\n\n-----Original Message-----\nFrom: Valley Clinic\nSent: Tuesday\n\nWould you like", "I don't trust these texts"},
		{"outlook header block", "how did you get my number\n\n________________________________\nFrom: Valley Clinic <care@valley.example>\nSent: Tuesday, March 3, 2026\nTo: Rosa", "how did you get my number"},
		{"outlook header block without rule", "maybe later\n\nFrom: Valley Clinic <care@valley.example>\nSent: Tuesday, March 3, 2026\nSubject: Visit", "maybe later"},
		{"signature", "yes\n-- \nRosa Diaz\n555-0100", "yes"},
		{"mobile signature", "yes\n\nSent from my iPhone", "yes"},
		{"on in the text is kept", "On Monday I can come.\nThanks", "On Monday I can come.\nThanks"},
		{"from in the text is kept", "From: my daughter's phone\nyes", "From: my daughter's phone\nyes"},
		{"only quotes", "> Would you like a visit?", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ReplyText(c.in); got != c.want {
				t.Errorf("ReplyText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
	}{
		{"paragraphs", "<html><head><style>p{}</style></head><body><p>Yes &amp; thanks</p></body></html>", "Yes & thanks"},
		{"breaks", "<div>No<br>thanks</div>", "No\nthanks"},
		{"gmail quote", `<div dir="ltr">Yes</div><br><div class="gmail_quote"><div>On Tue… wrote:</div><blockquote>Would you…</blockquote></div>`, "Yes"},
		{"blockquote", "Stop<blockquote type=cite>Would you like</blockquote>", "Stop"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ReplyText(htmlText(c.in)); got != c.want {
				t.Errorf("htmlText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzReplyText checks what must hold for any text: no quoted line
// survives, nothing is invented (the reply is no longer than the text),
// valid UTF-8 stays valid, and extracting twice changes nothing.
func FuzzReplyText(f *testing.F) {
	for _, s := range []string{"yes", "STOP\r\n", "a\n> b\nOn x\n> y\nwrote:\nz", "No\n-- \nsig", "From: a\nSent: b", "__________________________",
		"On Monday\nyes", "-----Original Message-----", " >x", "\r\r\n>", "El x escribió:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ReplyText(s)
		if len(got) > len(s) {
			t.Fatalf("ReplyText(%q) = %q is longer than its input", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("ReplyText(%q) = %q is not valid UTF-8", s, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if quoted(line) {
				t.Fatalf("ReplyText(%q) keeps the quoted line %q", s, line)
			}
		}
		if again := ReplyText(got); again != got {
			t.Fatalf("ReplyText is not stable: %q → %q → %q", s, got, again)
		}
	})
}
