package smtp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

type setup struct {
	srv    *testServer
	sender *Sender
}

func newSetup(t testing.TB, mod func(*Config)) setup {
	t.Helper()
	srv := newTestServer(t)
	cfg := Config{URL: srv.url(), From: "Clinic <care@clinic.example>", PoolSize: 4}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return setup{srv: srv, sender: s}
}

func testMessage(id, to string) channel.Message {
	return channel.Message{
		ID: id, Channel: rapport.ChannelEmail, To: to, Language: "es",
		Subject:        "Recordatorio de cita — mañana",
		Body:           "Hola Ana,\n\nSu cita es mañana a las 9:30.\n",
		HTML:           "<p>Hola Ana,</p><p>Su cita es <b>mañana</b> a las 9:30.</p>",
		UnsubscribeURL: "https://clinic.example/u/abc123",
	}
}

// readPart returns a part's decoded body.
func readPart(t *testing.T, p *multipart.Part) string {
	t.Helper()
	var r io.Reader = p
	if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(p) // NextRawPart keeps the encoding
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return normalizeCRLF(string(b))
}

func TestSendMIME(t *testing.T) {
	t.Parallel()
	st := newSetup(t, func(c *Config) { c.UnsubscribeMailto = "unsubscribe@clinic.example" })
	m := testMessage("01JNQ8W4X7Y5Z3", "ana.lopez@example.net")
	res, err := st.sender.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if res.ProviderID != "<01JNQ8W4X7Y5Z3@rapport>" || res.Status != "sent" {
		t.Errorf("Result = %+v", res)
	}
	got := st.srv.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	if got[0].from != "care@clinic.example" || len(got[0].to) != 1 || got[0].to[0] != m.To {
		t.Errorf("envelope from %q to %v", got[0].from, got[0].to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(got[0].data)))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject = %q (%v), want %q", subject, err, m.Subject)
	}
	for _, c := range []struct{ name, want string }{
		{"Message-Id", "<01JNQ8W4X7Y5Z3@rapport>"},
		{"X-Rapport-Message-Id", "01JNQ8W4X7Y5Z3"},
		{"List-Unsubscribe", "<https://clinic.example/u/abc123>, <mailto:unsubscribe@clinic.example?subject=unsubscribe>"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
		{"Content-Language", "es"},
		{"Auto-Submitted", ""},
	} {
		if v := h.Get(c.name); v != c.want {
			t.Errorf("%s = %q, want %q", c.name, v, c.want)
		}
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != m.To {
		t.Errorf("To = %v (%v)", to, err)
	}
	if h.Get("Date") == "" {
		t.Error("no Date header")
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body := readPart(t, p)
		parts = append(parts, ct)
		switch ct {
		case "text/plain":
			if strings.TrimSpace(body) != strings.TrimSpace(m.Body) {
				t.Errorf("text part = %q", body)
			}
		case "text/html":
			if strings.TrimSpace(body) != m.HTML {
				t.Errorf("html part = %q", body)
			}
		}
	}
	if strings.Join(parts, ",") != "text/plain,text/html" {
		t.Errorf("parts = %v, want text then html", parts)
	}
}

func TestSendHeadersVariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mailto   string
		link     string
		html     string
		wantList string
		wantPost string
		wantCT   string
	}{
		{"text only, no unsubscribe", "", "", "", "", "", "text/plain"},
		{"mailto only", "u@clinic.example", "", "", "<mailto:u@clinic.example?subject=unsubscribe>", "", "text/plain"},
		{"http link is not one-click", "", "http://clinic.example/u/1", "<p>x</p>", "<http://clinic.example/u/1>", "", "multipart/alternative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := newSetup(t, func(c *Config) { c.UnsubscribeMailto = tt.mailto })
			m := channel.Message{ID: "m1", To: "p@example.net", Subject: "Hi", Body: "Hello", HTML: tt.html, UnsubscribeURL: tt.link}
			if _, err := st.sender.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(strings.NewReader(string(st.srv.received()[0].data)))
			if err != nil {
				t.Fatal(err)
			}
			if v := msg.Header.Get("List-Unsubscribe"); v != tt.wantList {
				t.Errorf("List-Unsubscribe = %q, want %q", v, tt.wantList)
			}
			if v := msg.Header.Get("List-Unsubscribe-Post"); v != tt.wantPost {
				t.Errorf("List-Unsubscribe-Post = %q, want %q", v, tt.wantPost)
			}
			if mt, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); mt != tt.wantCT {
				t.Errorf("Content-Type = %q, want %q", mt, tt.wantCT)
			}
		})
	}
}

// transferModes are the ways a message can go to the server: BDAT with
// MAIL and RCPT in one write, DATA pipelined, and one command at a time.
var transferModes = []struct {
	name                     string
	noPipelining, noChunking bool
	marker                   string // a command only this mode sends
}{
	{"chunking", false, false, "BDAT "},
	{"pipelining", false, true, "DATA\r\n"},
	{"one-at-a-time", true, true, "DATA\r\n"},
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	for _, mode := range transferModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			st := newSetup(t, nil)
			st.sender.noPipelining, st.sender.noChunking = mode.noPipelining, mode.noChunking
			testSendErrors(t, st)
			checkMode(t, st.srv, mode.marker)
		})
	}
}

// checkMode fails unless the server saw marker, and BDAT only if that is
// the marker.
func checkMode(t *testing.T, srv *testServer, marker string) {
	t.Helper()
	sent := srv.sent()
	if !strings.Contains(sent, marker) {
		t.Errorf("no %q went over the wire", marker)
	}
	if marker != "BDAT " && strings.Contains(sent, "BDAT ") {
		t.Error("BDAT went over the wire with CHUNKING off")
	}
}

func testSendErrors(t *testing.T, st setup) {
	st.srv.rcptErr["unknown@example.net"] = smtpErr(550, gosmtp.EnhancedCode{5, 1, 1}, "<unknown@example.net>: user unknown")
	st.srv.rcptErr["badname@example.net"] = smtpErr(553, gosmtp.EnhancedCode{5, 1, 3}, "mailbox name not allowed")
	st.srv.rcptErr["disabled@example.net"] = smtpErr(550, gosmtp.EnhancedCode{5, 2, 1}, "mailbox disabled")
	st.srv.rcptErr["policy@example.net"] = smtpErr(550, gosmtp.EnhancedCode{5, 7, 1}, "relaying denied")
	st.srv.rcptErr["greylist@example.net"] = smtpErr(451, gosmtp.EnhancedCode{4, 7, 1}, "greylisted, try later")
	st.srv.rcptErr["closing@example.net"] = smtpErr(421, gosmtp.EnhancedCode{4, 3, 2}, "closing")
	st.srv.rcptErr["full@example.net"] = smtpErr(452, gosmtp.EnhancedCode{4, 2, 2}, "mailbox full")
	st.srv.dataErr["spam@example.net"] = smtpErr(554, gosmtp.EnhancedCode{5, 7, 1}, "message rejected as spam")
	st.srv.dataErr["later@example.net"] = smtpErr(451, gosmtp.EnhancedCode{4, 3, 0}, "local error")
	tests := []struct {
		to       string
		kind     error
		code     string
		noReveal bool // the address must not appear in the error
	}{
		{"unknown@example.net", channel.ErrBadAddress, "550", true},
		{"badname@example.net", channel.ErrBadAddress, "553", true},
		{"disabled@example.net", channel.ErrBadAddress, "550", true},
		{"policy@example.net", channel.ErrPermanent, "550", true},
		{"greylist@example.net", channel.ErrRetryable, "451", true},
		{"closing@example.net", channel.ErrRetryable, "421", true},
		{"full@example.net", channel.ErrRetryable, "452", true},
		{"spam@example.net", channel.ErrPermanent, "554", true},
		{"later@example.net", channel.ErrRetryable, "451", true},
		{"not an address", channel.ErrBadAddress, "", true},
	}
	for i, tt := range tests {
		_, err := st.sender.Send(context.Background(), channel.Message{ID: fmt.Sprint("e", i), To: tt.to, Subject: "s", Body: "b"})
		var ce *channel.Error
		if !errors.As(err, &ce) || !errors.Is(err, tt.kind) || ce.Code != tt.code {
			t.Errorf("to %s: error %v; want %v code %q", tt.to, err, tt.kind, tt.code)
			continue
		}
		if tt.noReveal && strings.Contains(err.Error(), strings.Split(tt.to, "@")[0]+"@") {
			t.Errorf("to %s: error reveals the address: %v", tt.to, err)
		}
	}
	// The sender still works after all those failures.
	if _, err := st.sender.Send(context.Background(), channel.Message{ID: "ok", To: "fine@example.net", Body: "b"}); err != nil {
		t.Fatalf("send after failures: %v", err)
	}
	if n := st.srv.conns.Load(); n > 4 {
		t.Errorf("%d connections for 11 messages; failed RCPTs should keep theirs", n)
	}
}

// Lines that start with a dot arrive whole (dot-stuffed on the wire with
// DATA, as they are with BDAT), as do bare line feeds, in every mode.
func TestSendDotLines(t *testing.T) {
	t.Parallel()
	for _, mode := range transferModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			st := newSetup(t, func(c *Config) { c.PoolSize = 1 })
			st.sender.noPipelining, st.sender.noChunking = mode.noPipelining, mode.noChunking
			body := ".\n..two dots\n. one dot and a space\nplain\n.end"
			for i := range 3 { // the same connection, three messages
				m := channel.Message{ID: fmt.Sprint("d", i), To: "p@example.net", Subject: "dots", Body: body}
				if _, err := st.sender.Send(context.Background(), m); err != nil {
					t.Fatal(err)
				}
			}
			got := st.srv.received()
			if len(got) != 3 || st.srv.conns.Load() != 1 {
				t.Fatalf("server received %d messages over %d connections, want 3 over 1", len(got), st.srv.conns.Load())
			}
			checkMode(t, st.srv, mode.marker)
			for _, r := range got {
				msg, err := mail.ReadMessage(strings.NewReader(string(r.data)))
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
				if err != nil {
					t.Fatal(err)
				}
				if strings.TrimSuffix(normalizeCRLF(string(b)), "\n") != body {
					t.Errorf("body = %q, want %q", b, body)
				}
			}
		})
	}
}

func TestAppendCRLF(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"a", "a"},
		{"a\r\n", "a\r\n"},
		{"a\nb\n", "a\r\nb\r\n"},
		{".a\r\n..b\n.", ".a\r\n..b\r\n."},
		{"x\r", "x\r"},
		{"\n\n", "\r\n\r\n"},
	}
	for _, tt := range tests {
		if got := string(appendCRLF([]byte("keep:"), []byte(tt.in))); got != "keep:"+tt.want {
			t.Errorf("appendCRLF(%q) = %q, want %q", tt.in, got, "keep:"+tt.want)
		}
	}
}

// FuzzAppendCRLF: no bare LF is left, nothing else changes, and crlfLen
// (the BDAT chunk size announced before the chunk) is the length.
func FuzzAppendCRLF(f *testing.F) {
	for _, s := range []string{"", "a\nb", "a\r\nb\n", "\n\r\n\r", ".\n.\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		out := appendCRLF(nil, msg)
		if len(out) != crlfLen(msg) {
			t.Fatalf("crlfLen(%q) = %d, output %q has %d", msg, crlfLen(msg), out, len(out))
		}
		for i, c := range out {
			if c == '\n' && (i == 0 || out[i-1] != '\r') {
				t.Fatalf("bare LF at %d in %q", i, out)
			}
		}
		if got := bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")); !bytes.Equal(got, bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))) {
			t.Fatalf("appendCRLF(%q) = %q changed more than line ends", msg, out)
		}
	})
}

func TestAppendDotStuffed(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ".\r\n"},
		{"a", "a\r\n.\r\n"},
		{"a\r\n", "a\r\n.\r\n"},
		{"a\nb\n", "a\r\nb\r\n.\r\n"},
		{".a\r\n..b\r\nc.d\r\n.", "..a\r\n...b\r\nc.d\r\n..\r\n.\r\n"},
		{"\r\n.\r\n", "\r\n..\r\n.\r\n"},
		{"x\r", "x\r\r\n.\r\n"},
	}
	for _, tt := range tests {
		if got := string(appendDotStuffed([]byte("keep:"), []byte(tt.in))); got != "keep:"+tt.want {
			t.Errorf("appendDotStuffed(%q) = %q, want %q", tt.in, got, "keep:"+tt.want)
		}
	}
}

func TestSendRejectsBadMessages(t *testing.T) {
	t.Parallel()
	st := newSetup(t, nil)
	tests := []struct {
		name string
		m    channel.Message
		kind error
	}{
		{"no id", channel.Message{To: "a@example.net", Body: "b"}, channel.ErrPermanent},
		{"id with newline", channel.Message{ID: "a\r\nBcc: x@y", To: "a@example.net", Body: "b"}, channel.ErrPermanent},
		{"sms channel", channel.Message{ID: "a", Channel: rapport.ChannelSMS, To: "a@example.net", Body: "b"}, channel.ErrPermanent},
		{"header injection in unsubscribe", channel.Message{ID: "a", To: "a@example.net", UnsubscribeURL: "https://x/\r\nBcc: y@z"}, channel.ErrPermanent},
		{"relative unsubscribe", channel.Message{ID: "a", To: "a@example.net", UnsubscribeURL: "/u/1"}, channel.ErrPermanent},
		{"bad sender", channel.Message{ID: "a", From: "not-an-address", To: "a@example.net"}, channel.ErrPermanent},
	}
	for _, tt := range tests {
		if _, err := st.sender.Send(context.Background(), tt.m); !errors.Is(err, tt.kind) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.kind)
		}
	}
	if n := len(st.srv.received()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

// 1,000 messages from 16 goroutines go over at most PoolSize connections.
func TestSendReusesConnections(t *testing.T) {
	t.Parallel()
	st := newSetup(t, nil)
	const n, workers = 1000, 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				m := testMessage(fmt.Sprintf("m%04d", i), fmt.Sprintf("p%d@example.net", i))
				if _, err := st.sender.Send(context.Background(), m); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := st.srv.received()
	if len(got) != n {
		t.Fatalf("server received %d messages, want %d", len(got), n)
	}
	ids := map[string]bool{}
	for _, r := range got {
		msg, err := mail.ReadMessage(strings.NewReader(string(r.data)))
		if err != nil {
			t.Fatal(err)
		}
		ids[msg.Header.Get("X-Rapport-Message-Id")] = true
	}
	if len(ids) != n {
		t.Errorf("%d distinct message ids, want %d", len(ids), n)
	}
	if c := st.srv.conns.Load(); c > 4 || c < 1 {
		t.Errorf("%d connections for %d messages, want 1 to 4", c, n)
	}
	if d := st.sender.Dials(); d != st.srv.conns.Load() {
		t.Errorf("sender dialled %d times, server saw %d", d, st.srv.conns.Load())
	}
}

// A connection the server dropped while idle is replaced without failing
// the message.
func TestSendReconnectsAfterDrop(t *testing.T) {
	t.Parallel()
	st := newSetup(t, func(c *Config) { c.PoolSize = 1 })
	ctx := context.Background()
	if _, err := st.sender.Send(ctx, testMessage("a", "p@example.net")); err != nil {
		t.Fatal(err)
	}
	st.srv.dropAll()
	if _, err := st.sender.Send(ctx, testMessage("b", "p@example.net")); err != nil {
		t.Fatalf("send after drop: %v", err)
	}
	if d := st.sender.Dials(); d != 2 {
		t.Errorf("%d dials, want 2", d)
	}
	if n := len(st.srv.received()); n != 2 {
		t.Errorf("server received %d messages, want 2", n)
	}
}

func TestSendServerBusy(t *testing.T) {
	t.Parallel()
	st := newSetup(t, func(c *Config) { c.PoolSize = 1 })
	st.srv.mailErr = smtpErr(421, gosmtp.EnhancedCode{4, 7, 0}, "too busy")
	_, err := st.sender.Send(context.Background(), testMessage("a", "p@example.net"))
	var ce *channel.Error
	if !errors.As(err, &ce) || !errors.Is(err, channel.ErrRetryable) || ce.Code != "421" {
		t.Fatalf("error %v, want retryable 421", err)
	}
	st.srv.mu.Lock()
	st.srv.mailErr = nil
	st.srv.mu.Unlock()
	if _, err := st.sender.Send(context.Background(), testMessage("b", "p@example.net")); err != nil {
		t.Fatalf("send after busy: %v", err)
	}
}

// TestSendNoReplyAfterData: a server that took the whole message but never
// answered its end may have delivered it; the send is unknown, not
// retryable, so it is not sent again blindly.
func TestSendNoReplyAfterData(t *testing.T) {
	t.Parallel()
	st := newSetup(t, func(c *Config) { c.PoolSize = 1; c.Timeout = 300 * time.Millisecond })
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	st.srv.mu.Lock()
	st.srv.hangAfterData = hang
	st.srv.mu.Unlock()
	_, err := st.sender.Send(context.Background(), testMessage("a", "p@example.net"))
	if !errors.Is(err, channel.ErrUnknown) || errors.Is(err, channel.ErrRetryable) {
		t.Fatalf("error %v, want unknown outcome", err)
	}
	if n := len(st.srv.received()); n != 1 {
		t.Fatalf("server took %d messages, want 1", n)
	}
}

func TestSendServerDown(t *testing.T) {
	t.Parallel()
	s, err := New(Config{URL: "smtp://127.0.0.1:1?tls=none", From: "c@clinic.example"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), testMessage("a", "p@example.net"))
	if !errors.Is(err, channel.ErrRetryable) {
		t.Fatalf("error %v, want retryable", err)
	}
}

func TestSendWaitsForContext(t *testing.T) {
	t.Parallel()
	st := newSetup(t, func(c *Config) { c.PoolSize = 1 })
	st.sender.slots <- struct{}{} // the only connection is busy
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := st.sender.Send(ctx, testMessage("a", "p@example.net"))
	if !errors.Is(err, channel.ErrRetryable) || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("error %v, want retryable cancellation", err)
	}
	<-st.sender.slots
}

func TestMessageIDRoundTrip(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"01JNQ8W4X7Y5Z3", "msg-1", "a.b", ".lead", "trail.", "a..b", "appt/9:30", "with space", "ümlaut", "x@y", "<z>", "%41"} {
		mid := MessageID(id)
		if _, err := mail.ParseAddress("x " + mid); err != nil {
			t.Errorf("MessageID(%q) = %s is not a valid msg-id: %v", id, mid, err)
		}
		got, ok := RapportID(mid)
		if !ok || got != id {
			t.Errorf("RapportID(MessageID(%q)) = %q, %v", id, got, ok)
		}
	}
	for _, bad := range []string{"", "<@rapport>", "<abc@example.com>", "<a%2@rapport>", "<a%2Db@rapport>"} {
		if id, ok := RapportID(bad); ok {
			t.Errorf("RapportID(%q) = %q, want not ours", bad, id)
		}
	}
}

func FuzzRapportID(f *testing.F) {
	for _, s := range []string{"<abc@rapport>", "abc@rapport", "<a%3Ab@rapport>", "", "<@rapport>", "<x@y>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := RapportID(s)
		if !ok {
			return
		}
		if back, ok := RapportID(MessageID(id)); !ok || back != id {
			t.Fatalf("RapportID(%q) = %q does not round-trip: %q, %v", s, id, back, ok)
		}
	})
}

func TestSendAuthenticates(t *testing.T) {
	t.Parallel()
	srv := newAuthTestServer(t, "rapport", "s3cret:pw")
	tests := []struct {
		name string
		url  string
		tls  bool
		kind error // nil for success
		code string
	}{
		{"right password over STARTTLS", "smtp://rapport:s3cret%3Apw@" + srv.addr + "?tls=required", true, nil, ""},
		{"wrong password", "smtp://rapport:nope@" + srv.addr, true, channel.ErrRetryable, "535"},
		{"no credentials", "smtp://" + srv.addr, true, channel.ErrRetryable, "530"},
		{"password never sent in clear", "smtp://rapport:s3cret%3Apw@" + srv.addr + "?tls=none", false, channel.ErrRetryable, ""},
		{"untrusted certificate", "smtp://rapport:s3cret%3Apw@" + srv.addr + "?tls=required", false, channel.ErrRetryable, ""},
	}
	for i, tt := range tests {
		cfg := Config{URL: tt.url, From: "care@clinic.example"}
		if tt.tls {
			cfg.TLSConfig = srv.clientTLS
		}
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Send(context.Background(), testMessage(fmt.Sprint("auth", i), "p@example.net"))
		s.Close()
		var ce *channel.Error
		if tt.kind == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.As(err, &ce) || !errors.Is(err, tt.kind) || ce.Code != tt.code {
			t.Errorf("%s: error %v, want %v code %q", tt.name, err, tt.kind, tt.code)
		}
		if err != nil && (strings.Contains(err.Error(), "nope") || strings.Contains(err.Error(), "s3cret")) {
			t.Errorf("%s: error reveals the password: %v", tt.name, err)
		}
	}
	if n := len(srv.received()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
}
