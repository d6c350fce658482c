package twilio

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapporthq/rapport"
)

// DefaultBaseURL is Twilio's REST API host.
const DefaultBaseURL = "https://api.twilio.com"

// DefaultLookupURL is Twilio Lookup's host, apart from the REST API's.
const DefaultLookupURL = "https://lookups.twilio.com"

// Environment variables read by [ConfigFromEnv].
const (
	EnvBaseURL    = "RAPPORT_TWILIO_BASE_URL"
	EnvAccountSID = "RAPPORT_TWILIO_ACCOUNT_SID"
	EnvAuthToken  = "RAPPORT_TWILIO_AUTH_TOKEN"
	EnvFrom       = "RAPPORT_TWILIO_FROM"
	EnvLookupURL  = "RAPPORT_TWILIO_LOOKUP_URL"
)

// Config is what the Twilio adapter needs. The zero value is not valid; see
// [Config.Validate].
type Config struct {
	// BaseURL is the REST API host, DefaultBaseURL unless a test server or a
	// proxy stands in for it. A trailing slash is ignored.
	BaseURL string
	// LookupURL is the Lookup API host, DefaultLookupURL unless a test
	// server stands in for it; only [NewLineTypes] uses it.
	LookupURL  string
	AccountSID string
	// AuthToken is the secret for basic auth and webhook signatures. It is
	// never printed: String, GoString and LogValue redact it.
	AuthToken string
	// From is the default sender number, used when Message.From is empty.
	From string
	// StatusCallbackURL is the full public URL of our status webhook, such as
	// https://rapport.example.org/webhooks/twilio/status. When empty, no
	// StatusCallback is sent and delivery is never reported.
	StatusCallbackURL string
	// VoiceURL is the base URL of our public webhook host, such as
	// https://rapport.example.org; keypad answers are posted to
	// {VoiceURL}/webhooks/twilio/voice. Voice messages need it.
	VoiceURL string
	// HTTPClient sends the requests. When nil, a client with a 15-second
	// timeout and a pooled transport is used.
	HTTPClient *http.Client
	// Clock reads the time to turn a Retry-After date into a duration.
	// When nil, the system clock is used.
	Clock rapport.Clock
}

// ConfigFromEnv reads the RAPPORT_TWILIO_* variables through getenv
// (os.Getenv in production). BaseURL defaults to [DefaultBaseURL]. It does not
// validate: call [Config.Validate] after filling in the webhook URLs.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		BaseURL:    getenv(EnvBaseURL),
		AccountSID: getenv(EnvAccountSID),
		AuthToken:  getenv(EnvAuthToken),
		From:       getenv(EnvFrom),
		LookupURL:  getenv(EnvLookupURL),
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.LookupURL == "" {
		c.LookupURL = DefaultLookupURL
	}
	return c
}

// Validate reports every missing or malformed field at once, joined.
func (c Config) Validate() error {
	var errs []error
	if err := checkURL("base URL", c.BaseURL, true); err != nil {
		errs = append(errs, err)
	}
	if c.AccountSID == "" {
		errs = append(errs, errors.New("twilio: account SID is empty"))
	} else if strings.ContainsAny(c.AccountSID, "/?#% \t\r\n") {
		errs = append(errs, errors.New("twilio: account SID has characters that cannot be in a URL path"))
	}
	if c.AuthToken == "" {
		errs = append(errs, errors.New("twilio: auth token is empty"))
	}
	if c.From == "" {
		errs = append(errs, errors.New("twilio: from number is empty"))
	}
	if c.StatusCallbackURL != "" {
		if err := checkURL("status callback URL", c.StatusCallbackURL, false); err != nil {
			errs = append(errs, err)
		}
	}
	if c.VoiceURL != "" {
		if err := checkURL("voice URL", c.VoiceURL, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func checkURL(name, raw string, required bool) error {
	if raw == "" {
		if required {
			return fmt.Errorf("twilio: %s is empty", name)
		}
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("twilio: %s: %w", name, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("twilio: %s %q is not an absolute http or https URL", name, raw)
	}
	if u.User != nil {
		return fmt.Errorf("twilio: %s must not carry credentials", name)
	}
	return nil
}

// String describes c with the auth token redacted.
func (c Config) String() string {
	return fmt.Sprintf("twilio.Config{BaseURL:%q AccountSID:%q AuthToken:%s From:%q StatusCallbackURL:%q VoiceURL:%q}",
		c.BaseURL, c.AccountSID, redact(c.AuthToken), c.From, c.StatusCallbackURL, c.VoiceURL)
}

// GoString is String, so %#v redacts the token too.
func (c Config) GoString() string { return c.String() }

// LogValue makes slog print c with the auth token redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("account_sid", c.AccountSID),
		slog.String("auth_token", redact(c.AuthToken)),
		slog.String("from", c.From),
		slog.String("status_callback_url", c.StatusCallbackURL),
		slog.String("voice_url", c.VoiceURL),
	)
}

func redact(secret string) string {
	if secret == "" {
		return `""`
	}
	return "[redacted]"
}
