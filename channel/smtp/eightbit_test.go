package smtp

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
)

// TestSendEightBit: where the server offers 8BITMIME, a part whose lines
// fit SMTP's goes unencoded as 8bit and MAIL says BODY=8BITMIME; a part
// that does not fit, or a server without 8BITMIME, gets quoted-printable.
// Whatever the encoding, the patient reads the same text.
func TestSendEightBit(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxLine+1)
	cases := []struct {
		name       string
		noEightBit bool
		body, html string
		want       [2]string // Content-Transfer-Encoding of text, html
		announced  bool
		reads      string // the text part as read, when not body
	}{
		{"8BITMIME offered", false, "Hola Ana,\nSu cita es mañana.\n", `<p style="color:#333">Su cita es <b>mañana</b>.</p>`, [2]string{"8bit", "8bit"}, true, ""},
		{"a line of 999 octets in the html", false, "Hola Ana.", "<p>" + long + "</p>", [2]string{"8bit", "quoted-printable"}, true, ""},
		{"both too long", false, long, long, [2]string{"quoted-printable", "quoted-printable"}, false, ""},
		// Quoted-printable's text mode makes a bare CR a line break.
		{"a bare CR", false, "Hola\rAna", "", [2]string{"quoted-printable"}, false, "Hola\nAna"},
		{"8BITMIME not offered", true, "Hola Ana,\nSu cita es mañana.\n", "<p>mañana</p>", [2]string{"quoted-printable", "quoted-printable"}, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st := newSetup(t, nil)
			st.sender.noEightBit = c.noEightBit
			m := testMessage("01JNQ8W4X7Y5Z4", "ana.lopez@example.net")
			m.Body, m.HTML = c.body, c.html
			if _, err := st.sender.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(st.srv.sent(), "BODY=8BITMIME"); got != c.announced {
				t.Errorf("BODY=8BITMIME on MAIL: %v, want %v", got, c.announced)
			}
			got := st.srv.received()
			if len(got) != 1 {
				t.Fatalf("server received %d messages", len(got))
			}
			encs, texts := partsOf(t, got[0].data)
			want := []string{c.body, c.html}[:len(encs)]
			if c.reads != "" {
				want[0] = c.reads
			}
			for i := range encs {
				if encs[i] != c.want[i] {
					t.Errorf("part %d: Content-Transfer-Encoding %q, want %q", i, encs[i], c.want[i])
				}
				if strings.TrimRight(texts[i], "\n") != strings.TrimRight(want[i], "\n") {
					t.Errorf("part %d reads %q, want %q", i, texts[i], want[i])
				}
			}
		})
	}
}

// partsOf returns the Content-Transfer-Encoding and decoded text of each
// part of a message, one or multipart/alternative.
func partsOf(t *testing.T, data []byte) (encs, texts []string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, err := io.ReadAll(decodeCTE(msg.Header.Get("Content-Transfer-Encoding"), msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		return []string{msg.Header.Get("Content-Transfer-Encoding")}, []string{normalizeCRLF(string(b))}
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return encs, texts
		}
		if err != nil {
			t.Fatal(err)
		}
		encs = append(encs, p.Header.Get("Content-Transfer-Encoding"))
		texts = append(texts, readPart(t, p))
	}
}

func TestFitsEightBit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		body string
		want bool
	}{
		{"", true},
		{"Hola, mañana a las 9:30.\n", true},
		{strings.Repeat("a", maxLine), true},
		{strings.Repeat("a", maxLine+1), false},
		{strings.Repeat("a", maxLine) + "\r\n" + strings.Repeat("b", maxLine), true},
		{strings.Repeat("a", maxLine) + "\n" + strings.Repeat("b", maxLine+1), false},
		{"a\rb", false},
		{"a\r", false},
		{"a\x00b", false},
	} {
		if got := fitsEightBit(c.body); got != c.want {
			t.Errorf("fitsEightBit(%.20q… %d bytes) = %v, want %v", c.body, len(c.body), got, c.want)
		}
	}
}

// FuzzFitsEightBit holds fitsEightBit to RFC 2045's 8bit rule written out
// plainly: once LFs are CRLFs, no line passes maxLine, and no NUL or CR is
// left outside a CRLF.
func FuzzFitsEightBit(f *testing.F) {
	for _, s := range []string{"", "a\nb", "a\r\nb", "a\rb", strings.Repeat("é", 500), "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		want := !strings.Contains(body, "\x00")
		for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
			if len(line) > maxLine || strings.Contains(line, "\r") {
				want = false
			}
		}
		if got := fitsEightBit(body); got != want {
			t.Errorf("fitsEightBit(%q) = %v, want %v", body, got, want)
		}
	})
}
