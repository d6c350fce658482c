package messaging_test

import (
	"io"
	"net"
	"sync/atomic"
	"testing"

	gosmtp "github.com/emersion/go-smtp"
)

// countingSMTP is a real SMTP server (emersion/go-smtp) on loopback that
// reads every message to the end and counts it, keeping nothing.
type countingSMTP struct {
	addr     string
	messages atomic.Int64
	bytes    atomic.Int64
	sessions atomic.Int64
}

func newCountingSMTP(tb testing.TB) *countingSMTP {
	tb.Helper()
	cs := &countingSMTP{}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) {
		cs.sessions.Add(1)
		return countingSession{cs}, nil
	}))
	srv.Domain = "localhost"
	srv.MaxMessageBytes = 1 << 20
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	cs.addr = l.Addr().String()
	go srv.Serve(l) //nolint:errcheck // ends with Close
	tb.Cleanup(func() { srv.Close() })
	return cs
}

// url is the server's smtp:// URL, without STARTTLS.
func (cs *countingSMTP) url() string { return "smtp://" + cs.addr + "?tls=none" }

type countingSession struct{ cs *countingSMTP }

func (countingSession) Reset()                                 {}
func (countingSession) Logout() error                          { return nil }
func (countingSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (countingSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }

func (s countingSession) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return err
	}
	s.cs.bytes.Add(n)
	s.cs.messages.Add(1)
	return nil
}
