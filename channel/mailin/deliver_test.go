package mailin_test

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/mailin"
	rsmtp "github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// start is a Tuesday, 15:00 UTC: 10:00 in Chicago, inside quiet hours.
var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

const (
	rosaEmail = "rosa@example.org"
	replyBase = "reply@valley.example"
)

// world is a real pipeline and journey engine on a real database, with
// the SMTP listener on loopback in front of it.
type world struct {
	*testworld.World
	t    *testing.T
	smtp *mailin.Server
}

func setup(t *testing.T, d store.Dialect) *world {
	t.Helper()
	w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start), Journeys: true})
	srv, err := mailin.Listen(w.Ctx, mailin.ServerConfig{Addr: "127.0.0.1:0", Domains: []string{"valley.example"}},
		&mailin.Receiver{Pipeline: w.Pipeline, ReplyTo: replyBase}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return &world{World: w, t: t, smtp: srv}
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d))
		})
	}
}

func (w *world) idle() { w.t.Helper(); jobstest.WaitIdle(w.t, w.Ctx, w.Queue, 30*time.Second) }

func (w *world) tx(fn func(tx *store.Tx) error) {
	w.t.Helper()
	if err := w.DB.InTx(w.Ctx, fn); err != nil {
		w.t.Fatal(err)
	}
}

// patient creates a patient with one valid email address.
func (w *world) patient(addr string) *rapport.Patient {
	w.t.Helper()
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: "en", TimeZone: "America/Chicago", Contacts: []rapport.ContactPoint{
		{Kind: rapport.ContactEmail, Value: addr, Raw: addr, Status: rapport.StatusValid, Source: rapport.SourceImport}}}
	w.tx(func(tx *store.Tx) error { return tx.CreatePatients(w.Ctx, []*rapport.Patient{p}) })
	return p
}

// email sends a care email to p and returns it once sent.
func (w *world) email(p *rapport.Patient, body string) *rapport.Message {
	w.t.Helper()
	var m *rapport.Message
	w.tx(func(tx *store.Tx) (err error) {
		m, err = w.Pipeline.Send(w.Ctx, tx, messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare,
			Channels: []rapport.Channel{rapport.ChannelEmail}, Content: messaging.Plain("en", body)})
		return err
	})
	w.idle()
	return m
}

// deliver sends raw over SMTP, as the patient's mail server would, and
// waits until the pipeline is done with it.
func (w *world) deliver(from string, to []string, raw string) {
	w.t.Helper()
	if err := smtp.SendMail(w.smtp.Addr(), nil, from, to, []byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
		w.t.Fatalf("SMTP delivery: %v", err)
	}
	w.idle()
}

// reply is a patient's answer to a rapport email.
func reply(from, messageID, body string) string {
	h := fmt.Sprintf("From: Rosa Diaz <%s>\nTo: Valley Clinic <care@valley.example>\nSubject: Re: Valley Clinic\nMessage-ID: <%d@example.org>\n", from, time.Now().UnixNano())
	if messageID != "" {
		h += "In-Reply-To: " + messageID + "\nReferences: " + messageID + "\n"
	}
	return h + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n\nOn Tue, Mar 3, 2026 at 10:00 AM Valley Clinic <care@valley.example> wrote:\n> Hello\n"
}

func (w *world) inbound(p *rapport.Patient) []*rapport.Inbound {
	w.t.Helper()
	ins, err := w.DB.FindPatientInbound(w.Ctx, p.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return ins
}

// TestSMTPReplyStopOptsOut: a STOP answered by email, delivered over SMTP,
// opts the patient out of email: the next care email is suppressed.
func TestSMTPReplyStopOptsOut(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, w *world) {
		rosa := w.patient(rosaEmail)
		m := w.email(rosa, "Your results are ready.")
		w.deliver(rosaEmail, []string{"care@valley.example"}, reply(rosaEmail, rsmtp.MessageID(string(m.ID)), "STOP"))
		ins := w.inbound(rosa)
		if len(ins) != 1 || ins[0].Body != "STOP" || ins[0].InReplyTo != m.ID || ins[0].Intent != "opt_out" || ins[0].Channel != rapport.ChannelEmail {
			t.Fatalf("inbound = %+v, want one STOP replying to %s", ins, m.ID)
		}
		after := w.email(rosa, "Another note.")
		if after.Status != rapport.MessageSuppressed {
			t.Errorf("email after STOP: status %q, want suppressed", after.Status)
		}
	})
}

// TestSMTPReplyAdvancesJourney: "yes" by email, threaded by In-Reply-To,
// answers the outreach offer waiting for it.
func TestSMTPReplyAdvancesJourney(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, w *world) {
		rosa := w.patient(rosaEmail)
		var ens []*rapport.Enrollment
		w.tx(func(tx *store.Tx) (err error) {
			ens, err = w.Engine.Enroll(w.Ctx, tx, "post-visit-checkin", []rapport.PatientID{rosa.ID}, journey.EnrollOptions{Trigger: "test"})
			return err
		})
		w.idle()
		en := w.enrollment(ens[0].ID)
		if en.Status != rapport.EnrollmentWaiting || en.WaitingFor == "" {
			t.Fatalf("enrollment before the reply: %+v", en)
		}
		w.deliver(rosaEmail, []string{"care@valley.example"}, reply(rosaEmail, rsmtp.MessageID(string(en.WaitingFor)), "1"))
		en = w.enrollment(ens[0].ID)
		if en.Status == rapport.EnrollmentWaiting || en.Outcome != "better" {
			t.Errorf("enrollment after the reply \"1\": %+v, want outcome better", en)
		}
	})
}

func (w *world) enrollment(id string) *rapport.Enrollment {
	w.t.Helper()
	var en *rapport.Enrollment
	w.tx(func(tx *store.Tx) error {
		ens, err := tx.FindEnrollmentsByID(w.Ctx, []string{id})
		if err == nil && len(ens) == 1 {
			en = ens[0]
		}
		return err
	})
	if en == nil {
		w.t.Fatalf("no enrollment %s", id)
	}
	return en
}

// TestSMTPThreading: a reply is tied to its message by In-Reply-To, by the
// reply address when a client dropped the headers, and else by the
// sender's address; a header naming no email of ours falls back to the
// sender rather than failing the message.
func TestSMTPThreading(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, w *world) {
		rosa := w.patient(rosaEmail)
		first := w.email(rosa, "First note.")
		w.Clock.Advance(time.Minute)
		second := w.email(rosa, "Second note.")
		cases := []struct {
			name string
			to   string
			raw  string
			want rapport.MessageID
		}{
			{"in-reply-to names the older message", "care@valley.example", reply(rosaEmail, rsmtp.MessageID(string(first.ID)), "about the first"), first.ID},
			{"reply address", rsmtp.ReplyAddress(replyBase, string(first.ID)), reply(rosaEmail, "", "by the reply address"), first.ID},
			{"sender only: the latest message to the address", "care@valley.example", reply(rosaEmail, "", "no headers"), second.ID},
			{"unknown rapport id: the sender", "care@valley.example", reply(rosaEmail, "<no-such-message@rapport>", "unknown id"), second.ID},
		}
		for i, c := range cases {
			w.deliver(rosaEmail, []string{c.to}, c.raw)
			ins := w.inbound(rosa)
			if len(ins) != i+1 {
				t.Fatalf("%s: %d inbound messages, want %d", c.name, len(ins), i+1)
			}
			var in *rapport.Inbound
			for _, x := range ins {
				if strings.Contains(c.raw, "\n"+x.Body+"\n") {
					in = x
				}
			}
			if in == nil || in.InReplyTo != c.want || in.Status != rapport.InboundProcessed || in.PatientID != rosa.ID {
				t.Errorf("%s: inbound %+v, want processed, replying to %s", c.name, in, c.want)
			}
		}
	})
}

// TestSMTPAutomaticMail: an out-of-office answer is never read as a reply,
// and a bounce marks the message undelivered instead.
func TestSMTPAutomaticMail(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, w *world) {
		rosa := w.patient(rosaEmail)
		// An SMTP server answers "sent"; only a bounce says more.
		w.Sim.Behave = func(m channel.Message) (channel.Result, error) {
			return channel.Result{ProviderID: rsmtp.MessageID(m.ID), Status: "sent"}, nil
		}
		m := w.email(rosa, "Your results are ready.")
		mid := rsmtp.MessageID(string(m.ID))
		ooo := "From: rosa@example.org\nTo: care@valley.example\nSubject: Automatic reply: Valley Clinic\nAuto-Submitted: auto-replied\nIn-Reply-To: " + mid + "\n\nI am out of the office. Yes I will reply later.\n"
		w.deliver(rosaEmail, []string{"care@valley.example"}, ooo)
		if ins := w.inbound(rosa); len(ins) != 0 {
			t.Errorf("an out-of-office answer was stored as a reply: %+v", ins)
		}
		bounce := "From: MAILER-DAEMON@mx.example.org\nTo: care@valley.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nI'm sorry.\n" +
			"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; rosa@example.org\nAction: failed\nStatus: 5.1.1\n" +
			"Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: " + mid + "\nSubject: Valley Clinic\n\n--b--\n"
		if err := smtp.SendMail(w.smtp.Addr(), nil, "", []string{"care@valley.example"}, []byte(strings.ReplaceAll(bounce, "\n", "\r\n"))); err != nil {
			t.Fatal(err)
		}
		w.idle()
		if ins := w.inbound(rosa); len(ins) != 0 {
			t.Errorf("a bounce was stored as a reply: %+v", ins)
		}
		got, err := w.DB.FindMessage(w.Ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != rapport.MessageUndelivered {
			t.Errorf("bounced message: status %q, want undelivered", got.Status)
		}
	})
}

// bounceMail is a Postfix-style failure report about the message whose
// Message-ID is mid.
func bounceMail(mid, status string) string {
	return "From: MAILER-DAEMON@mx.example.org\nTo: care@valley.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nI'm sorry.\n" +
		"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; rosa@example.org\nAction: failed\nStatus: " + status + "\n" +
		"Diagnostic-Code: smtp; 552 " + status + " mailbox full\n\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: " + mid + "\nSubject: Valley Clinic\n\n--b--\n"
}

// TestSMTPSoftBounces: a full mailbox bounced back by SMTP is a soft
// failure of the address, as a switched-off phone is for SMS: each counts,
// and the one that reaches the limit makes the address stale at once.
func TestSMTPSoftBounces(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, w *world) {
		rosa := w.patient(rosaEmail)
		w.Sim.Behave = func(m channel.Message) (channel.Result, error) {
			return channel.Result{ProviderID: rsmtp.MessageID(m.ID), Status: "sent"}, nil
		}
		for i, status := range []string{"4.2.2", "5.2.2", "4.4.7"} {
			m := w.email(rosa, "Your results are ready.")
			bounce := bounceMail(rsmtp.MessageID(string(m.ID)), status)
			if err := smtp.SendMail(w.smtp.Addr(), nil, "", []string{"care@valley.example"}, []byte(strings.ReplaceAll(bounce, "\n", "\r\n"))); err != nil {
				t.Fatal(err)
			}
			w.idle()
			if got, err := w.DB.FindMessage(w.Ctx, m.ID); err != nil || got.Status != rapport.MessageUndelivered {
				t.Fatalf("%s bounce: message %+v, %v; want undelivered", status, got, err)
			}
			p, err := w.DB.FindPatientByID(w.Ctx, rosa.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := rapport.StatusValid
			if i == 2 {
				want = rapport.StatusStale
			}
			if c := p.Contacts[0]; c.SoftFailures != i+1 || c.Status != want {
				t.Errorf("after a %s bounce: %d soft failures, %s; want %d, %s", status, c.SoftFailures, c.Status, i+1, want)
			}
		}
	})
}

// TestBounceReport: what each kind of report means for its message and address.
func TestBounceReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		action, status string
		ok             bool
		kind           error
	}{
		{"failed", "5.1.1", true, channel.ErrBadAddress}, // user unknown: mark at once
		{"failed", "5.2.1", true, channel.ErrBadAddress}, // mailbox disabled
		{"failed", "5.2.2", true, channel.ErrRetryable},  // mailbox full: may pass
		{"failed", "4.2.2", true, channel.ErrRetryable},  // the same, said as transient
		{"failed", "4.4.7", true, channel.ErrRetryable},  // gave up retrying
		{"failed", "5.7.1", true, channel.ErrPermanent},  // policy: says nothing of the address
		{"delayed", "4.4.1", false, nil},                 // still trying
		{"delivered", "2.0.0", false, nil},
	}
	for _, tt := range tests {
		b := &rsmtp.Bounce{RecipientStatus: rsmtp.RecipientStatus{Action: tt.action, Status: tt.status}, RapportID: "m1"}
		rep, ok := mailin.BounceReport(b)
		if ok != tt.ok || (ok && (!errors.Is(rep.Err, tt.kind) || rep.Status != rapport.MessageUndelivered || rep.MessageID != "m1" || rep.Err.Code != tt.status)) {
			t.Errorf("%s %s: %+v, %v; want ok %v, %v", tt.action, tt.status, rep, ok, tt.ok, tt.kind)
		}
	}
	if _, ok := mailin.BounceReport(&rsmtp.Bounce{RecipientStatus: rsmtp.RecipientStatus{Action: "failed", Status: "5.1.1"}}); ok {
		t.Error("a report naming no rapport message was applied")
	}
}
