package main

import (
	"context"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/web/api"
)

// TestServeReceivesEmailReplies starts serve with --smtp-addr and delivers
// a patient's STOP over SMTP: it lands in the patient's conversation as an
// inbound email, read as an opt-out.
func TestServeReceivesEmailReplies(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"RAPPORT_DB": "sqlite:" + filepath.Join(t.TempDir(), "r.db")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errs syncBuffer
	if code := Main(ctx, messagingEnv(vars, &out, &errs), []string{"token", "create", "--role", "staff", "--name", "front-desk"}); code != 0 {
		t.Fatalf("token create: %d %s", code, errs.String())
	}
	token := strings.TrimSpace(out.String())
	ndjson := filepath.Join(t.TempDir(), "Patient.ndjson")
	patient := `{"resourceType":"Patient","id":"rosa","identifier":[{"system":"urn:test:mrn","value":"MRN-8"}],` +
		`"name":[{"family":"Diaz","given":["Rosa"]}],"birthDate":"1961-04-02",` +
		`"telecom":[{"system":"email","value":"rosa.diaz@example.org"}],"address":[{"state":"TX","country":"US"}]}`
	if err := os.WriteFile(ndjson, []byte(patient+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := Main(ctx, messagingEnv(vars, &out, &errs), []string{"import", "fhir", ndjson}); code != 0 {
		t.Fatalf("import: %d %s", code, errs.String())
	}

	addr, smtpAddr := freeAddr(t), freeAddr(t)
	base := "http://" + addr
	serveUntilDone(ctx, t, cancel, vars, "receiving email replies on smtp://"+smtpAddr, "--addr", addr, "--smtp-addr", smtpAddr, "--quiet-hours", "00:00-24:00")

	msg := "From: Rosa Diaz <rosa.diaz@example.org>\r\nTo: care@clinic.example\r\nSubject: Re: your visit\r\nMessage-ID: <r1@example.org>\r\n\r\nSTOP\r\n\r\n> Your visit is tomorrow.\r\n"
	if err := smtp.SendMail(smtpAddr, nil, "rosa.diaz@example.org", []string{"care@clinic.example"}, []byte(msg)); err != nil {
		t.Fatalf("SMTP delivery: %v", err)
	}
	var found struct {
		Entry []struct {
			Resource struct {
				ID string `json:"id"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if code := call(t, "GET", base+"/fhir/R4/Patient?identifier=urn:test:mrn|MRN-8", token, nil, &found); code != 200 || len(found.Entry) != 1 {
		t.Fatalf("find patient: %d %+v", code, found)
	}
	pid := found.Entry[0].Resource.ID
	waitUntil(t, "the email reply is read as an opt-out", func() bool {
		var c api.Conversation
		if code := call(t, "GET", base+"/api/v1/patients/"+pid+"/conversation", token, nil, &c); code != 200 {
			t.Fatalf("conversation: %d", code)
		}
		for _, e := range c.Messages {
			if e.Direction == "in" && e.Channel == "email" && e.Body == "STOP" && e.Intent == "opt_out" {
				return true
			}
		}
		return false
	})
}
