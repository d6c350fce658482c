package smtp

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Environment variables [ConfigFromEnv] reads.
const (
	EnvURL               = "RAPPORT_SMTP_URL"
	EnvFrom              = "RAPPORT_SMTP_FROM"
	EnvUnsubscribeMailto = "RAPPORT_SMTP_UNSUBSCRIBE_MAILTO"
	EnvPoolSize          = "RAPPORT_SMTP_POOL_SIZE"
	EnvReplyTo           = "RAPPORT_SMTP_REPLY_TO"
)

// Defaults of [Config].
const (
	DefaultPoolSize = 4
	DefaultTimeout  = 30 * time.Second
	DefaultMaxIdle  = 30 * time.Second
)

// Config says how to reach the SMTP server.
type Config struct {
	// URL is the server: smtp://[user:pass@]host[:port] (port 587 by
	// default) or smtps://… (implicit TLS, port 465 by default). To a host
	// other than loopback STARTTLS is required; on loopback it is used when
	// the server offers it. The query parameter tls=required insists on
	// STARTTLS, tls=opportunistic uses it when offered and tls=none never
	// starts it: the last two are the explicit opt-outs for a remote host.
	URL string
	// From is the sender address, such as "Clinic <care@clinic.example>".
	From string
	// UnsubscribeMailto, if set, is an address added to List-Unsubscribe as
	// a mailto: alternative to the one-click URL.
	UnsubscribeMailto string
	// ReplyTo, if set, is a bare address such as reply@clinic.example:
	// each email's Reply-To is then reply+<message id>@clinic.example (see
	// [ReplyAddress]), so a reply threads even when a mail client drops
	// In-Reply-To. Its mailbox must reach rapport's inbound email.
	ReplyTo string
	// PoolSize is the number of SMTP connections kept open and the number of
	// messages sent at once (DefaultPoolSize if zero).
	PoolSize int
	// Timeout bounds each dial and each SMTP command (DefaultTimeout if zero).
	Timeout time.Duration
	// MaxIdle is how long an unused connection is kept before it is closed
	// rather than reused (DefaultMaxIdle if zero); servers drop idle
	// clients after a few minutes.
	MaxIdle time.Duration
	// TLSConfig, if set, is used for STARTTLS and smtps, e.g. to trust a
	// private CA; its ServerName defaults to the URL's host.
	TLSConfig *tls.Config
}

// tlsMode is how a connection is secured.
type tlsMode int

const (
	tlsOpportunistic tlsMode = iota
	tlsRequired
	tlsNone
	tlsImplicit
)

// server is the parsed URL.
type server struct {
	host     string
	port     int
	user     string
	password string
	tls      tlsMode
}

// ConfigFromEnv reads a Config from RAPPORT_SMTP_* variables through
// lookup (os.LookupEnv in production) and validates it.
func ConfigFromEnv(lookup func(string) (string, bool)) (Config, error) {
	var c Config
	c.URL, _ = lookup(EnvURL)
	c.From, _ = lookup(EnvFrom)
	c.UnsubscribeMailto, _ = lookup(EnvUnsubscribeMailto)
	c.ReplyTo, _ = lookup(EnvReplyTo)
	if v, ok := lookup(EnvPoolSize); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return Config{}, fmt.Errorf("%s %q: not a number", EnvPoolSize, v)
		}
		c.PoolSize = n
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks the configuration; the error names the field.
func (c Config) Validate() error {
	if _, err := c.server(); err != nil {
		return err
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("smtp from %q: %w", c.From, err)
	}
	if c.UnsubscribeMailto != "" {
		if _, err := mail.ParseAddress(c.UnsubscribeMailto); err != nil {
			return fmt.Errorf("smtp unsubscribe mailto %q: %w", c.UnsubscribeMailto, err)
		}
	}
	if err := validReplyTo(c.ReplyTo); err != nil {
		return err
	}
	if c.PoolSize < 0 || c.PoolSize > 64 {
		return fmt.Errorf("smtp pool size %d: want 1 to 64", c.PoolSize)
	}
	if c.Timeout < 0 || c.MaxIdle < 0 {
		return fmt.Errorf("smtp timeout and max idle must not be negative")
	}
	return nil
}

// String describes the configuration with the password redacted.
func (c Config) String() string {
	u := redactURL(c.URL)
	return fmt.Sprintf("smtp{url=%s from=%s unsubscribe_mailto=%s pool=%d}", u, c.From, c.UnsubscribeMailto, c.poolSize())
}

// redactURL hides the password of a URL; a URL that does not parse is
// hidden whole, since it may hold a secret in an unexpected place.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "[unparseable url redacted]"
	}
	return u.Redacted()
}

func (c Config) poolSize() int {
	if c.PoolSize == 0 {
		return DefaultPoolSize
	}
	return c.PoolSize
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c Config) maxIdle() time.Duration {
	if c.MaxIdle == 0 {
		return DefaultMaxIdle
	}
	return c.MaxIdle
}

// server parses the URL. Its errors never repeat the password.
func (c Config) server() (server, error) {
	if c.URL == "" {
		return server{}, fmt.Errorf("smtp url is empty (set %s)", EnvURL)
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		return server{}, fmt.Errorf("smtp url %s does not parse", redactURL(c.URL))
	}
	var s server
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.tls = 465, tlsImplicit
	default:
		return server{}, fmt.Errorf("smtp url %s: scheme must be smtp or smtps", u.Redacted())
	}
	s.host = u.Hostname()
	if s.host == "" {
		return server{}, fmt.Errorf("smtp url %s has no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return server{}, fmt.Errorf("smtp url %s: bad port", u.Redacted())
		}
		s.port = n
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	switch t := strings.ToLower(u.Query().Get("tls")); t {
	case "":
		if s.tls == tlsOpportunistic && !loopback(s.host) {
			// Mail leaving the machine carries patients' names and
			// words: it is encrypted unless the URL says otherwise.
			s.tls = tlsRequired
		}
	case "opportunistic":
	case "required", "starttls":
		if s.tls == tlsImplicit {
			return server{}, fmt.Errorf("smtp url %s: tls=%s with smtps", u.Redacted(), t)
		}
		s.tls = tlsRequired
	case "none":
		if s.tls == tlsImplicit {
			return server{}, fmt.Errorf("smtp url %s: tls=none with smtps", u.Redacted())
		}
		s.tls = tlsNone
	default:
		return server{}, fmt.Errorf("smtp url %s: tls=%q is not none, opportunistic or required", u.Redacted(), t)
	}
	return s, nil
}

// loopback reports whether host is this machine: localhost or a loopback
// address. Only there may mail go unencrypted without being told to.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s server) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }
