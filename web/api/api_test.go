package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite)
	p := e.patient("en")
	endpoints := []struct{ method, path string }{
		{"POST", "/api/v1/messages"},
		{"GET", "/api/v1/patients/" + string(p.ID) + "/conversation"},
		{"GET", "/api/v1/inbox"},
		{"POST", "/api/v1/inbox/nope/resolve"},
	}
	for _, ep := range endpoints {
		for _, tt := range []struct {
			who   string
			token string
			want  int
		}{
			{"nobody", "", 401},
			{"a forged token", "rpt_notatoken", 401},
			{"integration", e.integration, 403},
		} {
			if a := e.do(ep.method, ep.path, tt.token, map[string]string{}); a.status != tt.want {
				t.Errorf("%s %s as %s: %d, want %d: %s", ep.method, ep.path, tt.who, a.status, tt.want, a.body)
			}
		}
		// Staff and admin get past authentication (to whatever the request deserves).
		for _, tok := range []string{e.staff, e.admin} {
			if a := e.do(ep.method, ep.path, tok, map[string]string{}); a.status == 401 || a.status == 403 {
				t.Errorf("%s %s as staff/admin: %d", ep.method, ep.path, a.status)
			}
		}
	}
}

func TestSendMessage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("es")
		a := e.do("POST", "/api/v1/messages", e.staff, map[string]any{"patient_id": p.ID, "body": "Su cita es mañana.", "purpose": "care"})
		if a.status != 201 {
			t.Fatalf("send: %d %s", a.status, a.body)
		}
		var res api.SendResponse
		a.into(t, &res)
		if res.ID == "" || res.Status != rapport.MessageQueued || res.Channel != rapport.ChannelSMS || res.NotBefore == nil || res.Reason != "" {
			t.Fatalf("answer %+v, want a queued SMS", res)
		}
		m, err := e.db.FindMessage(e.ctx, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.PatientID != p.ID || m.Body != "Su cita es mañana." || m.Language != "es" || m.To != rosaMobile {
			t.Errorf("stored %+v", m)
		}
		e.idle()
		if m, _ := e.db.FindMessage(e.ctx, res.ID); m.Status != rapport.MessageDelivered {
			t.Errorf("after the queue ran: %s, want delivered (simulator)", m.Status)
		}
		as := e.audits(p.ID)
		if len(as) != 1 || as[0].Action != "send" || as[0].Actor.Name != "nurse-desk" || as[0].Resource != "Message/"+string(res.ID) {
			t.Errorf("audit %+v, want one send by nurse-desk", as)
		}
	})
}

func TestSendMessageSuppressed(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite)
	p := e.patient("en")
	// Email is asked for and Rosa has none: suppressed, an answer with the reason.
	a := e.do("POST", "/api/v1/messages", e.staff, map[string]any{"patient_id": p.ID, "body": "News", "purpose": "outreach", "channel": "email"})
	var res api.SendResponse
	a.into(t, &res)
	if a.status != 200 || res.Status != rapport.MessageSuppressed || res.Reason == "" || res.NotBefore != nil {
		t.Fatalf("answer %d %+v, want 200 suppressed with a reason", a.status, res)
	}
	// After STOP, SMS is suppressed too.
	if err := e.db.InTx(e.ctx, func(tx *store.Tx) error {
		for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
			if err := tx.RecordConsent(e.ctx, &rapport.Consent{PatientID: p.ID, Channel: rapport.ChannelSMS, Purpose: purpose, Decision: rapport.OptOut, Source: rapport.SourcePatient}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	a = e.do("POST", "/api/v1/messages", e.staff, map[string]any{"patient_id": p.ID, "body": "Hello", "purpose": "care", "channel": "sms"})
	a.into(t, &res)
	if a.status != 200 || res.Status != rapport.MessageSuppressed || res.Reason == "" {
		t.Fatalf("after STOP: %d %+v, want 200 suppressed with a reason", a.status, res)
	}
}

func TestSendMessageBadRequests(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite)
	p := e.patient("en")
	tests := []struct {
		name string
		body any
		code int
		says string
	}{
		{"not JSON", []byte("{"), 400, ""},
		{"empty", []byte(""), 400, "empty"},
		{"trailing data", []byte(`{"patient_id":"x","body":"b","purpose":"care"} {}`), 400, "after the JSON"},
		{"no patient", map[string]any{"body": "b", "purpose": "care"}, 400, "patient_id"},
		{"no body", map[string]any{"patient_id": p.ID, "purpose": "care"}, 400, "body"},
		{"blank body", map[string]any{"patient_id": p.ID, "body": "  ", "purpose": "care"}, 400, "body"},
		{"no purpose", map[string]any{"patient_id": p.ID, "body": "b"}, 400, "purpose"},
		{"bad purpose", map[string]any{"patient_id": p.ID, "body": "b", "purpose": "sales"}, 400, "purpose"},
		{"bad channel", map[string]any{"patient_id": p.ID, "body": "b", "purpose": "care", "channel": "fax"}, 400, "channel"},
		{"urgent outreach", map[string]any{"patient_id": p.ID, "body": "b", "purpose": "outreach", "urgent": true}, 400, "urgent: urgent is only for purpose care"},
		{"unknown field", map[string]any{"patient_id": p.ID, "body": "b", "purpose": "care", "priority": "high"}, 400, "priority"},
		{"wrong type", map[string]any{"patient_id": p.ID, "body": 7, "purpose": "care"}, 400, "body"},
		{"unknown patient", map[string]any{"patient_id": "no-such-patient", "body": "b", "purpose": "care"}, 404, "not found"},
		{"too large", []byte(`{"patient_id":"x","body":"` + strings.Repeat("a", 1<<20) + `","purpose":"care"}`), 413, "1 MB"},
	}
	for _, tt := range tests {
		a := e.do("POST", "/api/v1/messages", e.staff, tt.body)
		if a.status != tt.code || !strings.Contains(a.errorMessage(t), tt.says) {
			t.Errorf("%s: %d %s, want %d saying %q", tt.name, a.status, a.body, tt.code, tt.says)
		}
	}
	if ms, _ := e.db.FindPatientMessages(e.ctx, p.ID); len(ms) != 0 {
		t.Errorf("%d messages stored by bad requests", len(ms))
	}
}

func TestConversation(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		send := func(body string) rapport.MessageID {
			a := e.do("POST", "/api/v1/messages", e.staff, map[string]any{"patient_id": p.ID, "body": body, "purpose": "care"})
			var res api.SendResponse
			a.into(t, &res)
			e.idle()
			return res.ID
		}
		reply := func(body string) {
			if _, err := e.p.Receive(e.ctx, &rapport.Inbound{Channel: rapport.ChannelSMS, From: rosaMobile, To: ourNumber, Body: body,
				ProviderID: fmt.Sprintf("SM%d", time.Now().UnixNano())}); err != nil {
				t.Fatal(err)
			}
			e.idle()
		}
		first := send("How are you feeling?")
		e.clock.Advance(time.Minute)
		reply("Better, thanks")
		e.clock.Advance(time.Minute)
		second := send("Glad to hear it.")

		a := e.do("GET", "/api/v1/patients/"+string(p.ID)+"/conversation", e.staff, nil)
		if a.status != 200 {
			t.Fatalf("conversation: %d %s", a.status, a.body)
		}
		var c api.Conversation
		a.into(t, &c)
		var got []string
		for _, m := range c.Messages {
			got = append(got, m.Direction+":"+m.Body+":"+m.Status)
		}
		want := []string{"out:How are you feeling?:delivered", "in:Better, thanks:processed", "out:Glad to hear it.:delivered"}
		if c.PatientID != p.ID || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("conversation %v, want %v", got, want)
		}
		if c.Messages[0].ID != string(first) || c.Messages[2].ID != string(second) || c.Messages[1].InReplyTo != first || c.Messages[1].Intent == "" {
			t.Errorf("messages %+v", c.Messages)
		}
		reads := 0
		for _, au := range e.audits(p.ID) {
			if au.Action == "read" && au.Actor.Name == "nurse-desk" && strings.HasSuffix(au.Resource, "/conversation") {
				reads++
			}
		}
		if reads != 1 {
			t.Errorf("%d conversation reads audited, want 1", reads)
		}
		if a := e.do("GET", "/api/v1/patients/no-such-patient/conversation", e.staff, nil); a.status != 404 {
			t.Errorf("unknown patient: %d", a.status)
		}
	})
}

func TestInbox(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.patient("en")
		// A reply no journey waits for lands in the inbox.
		if _, err := e.p.Receive(e.ctx, &rapport.Inbound{Channel: rapport.ChannelSMS, From: rosaMobile, To: ourNumber, Body: "Can I come on Friday?", ProviderID: "SM1"}); err != nil {
			t.Fatal(err)
		}
		e.idle()
		list := func(query string) []*rapport.InboxItem {
			t.Helper()
			a := e.do("GET", "/api/v1/inbox"+query, e.staff, nil)
			if a.status != 200 {
				t.Fatalf("inbox%s: %d %s", query, a.status, a.body)
			}
			var in api.Inbox
			a.into(t, &in)
			return in.Items
		}
		items := list("?open=true&kind=reply")
		if len(items) != 1 || items[0].PatientID != p.ID || items[0].Kind != rapport.InboxReply {
			t.Fatalf("open replies %+v, want Rosa's", items)
		}
		if n := len(list("?kind=care_task")); n != 0 {
			t.Errorf("%d care tasks, want 0", n)
		}
		for _, q := range []string{"?kind=nonsense", "?priority=meh", "?open=perhaps", "?limit=0", "?colour=red"} {
			if a := e.do("GET", "/api/v1/inbox"+q, e.staff, nil); a.status != 400 {
				t.Errorf("inbox%s: %d, want 400", q, a.status)
			}
		}
		id := items[0].ID
		a := e.do("POST", "/api/v1/inbox/"+id+"/resolve", e.staff, map[string]string{"note": "Called her back; moved to Friday."})
		var it rapport.InboxItem
		a.into(t, &it)
		if a.status != 200 || it.ResolvedAt.IsZero() || it.ResolvedBy != "nurse-desk" || it.Note != "Called her back; moved to Friday." {
			t.Fatalf("resolve: %d %s", a.status, a.body)
		}
		if a := e.do("POST", "/api/v1/inbox/"+id+"/resolve", e.staff, map[string]string{"note": "again"}); a.status != 409 {
			t.Errorf("second resolve: %d, want 409", a.status)
		}
		if a := e.do("POST", "/api/v1/inbox/no-such-item/resolve", e.staff, map[string]string{}); a.status != 404 {
			t.Errorf("unknown item: %d, want 404", a.status)
		}
		if n := len(list("?open=true")); n != 0 {
			t.Errorf("%d open items after resolving, want 0", n)
		}
		if n := len(list("")); n != 1 {
			t.Errorf("%d items in all, want 1", n)
		}
		evs, err := e.db.FindEvents(e.ctx, rapport.EventFilter{PatientID: p.ID, Kind: rapport.EventInboxResolved})
		if err != nil || len(evs) != 1 {
			t.Errorf("ledger: %d resolved events, err %v", len(evs), err)
		}
		actions := map[string]int{}
		for _, au := range e.audits(p.ID) {
			actions[au.Action]++
		}
		if actions["read"] == 0 || actions["update"] != 1 {
			t.Errorf("audit actions %v, want reads and one update", actions)
		}
	})
}
