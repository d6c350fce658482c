package smtp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/rapporthq/rapport/channel"
)

// Sender sends email through one SMTP server, keeping up to
// Config.PoolSize connections open and reusing them: each message is MAIL,
// RCPT, DATA on an open connection, with no NOOP or RSET in between, and
// with PIPELINING (RFC 2920) when the server offers it. Send is
// safe for concurrent use; at most PoolSize messages are in flight, the
// others wait their turn (or their context).
type Sender struct {
	cfg    Config
	client *mail.Client // settings and dialing; connections live in idle

	slots chan struct{} // a token per message in flight
	idle  chan *conn    // open connections not in use

	mu     sync.Mutex
	closed bool

	dials atomic.Int64
	// noPipelining makes connections ignore PIPELINING (tests of the
	// one-command-at-a-time path), noChunking ignore CHUNKING (tests of
	// the DATA path), noEightBit ignore 8BITMIME (quoted-printable bodies).
	noPipelining, noChunking, noEightBit bool
}

// conn is one open SMTP connection.
type conn struct {
	*session
	lastUsed time.Time
}

var _ channel.Sender = (*Sender)(nil)

// New returns a Sender for the configuration. It does not connect: the
// first Send does.
func New(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new smtp sender: %w", err)
	}
	srv, err := cfg.server()
	if err != nil {
		return nil, fmt.Errorf("new smtp sender: %w", err)
	}
	opts := []mail.Option{
		mail.WithPort(srv.port),
		mail.WithTimeout(cfg.timeout()),
		mail.WithoutNoop(), // a dead connection shows on MAIL; see Send
		mail.WithoutRset(), // a finished DATA ends the transaction already
	}
	switch srv.tls {
	case tlsOpportunistic:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case tlsRequired:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case tlsNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case tlsImplicit:
		opts = append(opts, mail.WithSSL())
	}
	if cfg.TLSConfig != nil {
		tc := cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = srv.host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	if srv.user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(srv.user), mail.WithPassword(srv.password))
	}
	client, err := mail.NewClient(srv.host, opts...)
	if err != nil {
		return nil, fmt.Errorf("new smtp sender for %s: %w", redactURL(cfg.URL), err)
	}
	n := cfg.poolSize()
	return &Sender{
		cfg:    cfg,
		client: client,
		slots:  make(chan struct{}, n),
		idle:   make(chan *conn, n),
	}, nil
}

// Dials reports how many SMTP connections the Sender has opened.
func (s *Sender) Dials() int64 { return s.dials.Load() }

// Send delivers one message to the SMTP server. The Result's ProviderID is
// the Message-ID header ([MessageID] of m.ID). Failures are
// [*channel.Error]s: see classify for which are retryable. A connection
// that turns out dead before the server accepted MAIL is replaced and the
// message tried once more on a fresh one, so an idle pool does not cost a
// retry; a failure after DATA is never retried here (it may have been
// delivered: the caller's retry carries the same Message-ID).
//
// The context bounds the wait for a free connection and the dial; once a
// message is being written, Config.Timeout bounds each command.
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Result, error) {
	msg, err := s.buildMsg(m)
	if err != nil {
		return channel.Result{}, err
	}
	from, err := msg.GetSender(false)
	if err != nil {
		return channel.Result{}, &channel.Error{Kind: channel.ErrPermanent, Msg: "sender address: " + err.Error()}
	}
	to, err := msg.GetRecipients()
	if err != nil || len(to) != 1 {
		return channel.Result{}, &channel.Error{Kind: channel.ErrBadAddress, Msg: "recipient address does not parse"}
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return channel.Result{}, &channel.Error{Kind: channel.ErrRetryable, Msg: "wait for smtp connection: " + ctx.Err().Error()}
	}
	defer func() { <-s.slots }()

	c, fresh, err := s.get(ctx)
	if err != nil {
		return channel.Result{}, connectError(classify("connect", err))
	}
	send := func(c *conn) error {
		eightBit := setBody(msg, m, c.eightBit)
		c.raw.Reset()
		if _, err := msg.WriteTo(&c.raw); err != nil {
			return &channel.Error{Kind: channel.ErrPermanent, Msg: "write message: " + err.Error()}
		}
		return c.transact(from, to[0], c.raw.Bytes(), eightBit, s.cfg.timeout())
	}
	err = send(c)
	if err != nil && !fresh && deadBeforeMail(err) {
		c.c.Close()
		if c, _, err = s.dial(ctx); err != nil {
			return channel.Result{}, connectError(classify("reconnect", err))
		}
		err = send(c)
	}
	if err != nil {
		if reusable(err) && c.c.Reset() == nil {
			s.put(c)
		} else {
			c.c.Close()
		}
		return channel.Result{}, classify("send", err)
	}
	s.put(c)
	return channel.Result{ProviderID: MessageID(m.ID), Status: "sent"}, nil
}

// get returns an idle connection, or a new one when none is idle or the
// idle ones have been idle too long; fresh reports a new one.
func (s *Sender) get(ctx context.Context) (c *conn, fresh bool, err error) {
	for {
		select {
		case c := <-s.idle:
			if time.Since(c.lastUsed) <= s.cfg.maxIdle() {
				return c, false, nil
			}
			_ = c.c.Quit()
			c.c.Close()
		default:
			return s.dial(ctx)
		}
	}
}

func (s *Sender) dial(ctx context.Context) (*conn, bool, error) {
	c, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, true, err
	}
	s.dials.Add(1)
	sess := newSession(c)
	sess.pipelining = sess.pipelining && !s.noPipelining
	sess.chunking = sess.chunking && !s.noChunking
	sess.eightBit = sess.eightBit && !s.noEightBit
	return &conn{session: sess}, true, nil
}

// put returns a connection to the pool, or closes it when the Sender is
// closed.
func (s *Sender) put(c *conn) {
	c.lastUsed = time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = c.c.Quit()
		c.c.Close()
		return
	}
	select {
	case s.idle <- c:
	default: // cannot happen: at most PoolSize connections exist
		_ = c.c.Quit()
		c.c.Close()
	}
}

// Close says QUIT on every idle connection and closes it; connections in
// use are closed when their message is done. Send may still be called and
// then opens and closes a connection per message.
func (s *Sender) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	var errs []error
	for {
		select {
		case c := <-s.idle:
			if err := c.c.Quit(); err != nil {
				errs = append(errs, err)
			}
			c.c.Close()
		default:
			if err := errors.Join(errs...); err != nil {
				return fmt.Errorf("close smtp connections: %w", err)
			}
			return nil
		}
	}
}

// deadBeforeMail reports whether a send failed because the connection was
// already gone before the server took the message: nothing was delivered,
// so trying again on a new connection is safe.
func deadBeforeMail(err error) bool {
	var te *txError
	if !errors.As(err, &te) || te.stage != stageMail {
		return false
	}
	// No reply, or 421: the server is closing this connection.
	return te.code() == 0 || te.code() == 421
}

// reusable reports whether the connection may still be in a clean state
// after an error: the server answered MAIL or RCPT with a reply other than
// 421, and every pipelined reply was read. The caller confirms with an
// RSET of its own.
func reusable(err error) bool {
	var te *txError
	if !errors.As(err, &te) || !te.clean || (te.stage != stageMail && te.stage != stageRcpt) {
		return false
	}
	code := te.code()
	return code >= 400 && code != 421
}
