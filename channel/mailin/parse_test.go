package mailin

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// crlf turns a readable message into wire form.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		msg     string
		env     *Envelope
		kind    Kind
		text    string
		subject string
	}{
		{"plain reply", "From: Rosa <Rosa@Example.org>\nTo: care@valley.example\nSubject: Re: Your visit\nMessage-ID: <r1@example.org>\nIn-Reply-To: <m1@rapport>\n\nYes please\n\nOn Tue, Mar 3, 2026 Valley Clinic wrote:\n> Would you like a visit?\n",
			nil, KindReply, "Yes please", "Re: Your visit"},
		{"multipart alternative", "From: rosa@example.org\nSubject: Re: visit\nContent-Type: multipart/alternative; boundary=b1\n\n--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nS=C3=AD, gracias\n--b1\nContent-Type: text/html\n\n<p>S&iacute;</p>\n--b1--\n",
			nil, KindReply, "Sí, gracias", "Re: visit"},
		{"html only", "From: rosa@example.org\nContent-Type: text/html; charset=utf-8\n\n<div>STOP</div><blockquote>Would you like</blockquote>",
			nil, KindReply, "STOP", ""},
		{"base64 latin-1", "From: rosa@example.org\nSubject: =?ISO-8859-1?Q?Re=3A_cita_ma=F1ana?=\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\nTm8sIGdyYWNpYXMsIG1h8WFuYQ==\n",
			nil, KindReply, "No, gracias, mañana", "Re: cita mañana"},
		{"mixed with attachment", "From: rosa@example.org\nContent-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\nyes\n--a--\n--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=x.txt\n\nnot this\n--m--\n",
			nil, KindReply, "yes", ""},
		{"attachment first", "From: rosa@example.org\nContent-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=x.txt\n\nnot this\n--m\nContent-Type: text/plain\n\nno\n--m--\n",
			nil, KindReply, "no", ""},
		{"auto-submitted", "From: rosa@example.org\nAuto-Submitted: auto-replied\nSubject: Re: visit\n\nI am away.", nil, KindAutoReply, "", "Re: visit"},
		{"auto-submitted no", "From: rosa@example.org\nAuto-Submitted: no\n\nyes", nil, KindReply, "yes", ""},
		{"x-autoreply", "From: rosa@example.org\nX-Autoreply: yes\n\nI am away.", nil, KindAutoReply, "", ""},
		{"precedence auto_reply", "From: rosa@example.org\nPrecedence: auto_reply\n\nI am away.", nil, KindAutoReply, "", ""},
		{"precedence bulk", "From: rosa@example.org\nPrecedence: bulk\n\nI am away.", nil, KindAutoReply, "", ""},
		{"outlook subject", "From: rosa@example.org\nSubject: Automatic reply: Your visit\n\nI am away.", nil, KindAutoReply, "", "Automatic reply: Your visit"},
		{"out of office subject", "From: rosa@example.org\nSubject: Out of Office: Re: visit\n\nI am away.", nil, KindAutoReply, "", "Out of Office: Re: visit"},
		{"null sender", "From: rosa@example.org\n\nI am away.", &Envelope{Null: true}, KindAutoReply, "", ""},
		{"mailer-daemon without a report", "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail\n\nSorry.", nil, KindBounce, "", "Undelivered Mail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(crlf(c.msg)), c.env)
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != c.kind || m.Text != c.text || m.Subject != c.subject {
				t.Errorf("got kind %q text %q subject %q, want %q %q %q", m.Kind, m.Text, m.Subject, c.kind, c.text, c.subject)
			}
		})
	}
}

func TestParseHeaders(t *testing.T) {
	t.Parallel()
	msg := "From: Rosa Diaz <Rosa@Example.org>\nTo: Clinic <care@valley.example>, other@valley.example\nCc: x@y.example\nMessage-ID: <r1@example.org>\n" +
		"In-Reply-To: <m2@rapport>\nReferences: <m0@rapport>\n <m1@rapport> <m2@rapport>\n\nyes\n"
	m, err := Parse(strings.NewReader(crlf(msg)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "rosa@example.org" || m.MessageID != "<r1@example.org>" {
		t.Errorf("from %q message id %q", m.From, m.MessageID)
	}
	if want := []string{"care@valley.example", "other@valley.example", "x@y.example"}; !slices.Equal(m.To, want) {
		t.Errorf("to %q, want %q", m.To, want)
	}
	if !slices.Equal(m.InReplyTo, []string{"<m2@rapport>"}) || !slices.Equal(m.References, []string{"<m0@rapport>", "<m1@rapport>", "<m2@rapport>"}) {
		t.Errorf("in-reply-to %q references %q", m.InReplyTo, m.References)
	}
	m, err = Parse(strings.NewReader(crlf(msg)), &Envelope{From: "rosa@example.org", To: []string{"reply+m1@valley.example"}})
	if err != nil || !slices.Equal(m.To, []string{"reply+m1@valley.example"}) {
		t.Errorf("envelope recipients: %q, %v", m.To, err)
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	if _, err := Parse(strings.NewReader("no header at all"), nil); err == nil {
		t.Error("a message without a header parsed")
	}
	big := "From: a@b.example\r\n\r\n" + strings.Repeat("x", MaxMessageBytes)
	if _, err := Parse(strings.NewReader(big), nil); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("an oversized message: %v", err)
	}
}

// TestParseBounces reads the DSNs the bounce parser is tested with: each
// is a bounce, never a reply, and the hard ones name rapport's message.
func TestParseBounces(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file string
		kind Kind
		hard bool
	}{
		{"postfix_user_unknown.eml", KindBounce, true},
		{"gmail_failure.eml", KindBounce, true},
		{"exchange_ndr.eml", KindBounce, true},
		{"postfix_delayed.eml", KindBounce, false},
		{"rfc3464_delivered_multi.eml", KindBounce, false},
		{"autoreply_not_dsn.eml", KindAutoReply, false},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "smtp", "testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, err := Parse(f, &Envelope{Null: true})
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != c.kind || m.Text != "" {
				t.Fatalf("kind %q text %q, want %q and no text", m.Kind, m.Text, c.kind)
			}
			if c.hard && (m.Bounce == nil || !m.Bounce.Hard() || m.Bounce.RapportID == "") {
				t.Errorf("bounce %+v: want a hard bounce naming a rapport message", m.Bounce)
			}
		})
	}
}

func TestThread(t *testing.T) {
	t.Parallel()
	const replyTo = "reply@valley.example"
	cases := []struct {
		name string
		m    Mail
		base string
		want string
	}{
		{"in-reply-to", Mail{InReplyTo: []string{"<m1@rapport>"}, References: []string{"<m0@rapport>"}}, replyTo, "m1"},
		{"latest reference", Mail{References: []string{"<m0@rapport>", "<x@gmail.com>", "<m1@rapport>", "<y@gmail.com>"}}, replyTo, "m1"},
		{"foreign in-reply-to, rapport reference", Mail{InReplyTo: []string{"<x@gmail.com>"}, References: []string{"<m0@rapport>"}}, replyTo, "m0"},
		{"escaped id", Mail{InReplyTo: []string{"<a%20b@rapport>"}}, replyTo, "a b"},
		{"reply address", Mail{To: []string{"care@valley.example", "Reply+m7@Valley.Example"}}, replyTo, "m7"},
		{"headers before the address", Mail{InReplyTo: []string{"<m1@rapport>"}, To: []string{"reply+m7@valley.example"}}, replyTo, "m1"},
		{"reply address of another domain", Mail{To: []string{"reply+m7@evil.example"}}, replyTo, ""},
		{"reply addresses off", Mail{To: []string{"reply+m7@valley.example"}}, "", ""},
		{"nothing", Mail{InReplyTo: []string{"<x@gmail.com>"}, To: []string{"care@valley.example"}}, replyTo, ""},
		{"badly escaped", Mail{InReplyTo: []string{"<a%2@rapport>"}}, replyTo, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Thread(&c.m, c.base); string(got) != c.want {
				t.Errorf("Thread = %q, want %q", got, c.want)
			}
		})
	}
}

// FuzzParse: any input parses or fails cleanly, and what parses gives
// valid UTF-8 text within the size bound, and text only for replies.
func FuzzParse(f *testing.F) {
	for _, s := range []string{simpleReply, crlf("From: a@b.example\nContent-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\neWVz\n--x--\n"),
		crlf("From: a@b.example\nContent-Type: text/html\n\n<p>yes</p><blockquote>q</blockquote>"), crlf("From: MAILER-DAEMON@x\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n\n--b--\n"),
		crlf("From: a@b.example\nSubject: =?utf-8?B?w6k=?=\nAuto-Submitted: auto-replied\n\nx")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(strings.NewReader(s), nil)
		if err != nil {
			return
		}
		if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Subject) || len(m.Text) > maxTextBytes {
			t.Fatalf("Parse(%q): text %q subject %q", s, m.Text, m.Subject)
		}
		if m.Kind != KindReply && m.Text != "" {
			t.Fatalf("Parse(%q): %s with text %q", s, m.Kind, m.Text)
		}
	})
}
