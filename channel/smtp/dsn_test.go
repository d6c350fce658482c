package smtp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDSN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file       string
		recipient  string
		action     string
		status     string
		diagnostic string // a substring
		hard       bool
		reporting  string
		messageID  string
		rapportID  string
		recipients int
	}{
		{"postfix_user_unknown.eml", "pat.doe@example.net", "failed", "5.1.1", "User unknown in virtual mailbox table", true,
			"mail.clinic.example", "<01JNQ8W4X7Y5Z3@rapport>", "01JNQ8W4X7Y5Z3", 1},
		{"postfix_delayed.eml", "j.smith@rural-isp.example", "delayed", "4.4.1", "Connection timed out", false,
			"mail.clinic.example", "<msg-7781@rapport>", "msg-7781", 1},
		{"exchange_ndr.eml", "maria.g@hospital-partner.example", "failed", "5.1.10", "RecipientNotFound; Recipient not found", true,
			"DM6PR01MB1234.namprd01.prod.outlook.com", "<visit-42@rapport>", "visit-42", 1},
		{"gmail_failure.eml", "ana.lopez@gmail.example", "failed", "5.1.1", "550 5.1.1  https://support.google.com", true,
			"googlemail.com", "<appt/9%3A30@rapport>", "appt/9:30", 1},
		{"rfc3464_delivered_multi.eml", "kevin@example.net", "failed", "4.0.0", "426 connection timed out", false,
			"mail.example.com", "", "", 2},
		{"crlf_base64.eml", "LOUIS@Example.NET", "failed", "5.2.1", "mailbox disabled", true,
			"gw.example.org", "<x-1@rapport>", "x-1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			b, err := ParseDSN(f)
			if err != nil {
				t.Fatalf("ParseDSN: %v", err)
			}
			if b.Recipient != tt.recipient || b.Action != tt.action || b.Status != tt.status || b.Hard() != tt.hard {
				t.Errorf("got %s %s %s hard=%v; want %s %s %s hard=%v", b.Recipient, b.Action, b.Status, b.Hard(),
					tt.recipient, tt.action, tt.status, tt.hard)
			}
			if !strings.Contains(b.Diagnostic, tt.diagnostic) {
				t.Errorf("Diagnostic %q does not contain %q", b.Diagnostic, tt.diagnostic)
			}
			if b.ReportingMTA != tt.reporting {
				t.Errorf("ReportingMTA %q, want %q", b.ReportingMTA, tt.reporting)
			}
			if b.MessageID != tt.messageID || b.RapportID != tt.rapportID {
				t.Errorf("MessageID %q RapportID %q; want %q %q", b.MessageID, b.RapportID, tt.messageID, tt.rapportID)
			}
			if len(b.Recipients) != tt.recipients {
				t.Errorf("%d recipients, want %d", len(b.Recipients), tt.recipients)
			}
		})
	}
}

func TestParseDSNDeliveredIsNotHard(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "rfc3464_delivered_multi.eml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseDSN(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	first := b.Recipients[0]
	if first.Action != "delivered" || first.Status != "2.0.0" || first.Hard() || first.OriginalRecipient != "louisl@larry.example" {
		t.Errorf("first recipient = %+v", first)
	}
}

func TestParseDSNRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		isNot bool // wraps ErrNotDSN
	}{
		{"auto-reply", mustRead(t, "autoreply_not_dsn.eml"), true},
		{"no content type", "Subject: x\n\nbody\n", true},
		{"empty", "", false},
		{"report without status part", "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b--\n", true},
		{"multipart without boundary", "Content-Type: multipart/report\n\nx\n", false},
		{"status part without recipients", "Content-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a\n\n--b--\n", true},
	}
	for _, tt := range tests {
		_, err := ParseDSN(strings.NewReader(tt.input))
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if errors.Is(err, ErrNotDSN) != tt.isNot {
			t.Errorf("%s: error %v; want ErrNotDSN %v", tt.name, err, tt.isNot)
		}
	}
}

func mustRead(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func FuzzParseDSN(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".eml") {
			f.Add(mustRead(f, e.Name()))
		}
	}
	f.Add("Content-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: x\n\n--b--\n")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseDSN(strings.NewReader(s))
		if err != nil {
			if b.Recipient != "" || len(b.Recipients) != 0 {
				t.Fatalf("error %v with a bounce %+v", err, b)
			}
			return
		}
		if len(b.Recipients) == 0 {
			t.Fatal("bounce without recipients")
		}
		if b.Hard() && (b.Action != "failed" || !strings.HasPrefix(b.Status, "5.")) {
			t.Fatalf("hard bounce with action %q status %q", b.Action, b.Status)
		}
		for _, r := range b.Recipients {
			if r.Status != "" && !statusRE.MatchString(r.Status) {
				t.Fatalf("status %q is not a status code", r.Status)
			}
		}
	})
}
