package e2e

import (
	"context"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
)

// TestServeEmailReplyProcess starts `rapport serve --smtp-addr` as a
// process and delivers a patient's STOP to it over SMTP, as their mail
// server would: it is stored, tied to the patient and read as an opt-out.
func TestServeEmailReplyProcess(t *testing.T) {
	t.Parallel()
	proctest.Binary(t)
	env := proctest.Env()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	env = append(env, "RAPPORT_DB="+dsn, "RAPPORT_SMTP_FROM=Hillside Clinic <care@hillside.example>")
	ndjson := filepath.Join(t.TempDir(), "Patient.ndjson")
	patient := `{"resourceType":"Patient","id":"rosa","name":[{"family":"Diaz","given":["Rosa"]}],"birthDate":"1961-04-02",` +
		`"telecom":[{"system":"email","value":"rosa.diaz@example.org"}],"address":[{"state":"TX","country":"US"}]}`
	if err := os.WriteFile(ndjson, []byte(patient+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rapportCmd(t, env, "import", "fhir", ndjson)
	smtpAddr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", freeAddr(t), "--smtp-addr", smtpAddr, "--log-level", "warn")
	defer srv.Stop()
	if !strings.Contains(srv.Output(), "receiving email replies on smtp://"+smtpAddr) {
		t.Fatalf("serve did not say it receives email: %s", srv.Output())
	}

	if err := smtp.SendMail(smtpAddr, nil, "rosa.diaz@example.org", []string{"care@elsewhere.example"}, []byte("From: rosa.diaz@example.org\r\n\r\nSTOP\r\n")); err == nil {
		t.Error("mail for another domain was accepted")
	}
	msg := "From: Rosa Diaz <rosa.diaz@example.org>\r\nTo: care@hillside.example\r\nSubject: Re: your visit\r\nMessage-ID: <e2e-1@example.org>\r\n\r\nSTOP\r\n\r\n> Your visit is tomorrow.\r\n"
	if err := smtp.SendMail(smtpAddr, nil, "rosa.diaz@example.org", []string{"care@hillside.example"}, []byte(msg)); err != nil {
		t.Fatalf("SMTP delivery: %v", err)
	}

	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cps, err := db.FindContactPointsByValue(context.Background(), rapport.ContactEmail, "rosa.diaz@example.org")
	if err != nil || len(cps) != 1 {
		t.Fatalf("Rosa's email: %+v %v", cps, err)
	}
	proctest.WaitFor(t, srv, time.Minute, "the STOP read as an opt-out", func() bool {
		ins, err := db.FindPatientInbound(context.Background(), cps[0].PatientID)
		return err == nil && len(ins) == 1 && ins[0].Body == "STOP" && ins[0].Intent == "opt_out" && ins[0].Status == rapport.InboundProcessed
	})
}
