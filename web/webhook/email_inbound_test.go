package webhook_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/web/webhook"
)

// sendgridPost builds a SendGrid Inbound Parse post (multipart/form-data,
// default mode): the header block, decoded text and html, the envelope and
// charsets as JSON, and an attachment that must be skipped.
func sendgridPost(t *testing.T, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("attachment1", "scan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte("%PDF-1.4 not read"))
	mw.Close()
	return &b, mw.FormDataContentType()
}

func (e *env) postInbound(secret string, fields map[string]string) (int, string) {
	e.t.Helper()
	body, ct := sendgridPost(e.t, fields)
	resp, err := http.Post(e.srv.URL+webhook.PathInboundEmail+secret, ct, body)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Result string `json:"result"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.Result
}

func TestInboundEmailWebhook(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		rosa := e.patient("en")
		m := e.send(messaging.Request{PatientID: rosa.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelEmail},
			Content: messaging.Plain("en", "Your results are ready.")})
		headers := "Received: by mx.sendgrid.net\nFrom: Rosa Diaz <" + rosaEmail + ">\nTo: care@valley.example\nSubject: Re: Valley Clinic\n" +
			"Message-ID: <abc@example.org>\nIn-Reply-To: " + smtp.MessageID(string(m.ID)) + "\n"
		reply := map[string]string{
			"headers": headers, "from": "Rosa Diaz <" + rosaEmail + ">", "to": "care@valley.example", "subject": "Re: Valley Clinic",
			"text":     "Gracias, no\n\nOn Tue, Mar 3, 2026 Valley Clinic wrote:\n> Your results are ready.\n",
			"html":     "<p>Gracias, no</p>",
			"envelope": `{"to":["care@valley.example"],"from":"` + rosaEmail + `"}`,
			"charsets": `{"to":"UTF-8","html":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"UTF-8"}`,
			"SPF":      "pass", "sender_ip": "192.0.2.1", "spam_score": "0.1",
		}
		if code, res := e.postInbound("wrong-secret", reply); code != http.StatusNotFound {
			t.Errorf("wrong secret: %d %s, want 404", code, res)
		}
		if code, res := e.postInbound(inboundSecret, reply); code != 200 || res != "received" {
			t.Fatalf("post: %d %q, want 200 received", code, res)
		}
		if code, res := e.postInbound(inboundSecret, reply); code != 200 || res != "repeated" {
			t.Errorf("second post of the same message: %d %q, want 200 repeated", code, res)
		}
		e.idle()
		ins, err := e.db.FindPatientInbound(e.ctx, rosa.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ins) != 1 || ins[0].Body != "Gracias, no" || ins[0].InReplyTo != m.ID || ins[0].Channel != rapport.ChannelEmail || ins[0].Status != rapport.InboundProcessed {
			t.Fatalf("inbound = %+v, want one processed reply to %s", ins, m.ID)
		}

		ooo := map[string]string{"headers": "From: " + rosaEmail + "\nSubject: Out of Office: Valley Clinic\nAuto-Submitted: auto-replied\n", "text": "I am away until Monday."}
		if code, res := e.postInbound(inboundSecret, ooo); code != 200 || res != "auto_reply" {
			t.Errorf("out of office: %d %q, want 200 auto_reply", code, res)
		}
		raw := "From: " + rosaEmail + "\r\nSubject: Re: Valley Clinic\r\nMessage-ID: <raw1@example.org>\r\nIn-Reply-To: " + smtp.MessageID(string(m.ID)) + "\r\n\r\nSTOP\r\n"
		if code, res := e.postInbound(inboundSecret, map[string]string{"email": raw, "envelope": `{"to":["care@valley.example"],"from":"` + rosaEmail + `"}`}); code != 200 || res != "received" {
			t.Errorf("raw mode: %d %q, want 200 received", code, res)
		}
		e.idle()
		if ins, _ := e.db.FindPatientInbound(e.ctx, rosa.ID); len(ins) != 2 {
			t.Errorf("after an out-of-office and a raw STOP: %d inbound, want 2", len(ins))
		}
	})
}

// TestInboundEmailWebhookRefuses: malformed posts are 400, and a client
// that keeps guessing the secret is answered 429 before it is checked.
func TestInboundEmailWebhookRefuses(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite", options{})
	resp, err := http.Post(e.srv.URL+webhook.PathInboundEmail+inboundSecret, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("json body: %d, want 400", resp.StatusCode)
	}
	if code, _ := e.postInbound(inboundSecret, map[string]string{"text": "no headers"}); code != http.StatusBadRequest {
		t.Errorf("no headers: %d, want 400", code)
	}
	codes := map[int]int{}
	for range 30 {
		code, _ := e.postInbound("guess", map[string]string{"text": "x"})
		codes[code]++
	}
	if codes[http.StatusTooManyRequests] == 0 || codes[http.StatusNotFound] == 0 {
		t.Errorf("30 wrong secrets: %v, want 404s then 429s", codes)
	}
}
