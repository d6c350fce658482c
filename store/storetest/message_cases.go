package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testMessageContent checks that a message's content, kept apart from its
// status row, comes back whole through every finder, and that status
// changes leave it alone.
func testMessageContent(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	email := &rapport.Message{PatientID: p.ID, Channel: rapport.ChannelEmail, To: "rosa@example.net", Purpose: rapport.PurposeCare, Language: "es",
		Subject: "Su cita", Body: "Hola Rosa, ¿confirma su cita?", HTML: "<p>Hola <b>Rosa</b></p>", Status: rapport.MessageQueued,
		NotBefore: Start, Deadline: Start.Add(24 * time.Hour)}
	sms := &rapport.Message{PatientID: p.ID, Channel: rapport.ChannelSMS, To: "+15125550123", Purpose: rapport.PurposeCare, Language: "en",
		Body: "Reply C to confirm", Status: rapport.MessageQueued, NotBefore: Start, Deadline: Start.Add(24 * time.Hour)}
	// Two emails of one campaign share their template; only the values differ.
	tmpl := rapport.MessageText{Subject: "{first_name}, su cita", Body: "Hola {first_name}", HTML: "<p>Hola <b>{first_name}</b> de {org}</p>"}
	var campaign []*rapport.Message
	for _, name := range []string{"Ana", "Luis"} {
		vars := map[string]string{"first_name": name, "org": "Valley"}
		text := tmpl.Fill(vars)
		campaign = append(campaign, &rapport.Message{PatientID: p.ID, Channel: rapport.ChannelEmail, To: "x@example.net", Purpose: rapport.PurposeOutreach,
			Subject: text.Subject, Body: text.Body, HTML: text.HTML, Template: tmpl, Vars: vars, Status: rapport.MessageQueued, NotBefore: Start, Deadline: Start.Add(time.Hour)})
	}
	s.tx(t, func(tx *store.Tx) error {
		return tx.CreateMessages(s.ctx, append([]*rapport.Message{email, sms}, campaign...))
	})
	again := *campaign[1] // the template again, in a later transaction
	again.ID = ""
	s.tx(t, func(tx *store.Tx) error { return tx.CreateMessages(s.ctx, []*rapport.Message{&again}) })
	campaign = append(campaign, &again)
	s.clock.Advance(time.Minute)
	s.tx(t, func(tx *store.Tx) error {
		return tx.UpdateMessages(s.ctx, []store.MessageUpdate{
			{ID: email.ID, Status: rapport.MessageSent, ProviderID: "<x@rapport>", SentAt: s.clock.Now()},
			{ID: sms.ID, Status: rapport.MessageFailed, Reason: "bad number"},
		})
	})

	s.tx(t, func(tx *store.Tx) error {
		states, err := tx.MessageStates(s.ctx, []rapport.MessageID{email.ID, sms.ID, "nope"})
		if err != nil {
			return err
		}
		want := map[rapport.MessageID]store.MessageState{
			email.ID: {Status: rapport.MessageSent, Channel: rapport.ChannelEmail, Purpose: rapport.PurposeCare},
			sms.ID:   {Status: rapport.MessageFailed, Channel: rapport.ChannelSMS, Purpose: rapport.PurposeCare},
		}
		if !reflect.DeepEqual(states, want) {
			t.Errorf("MessageStates = %v, want %v", states, want)
		}
		return nil
	})

	check := func(where string, got *rapport.Message, want *rapport.Message, status rapport.MessageStatus) {
		t.Helper()
		if got.Subject != want.Subject || got.Body != want.Body || got.HTML != want.HTML {
			t.Errorf("%s: content = %q / %q / %q, want %q / %q / %q", where, got.Subject, got.Body, got.HTML, want.Subject, want.Body, want.HTML)
		}
		if got.Status != status {
			t.Errorf("%s: status %s, want %s", where, got.Status, status)
		}
	}
	all, err := s.db.FindPatientMessages(s.ctx, p.ID)
	if err != nil || len(all) != 5 {
		t.Fatalf("FindPatientMessages: %d messages, %v", len(all), err)
	}
	byID := map[rapport.MessageID]*rapport.Message{}
	for _, m := range all {
		byID[m.ID] = m
	}
	check("FindPatientMessages email", byID[email.ID], email, rapport.MessageSent)
	check("FindPatientMessages sms", byID[sms.ID], sms, rapport.MessageFailed)
	for _, m := range campaign {
		check("FindPatientMessages campaign", byID[m.ID], m, rapport.MessageQueued)
		if got := byID[m.ID]; got.Template != tmpl || got.Vars["first_name"] == "" {
			t.Errorf("campaign message: template %+v, vars %v", got.Template, got.Vars)
		}
	}
	if byID[campaign[0].ID].Body != "Hola Ana" || byID[campaign[1].ID].HTML != "<p>Hola <b>Luis</b> de Valley</p>" {
		t.Errorf("campaign rendered as %q and %q", byID[campaign[0].ID].Body, byID[campaign[1].ID].HTML)
	}
	var contents int
	if err := s.db.SQLDB().QueryRowContext(s.ctx, "SELECT count(*) FROM message_contents").Scan(&contents); err != nil || contents != 3 {
		t.Errorf("%d message contents (%v), want 3: the campaign's template once", contents, err)
	}
	one, err := s.db.FindMessage(s.ctx, email.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("FindMessage", one, email, rapport.MessageSent)
	s.tx(t, func(tx *store.Tx) error {
		ms, err := tx.FindMessagesByID(s.ctx, []rapport.MessageID{sms.ID, email.ID})
		if err != nil {
			return err
		}
		if len(ms) != 2 {
			t.Fatalf("FindMessagesByID: %d messages", len(ms))
		}
		for _, m := range ms {
			if m.ID == email.ID {
				check("FindMessagesByID", m, email, rapport.MessageSent)
			} else {
				check("FindMessagesByID", m, sms, rapport.MessageFailed)
			}
		}
		m, err := tx.FindMessageByProviderID(s.ctx, "<x@rapport>")
		if err != nil {
			return err
		}
		check("FindMessageByProviderID", m, email, rapport.MessageSent)
		return nil
	})
}

// testLastMessageTo: a reply answers the latest message that may have
// reached the address — sent, or queued and due (its worker may have died
// after the provider took it) — never one still held for later.
func testLastMessageTo(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	const to = "+15125550188"
	msg := func(status rapport.MessageStatus, notBefore time.Time) *rapport.Message {
		return &rapport.Message{PatientID: p.ID, Channel: rapport.ChannelSMS, To: to, Purpose: rapport.PurposeOutreach, Language: "en",
			Body: "Hi", Status: status, NotBefore: notBefore, Deadline: notBefore.Add(24 * time.Hour)}
	}
	sent := msg(rapport.MessageQueued, Start)
	s.tx(t, func(tx *store.Tx) error { return tx.CreateMessages(s.ctx, []*rapport.Message{sent}) })
	s.clock.Advance(time.Minute)
	s.tx(t, func(tx *store.Tx) error {
		return tx.UpdateMessages(s.ctx, []store.MessageUpdate{{ID: sent.ID, Status: rapport.MessageSent, SentAt: s.clock.Now()}})
	})
	last := func() rapport.MessageID {
		t.Helper()
		var id rapport.MessageID
		s.tx(t, func(tx *store.Tx) error {
			m, err := tx.LastMessageTo(s.ctx, rapport.ChannelSMS, to)
			if err == nil {
				id = m.ID
			}
			return err
		})
		return id
	}
	held := msg(rapport.MessageQueued, s.clock.Now().Add(10*time.Hour)) // quiet hours: goes out in the morning
	s.tx(t, func(tx *store.Tx) error { return tx.CreateMessages(s.ctx, []*rapport.Message{held}) })
	if got := last(); got != sent.ID {
		t.Errorf("with a message held for later: last = %s, want the sent one %s", got, sent.ID)
	}
	s.clock.Advance(time.Hour)
	due := msg(rapport.MessageQueued, s.clock.Now()) // taken by the provider, its worker killed before recording
	s.tx(t, func(tx *store.Tx) error { return tx.CreateMessages(s.ctx, []*rapport.Message{due}) })
	s.clock.Advance(time.Second)
	if got := last(); got != due.ID {
		t.Errorf("with a due message unrecorded: last = %s, want it (%s)", got, due.ID)
	}
}
