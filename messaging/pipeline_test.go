package messaging_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

func TestSendDelivers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("es", mobile("+15125550123"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare,
			Content: messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{"en": {Body: "Hi {first_name}"}, "es": {Body: "Hola {first_name}"}}}})
		if m.Status != rapport.MessageQueued || m.Channel != rapport.ChannelSMS || m.Body != "Hola Rosa" || m.To != "+15125550123" {
			t.Fatalf("queued message = %+v", m)
		}
		h.idle()
		got := h.message(m.ID)
		if got.Status != rapport.MessageDelivered || got.ProviderID == "" || got.SentAt.IsZero() {
			t.Errorf("after the job: %+v", got)
		}
		sent := h.sim.Sent()
		if len(sent) != 1 || sent[0].ID != string(m.ID) || sent[0].From != "+15125550199" {
			t.Errorf("simulator got %+v", sent)
		}
		// The ledger hears of the attempt and its outcome, not of the plan.
		for k, want := range map[rapport.EventKind]int{"message.queued": 0, rapport.EventMessageSent: 1, rapport.EventMessageDelivered: 1} {
			if n := len(h.events(p.ID, k)); n != want {
				t.Errorf("%s events = %d, want %d", k, n, want)
			}
		}
	})
}

func TestQuietHoursDefer(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.clock.Set(time.Date(2026, 3, 4, 4, 30, 0, 0, time.UTC)) // 22:30 in Chicago
		p := h.patient("en", mobile("+15125550123"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Content: en("Hello")})
		want := time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC) // 08:00 in Chicago
		if !m.NotBefore.Equal(want) {
			t.Fatalf("not before = %v, want %v", m.NotBefore, want)
		}
		h.idle()
		if got := h.message(m.ID); got.Status != rapport.MessageQueued {
			t.Fatalf("sent in quiet hours: %+v", got)
		}
		h.advance(9*time.Hour + 29*time.Minute)
		if got := h.message(m.ID); got.Status != rapport.MessageQueued {
			t.Fatalf("sent at 07:59: %+v", got)
		}
		h.advance(time.Minute)
		if got := h.message(m.ID); got.Status != rapport.MessageDelivered || got.SentAt.Before(want) {
			t.Errorf("at 08:00: %+v", got)
		}
	})
}

func TestUrgentIgnoresQuietHours(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.clock.Set(time.Date(2026, 3, 4, 4, 30, 0, 0, time.UTC))
		p := h.patient("en", mobile("+15125550123"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Urgent: true, Content: en("Call us now")})
		h.idle()
		if got := h.message(m.ID); got.Status != rapport.MessageDelivered {
			t.Errorf("urgent message: %+v", got)
		}
	})
}

func TestChannelChoice(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		cases := []struct {
			name     string
			contacts []rapport.ContactPoint
			channels []rapport.Channel
			want     rapport.Channel
			reason   string
		}{
			{"mobile gets sms", []rapport.ContactPoint{mobile("+15125550101")}, nil, rapport.ChannelSMS, ""},
			{"landline gets a call", []rapport.ContactPoint{landline("+15125550102")}, nil, rapport.ChannelVoice, ""},
			{"no phone gets email", []rapport.ContactPoint{email("a@example.org")}, nil, rapport.ChannelEmail, ""},
			{"invalid phone is skipped", []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "555-0100", Status: rapport.StatusInvalid}, email("b@example.org")}, nil, rapport.ChannelEmail, ""},
			{"nothing usable", []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "x", Status: rapport.StatusUnreachable, Value: "+15125550103"}}, nil, "", "no usable contact point"},
			{"sms only to a landline", []rapport.ContactPoint{landline("+15125550104")}, []rapport.Channel{rapport.ChannelSMS}, "", "no usable contact point for sms"},
		}
		for _, c := range cases {
			p := h.patient("en", c.contacts...)
			m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: c.channels, Content: en("Hi")})
			if m.Channel != c.want || !strings.Contains(m.StatusReason, c.reason) {
				t.Errorf("%s: channel %q reason %q; want %q and %q", c.name, m.Channel, m.StatusReason, c.want, c.reason)
			}
			if c.want == "" && m.Status != rapport.MessageSuppressed {
				t.Errorf("%s: status %s, want suppressed", c.name, m.Status)
			}
		}
	})
}

func TestBadNumberFallsBack(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.sim.Behave = func(m channel.Message) (channel.Result, error) {
			if m.Channel == rapport.ChannelSMS {
				return channel.Result{}, &channel.Error{Kind: channel.ErrBadAddress, Code: "21211", Msg: "invalid To"}
			}
			return channel.Result{ProviderID: "X" + m.ID, Status: "sent"}, nil
		}
		p := h.patient("en", mobile("+15125550123"), email("rosa@example.org"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Your results are ready")})
		h.idle()
		if got := h.message(m.ID); got.Status != rapport.MessageFailed || !strings.Contains(got.StatusReason, "21211") {
			t.Errorf("sms: %+v", got)
		}
		got, err := h.db.FindPatientByID(h.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got.Contacts {
			if c.Kind == rapport.ContactPhone && (c.Status != rapport.StatusInvalid || !strings.Contains(c.StatusReason, "21211")) {
				t.Errorf("phone after 21211: %s %q", c.Status, c.StatusReason)
			}
		}
		sent := h.sim.Sent()
		if len(sent) != 2 || sent[1].Channel != rapport.ChannelEmail || sent[1].Body != "Your results are ready" {
			t.Errorf("fallback: %+v", sent)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		calls := 0
		h.sim.Behave = func(m channel.Message) (channel.Result, error) {
			calls++
			if calls == 1 {
				return channel.Result{}, &channel.Error{Kind: channel.ErrRetryable, Code: "20429", RetryAfter: 2 * time.Minute, Msg: "too many requests"}
			}
			return channel.Result{ProviderID: "X", Status: "sent"}, nil
		}
		p := h.patient("en", mobile("+15125550123"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Hi")})
		h.idle()
		if got := h.message(m.ID); got.Status != rapport.MessageQueued {
			t.Fatalf("after a 429: %+v", got)
		}
		h.advance(time.Minute)
		if calls != 1 {
			t.Fatalf("retried before Retry-After: %d calls", calls)
		}
		h.advance(90 * time.Second)
		if got := h.message(m.ID); got.Status != rapport.MessageSent || calls != 2 {
			t.Errorf("after Retry-After: %+v (%d calls)", got, calls)
		}
	})
}

func TestGiveUpAtDeadline(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.sim.Behave = func(m channel.Message) (channel.Result, error) {
			return channel.Result{}, &channel.Error{Kind: channel.ErrRetryable, Msg: "server error"}
		}
		p := h.patient("en", mobile("+15125550123"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Hi")})
		for range 40 {
			h.advance(time.Hour)
			if h.message(m.ID).Status.Final() {
				break
			}
		}
		if got := h.message(m.ID); got.Status != rapport.MessageFailed || !strings.Contains(got.StatusReason, "deadline") {
			t.Errorf("after a day of failures: %+v", got)
		}
	})
}

var _ = store.SQLite

func TestEmailCarriesUnsubscribeLink(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.p.UnsubscribeURL = func(id rapport.MessageID) string { return "https://clinic.example/unsubscribe/" + string(id) }
		p := h.patient("en", email("rosa@example.org"), mobile("+15125550123"))
		news := messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{"en": {Subject: "News", Body: "News", HTML: "<html><body><p>News</p></body></html>"}}}
		e := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Channels: []rapport.Channel{rapport.ChannelEmail}, Content: news})
		s := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelSMS}, Content: en("Hi")})
		h.idle()
		for _, m := range h.sim.Sent() {
			switch m.ID {
			case string(e.ID):
				link := "https://clinic.example/unsubscribe/" + string(e.ID)
				if m.UnsubscribeURL != link {
					t.Errorf("email unsubscribe link = %q", m.UnsubscribeURL)
				}
				// The footer shows the link to every reader, whatever the
				// mail client does with the header.
				if want := "News\n\n--\nTo stop these emails, unsubscribe: " + link + "\n"; m.Body != want {
					t.Errorf("email text = %q, want %q", m.Body, want)
				}
				if !strings.HasSuffix(m.HTML, `<a href="`+link+`">unsubscribe</a>.</p></body></html>`) {
					t.Errorf("email HTML has no unsubscribe footer before </body>: %q", m.HTML)
				}
			case string(s.ID):
				if m.UnsubscribeURL != "" || m.Body != "Hi" {
					t.Errorf("an SMS got an unsubscribe link %q or footer %q", m.UnsubscribeURL, m.Body)
				}
			}
		}
		if len(h.sim.Sent()) != 2 {
			t.Errorf("sent %d messages, want 2", len(h.sim.Sent()))
		}
	})
}

// TestUrgentOnlyForCare: the pipeline refuses an urgent outreach message
// (urgent skips quiet hours and caps) and stores nothing.
func TestUrgentOnlyForCare(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("en", mobile("+15125550123"))
		err := h.db.InTx(h.ctx, func(tx *store.Tx) error {
			_, err := h.p.Send(h.ctx, tx, messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Urgent: true, Content: en("Offer")})
			return err
		})
		if rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(err.Error(), "urgent") {
			t.Fatalf("urgent outreach: %v, want EINVALID naming urgent", err)
		}
		if ms, _ := h.db.FindPatientMessages(h.ctx, p.ID); len(ms) != 0 {
			t.Errorf("%d messages stored for a refused request", len(ms))
		}
	})
}
