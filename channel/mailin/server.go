package mailin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// Limits of the SMTP listener.
const (
	MaxRecipients = 20
	// Timeout bounds each read and write of a session: a client that stalls
	// is dropped rather than holding a connection.
	Timeout = time.Minute
	// deliverTimeout bounds storing one message.
	deliverTimeout = 30 * time.Second
)

// ServerConfig says how the SMTP listener behaves.
type ServerConfig struct {
	// Addr is the address to listen on, such as ":2525".
	Addr string
	// Domains are the recipient domains accepted (case-insensitive); empty
	// accepts every recipient. Others are refused with 550.
	Domains []string
	// Hostname is what the greeting says; "rapport" when empty.
	Hostname string
}

// Server is the SMTP listener: it accepts mail for its domains, parses
// each message and hands it to a [Receiver] before answering 250, so a
// message is stored before the sending server forgets it; if storing
// fails the answer is 451 and the sender tries again later.
type Server struct {
	srv *gosmtp.Server
	ln  net.Listener
	ctx context.Context
	cfg ServerConfig
	rcv *Receiver
	log *slog.Logger
}

// Listen starts an SMTP listener on cfg.Addr; it serves until Close. ctx
// is the parent of each delivery's context.
func Listen(ctx context.Context, cfg ServerConfig, r *Receiver, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.Default()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("smtp listener %s: %w", cfg.Addr, err)
	}
	s := &Server{ln: ln, ctx: context.WithoutCancel(ctx), cfg: cfg, rcv: r, log: log}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = cfg.Hostname
	if srv.Domain == "" {
		srv.Domain = "rapport"
	}
	srv.MaxMessageBytes = MaxMessageBytes
	srv.MaxRecipients = MaxRecipients
	srv.ReadTimeout, srv.WriteTimeout = Timeout, Timeout
	srv.ErrorLog = errorLog{log}
	s.srv = srv
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, gosmtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			log.Error("smtp listener stopped", "err", err)
		}
	}()
	return s, nil
}

// Addr is the address the listener is bound to.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the listener, waiting up to ctx for sessions to end.
func (s *Server) Close(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, gosmtp.ErrServerClosed) {
		return s.srv.Close()
	}
	return nil
}

// accepts reports whether mail to addr is taken.
func (s *Server) accepts(addr string) bool {
	if len(s.cfg.Domains) == 0 {
		return true
	}
	_, domain, _ := cutLast(addr, "@")
	for _, d := range s.cfg.Domains {
		if strings.EqualFold(domain, d) {
			return true
		}
	}
	return false
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// session is one SMTP transaction at a time.
type session struct {
	s   *Server
	env Envelope
	got bool // MAIL FROM seen
}

func (ss *session) Reset()        { ss.env, ss.got = Envelope{}, false }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *gosmtp.MailOptions) error {
	ss.env = Envelope{From: strings.ToLower(from), Null: from == ""}
	ss.got = true
	return nil
}

var errRelay = &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 7, 1}, Message: "Relaying denied: not a recipient of this server"}

func (ss *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if !ss.s.accepts(to) {
		return errRelay
	}
	ss.env.To = append(ss.env.To, strings.ToLower(to))
	return nil
}

var (
	errUnreadable = &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: "Message header cannot be read"}
	errTryLater   = &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "Cannot store the message now, try again later"}
)

// Data parses the message and delivers it; the reply code says whether it
// is stored.
func (ss *session) Data(r io.Reader) error {
	env := ss.env
	m, err := Parse(r, &env)
	_, _ = io.Copy(io.Discard, r) // go-smtp wants the data consumed
	if err != nil {
		var tooBig *gosmtp.SMTPError
		if errors.As(err, &tooBig) {
			return err
		}
		ss.s.log.Info("smtp listener: unreadable message refused", "err", err)
		return errUnreadable
	}
	ctx, cancel := context.WithTimeout(ss.s.ctx, deliverTimeout)
	defer cancel()
	res, err := ss.s.rcv.Deliver(ctx, m)
	if err != nil {
		ss.s.log.Error("smtp listener: store message", "err", err)
		return errTryLater
	}
	ss.s.log.Debug("smtp listener: message taken", "result", string(res))
	return nil
}

// errorLog sends go-smtp's connection errors to the logger.
type errorLog struct{ l *slog.Logger }

func (e errorLog) Printf(format string, v ...any) {
	e.l.Warn("smtp listener: " + fmt.Sprintf(format, v...))
}
func (e errorLog) Println(v ...any) { e.l.Warn("smtp listener: " + fmt.Sprint(v...)) }
