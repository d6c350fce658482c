package webhook_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// dsn is a multipart/report delivery status notification about message id,
// as Postfix writes them.
func dsn(id rapport.MessageID, action, status string) string {
	return strings.ReplaceAll(fmt.Sprintf(`From: MAILER-DAEMON@mail.clinic.example
To: care@valley.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

Your message could not be delivered.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.clinic.example

Final-Recipient: rfc822; %s
Action: %s
Status: %s
Diagnostic-Code: smtp; 550 %s mailbox problem

--B1
Content-Type: text/rfc822-headers

From: care@valley.example
To: %s
Subject: Your results
Message-ID: <%s@rapport>
%s: %s

--B1--
`, rosaEmail, action, status, status, rosaEmail, id, smtp.HeaderRapportID, id), "\n", "\r\n")
}

func (e *env) postBounce(body, secret string) answer {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/webhooks/email/bounce", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "message/rfc822")
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	return e.do(req)
}

func TestBounce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.sim.Behave = func(m channel.Message) (channel.Result, error) {
			return channel.Result{ProviderID: "<" + m.ID + "@rapport>", Status: "sent"}, nil
		}
		p := e.patient("en")
		email := func() *rapport.Message {
			return e.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelEmail},
				Content: messaging.Content{ByLang: map[string]messaging.Text{"en": {Subject: "Your results", Body: "Your results are ready."}}, Fallback: "en"}})
		}
		// A soft bounce counts toward staleness as a switched-off phone does:
		// the third since the last answer makes the address stale at once.
		tests := []struct {
			name           string
			action, status string
			secret         string
			code           int
			result         string
			msg            rapport.MessageStatus
			address        rapport.ContactStatus
			soft           int
		}{
			{"no secret", "failed", "5.1.1", "", 401, "", rapport.MessageSent, rapport.StatusValid, 0},
			{"wrong secret", "failed", "5.1.1", "guess", 401, "", rapport.MessageSent, rapport.StatusValid, 0},
			{"delay", "delayed", "4.4.1", bounceSecret, 200, "ignored", rapport.MessageSent, rapport.StatusValid, 0},
			{"soft failure", "failed", "4.2.2", bounceSecret, 200, "soft", rapport.MessageUndelivered, rapport.StatusValid, 1},
			{"policy refusal", "failed", "5.7.1", bounceSecret, 200, "recorded", rapport.MessageUndelivered, rapport.StatusValid, 1},
			{"mailbox full", "failed", "5.2.2", bounceSecret, 200, "soft", rapport.MessageUndelivered, rapport.StatusValid, 2},
			{"transient failure", "failed", "4.4.7", bounceSecret, 200, "soft", rapport.MessageUndelivered, rapport.StatusStale, 3},
			{"hard bounce", "failed", "5.1.1", bounceSecret, 200, "recorded", rapport.MessageUndelivered, rapport.StatusInvalid, 3},
		}
		for _, tt := range tests {
			m := email()
			if m.Status != rapport.MessageSent {
				t.Fatalf("%s: email %s, want sent", tt.name, m.Status)
			}
			a := e.postBounce(dsn(m.ID, tt.action, tt.status), tt.secret)
			if a.status != tt.code || !strings.Contains(a.body, tt.result) {
				t.Fatalf("%s: answer %d %s, want %d %q", tt.name, a.status, a.body, tt.code, tt.result)
			}
			e.idle()
			if got := e.message(m.ID).Status; got != tt.msg {
				t.Errorf("%s: message %s, want %s", tt.name, got, tt.msg)
			}
			if got := e.contact(p.ID, rapport.ContactEmail); got.Status != tt.address || got.SoftFailures != tt.soft {
				t.Errorf("%s: address %s (%s) with %d soft failures, want %s with %d", tt.name, got.Status, got.StatusReason, got.SoftFailures, tt.address, tt.soft)
			}
		}
		// Once the address is invalid, email is no longer chosen.
		if m := email(); m.Status != rapport.MessageSuppressed {
			t.Errorf("email after a hard bounce: %s, want suppressed", m.Status)
		}
	})
}

func TestBounceRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite, options{})
	for _, tt := range []struct {
		name, body string
		code       int
	}{
		{"not a DSN", "From: someone@example.org\r\nSubject: Out of office\r\nContent-Type: text/plain\r\n\r\nI am away.\r\n", 400},
		{"not a message", "\x00\x01garbage", 400},
		{"unknown message", dsn("no-such-message", "failed", "5.1.1"), 200},
	} {
		if a := e.postBounce(tt.body, bounceSecret); a.status != tt.code {
			t.Errorf("%s: status %d, want %d: %s", tt.name, a.status, tt.code, a.body)
		}
	}
}
