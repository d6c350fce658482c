package smtp

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// testServer is a real SMTP server (emersion/go-smtp) on loopback that
// records what it receives and answers configured recipients with errors.
type testServer struct {
	addr string

	conns atomic.Int64 // sessions opened

	mu       sync.Mutex
	msgs     []received
	rcptErr  map[string]*gosmtp.SMTPError // by recipient
	dataErr  map[string]*gosmtp.SMTPError // by recipient, answered at end of DATA
	mailErr  *gosmtp.SMTPError            // answered to every MAIL FROM
	sessions []*gosmtp.Conn
	discard  bool // count messages without keeping them
	// hangAfterData, when set, keeps each accepted message and then
	// withholds the reply to the end of data until it is closed.
	hangAfterData chan struct{}
	count         atomic.Int64

	user, password string // when set, sessions require AUTH PLAIN
	clientTLS      *tls.Config

	wireMu sync.Mutex
	wire   bytes.Buffer // every byte clients sent, in arrival order
}

type received struct {
	from string
	to   []string
	data []byte
}

func newTestServer(t testing.TB) *testServer {
	return newAuthTestServer(t, "", "")
}

// newAuthTestServer is newTestServer requiring AUTH PLAIN when user is set.
func newAuthTestServer(t testing.TB, user, password string) *testServer {
	t.Helper()
	ts := &testServer{rcptErr: map[string]*gosmtp.SMTPError{}, dataErr: map[string]*gosmtp.SMTPError{}, user: user, password: password}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) {
		ts.conns.Add(1)
		ts.mu.Lock()
		ts.sessions = append(ts.sessions, c)
		ts.mu.Unlock()
		if ts.user != "" {
			return &authSession{testSession: testSession{ts: ts}}, nil
		}
		return &testSession{ts: ts}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 1 << 20
	if user != "" {
		srv.TLSConfig, ts.clientTLS = selfSigned(t)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = l.Addr().String()
	go srv.Serve(recordingListener{l, ts}) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return ts
}

// recordingListener keeps a copy of what clients send, to check which
// commands went over the wire.
type recordingListener struct {
	net.Listener
	ts *testServer
}

func (l recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return recordingConn{c, l.ts}, nil
}

type recordingConn struct {
	net.Conn
	ts *testServer
}

func (c recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.ts.wireMu.Lock()
	if !c.ts.discard { // benchmarks keep nothing
		c.ts.wire.Write(p[:n])
	}
	c.ts.wireMu.Unlock()
	return n, err
}

// sent returns every byte clients have sent so far.
func (ts *testServer) sent() string {
	ts.wireMu.Lock()
	defer ts.wireMu.Unlock()
	return ts.wire.String()
}

// url returns the smtp:// URL of the server.
func (ts *testServer) url() string { return "smtp://" + ts.addr + "?tls=none" }

// dropAll closes every client connection from the server side, as a server
// does with idle clients.
func (ts *testServer) dropAll() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, c := range ts.sessions {
		c.Conn().Close()
	}
	ts.sessions = nil
}

func (ts *testServer) received() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.msgs...)
}

type testSession struct {
	ts   *testServer
	from string
	to   []string
}

func (s *testSession) Reset()        { s.from, s.to = "", nil }
func (s *testSession) Logout() error { return nil }

func (s *testSession) Mail(from string, _ *gosmtp.MailOptions) error {
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	if s.ts.mailErr != nil {
		return s.ts.mailErr
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	if err := s.ts.rcptErr[to]; err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	s.ts.mu.Lock()
	discard := s.ts.discard
	var derr *gosmtp.SMTPError
	for _, to := range s.to {
		if e := s.ts.dataErr[to]; e != nil {
			derr = e
		}
	}
	s.ts.mu.Unlock()
	if discard {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
		s.ts.count.Add(1)
		return nil
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if derr != nil {
		return derr
	}
	s.ts.mu.Lock()
	s.ts.msgs = append(s.ts.msgs, received{from: s.from, to: s.to, data: bytes.Clone(data)})
	hang := s.ts.hangAfterData
	s.ts.mu.Unlock()
	s.ts.count.Add(1)
	if hang != nil {
		<-hang
	}
	return nil
}

func smtpErr(code int, enh gosmtp.EnhancedCode, msg string) *gosmtp.SMTPError {
	return &gosmtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}
}

// normalizeCRLF turns CRLF into LF, for comparing bodies.
func normalizeCRLF(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// authSession is a testSession that requires AUTH PLAIN with user/password.
type authSession struct {
	testSession
	authed bool
}

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.ts.user || pass != s.ts.password {
			return smtpErr(535, gosmtp.EnhancedCode{5, 7, 8}, "authentication failed")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *authSession) Mail(from string, opts *gosmtp.MailOptions) error {
	if !s.authed {
		return smtpErr(530, gosmtp.EnhancedCode{5, 7, 0}, "authentication required")
	}
	return s.testSession.Mail(from, opts)
}
