package smtp

import (
	"context"
	"net/mail"
	"strings"
	"testing"
)

func TestReplyAddress(t *testing.T) {
	t.Parallel()
	cases := []struct{ base, id, want string }{
		{"reply@clinic.example", "01JNQ8W4X7Y5Z3", "reply+01JNQ8W4X7Y5Z3@clinic.example"},
		{"reply@clinic.example", "a b", "reply+a%20b@clinic.example"},
		{"Reply.To@Clinic.Example", "m1", "Reply.To+m1@Clinic.Example"},
	}
	for _, c := range cases {
		got := ReplyAddress(c.base, c.id)
		if got != c.want {
			t.Errorf("ReplyAddress(%q, %q) = %q, want %q", c.base, c.id, got, c.want)
		}
		if _, err := mail.ParseAddress(got); err != nil {
			t.Errorf("ReplyAddress(%q, %q) = %q does not parse: %v", c.base, c.id, got, err)
		}
		if id, ok := ReplyID(strings.ToLower(c.base), strings.ToLower(got)); !ok || !strings.EqualFold(id, c.id) {
			t.Errorf("ReplyID(%q) = %q, %v; want %q", got, id, ok, c.id)
		}
	}
	for _, addr := range []string{"reply@clinic.example", "reply+@clinic.example", "other+m1@clinic.example", "reply+m1@other.example", "reply+a%2@clinic.example", "nonsense"} {
		if id, ok := ReplyID("reply@clinic.example", addr); ok {
			t.Errorf("ReplyID(%q) = %q, want none", addr, id)
		}
	}
}

func TestConfigReplyTo(t *testing.T) {
	t.Parallel()
	for v, ok := range map[string]bool{"": true, "reply@clinic.example": true, "Clinic <reply@clinic.example>": false, "reply+x@clinic.example": false, "nope": false} {
		c := Config{URL: "smtp://mail.example", From: "care@clinic.example", ReplyTo: v}
		if err := c.Validate(); (err == nil) != ok {
			t.Errorf("ReplyTo %q: Validate = %v", v, err)
		} else if err != nil && !strings.Contains(err.Error(), EnvReplyTo) {
			t.Errorf("ReplyTo %q: the error %q does not name %s", v, err, EnvReplyTo)
		}
	}
}

// TestSendReplyTo checks the Reply-To that carries the message id, and
// that none is set when it is not configured.
func TestSendReplyTo(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"reply@clinic.example", ""} {
		st := newSetup(t, func(c *Config) { c.ReplyTo = base })
		if _, err := st.sender.Send(context.Background(), testMessage("01JNQ8W4X7Y5Z3", "ana.lopez@example.net")); err != nil {
			t.Fatal(err)
		}
		got := st.srv.received()
		msg, err := mail.ReadMessage(strings.NewReader(string(got[0].data)))
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if base != "" {
			want = "<reply+01JNQ8W4X7Y5Z3@clinic.example>"
		}
		if v := msg.Header.Get("Reply-To"); v != want {
			t.Errorf("with reply-to %q: Reply-To = %q, want %q", base, v, want)
		}
	}
}
