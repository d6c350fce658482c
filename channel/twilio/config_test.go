package twilio

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func validConfig() Config {
	return Config{
		BaseURL:           DefaultBaseURL,
		AccountSID:        "AC0123456789abcdef0123456789abcdef",
		AuthToken:         "s3cret-token-value",
		From:              "+15005550006",
		StatusCallbackURL: "https://r.example/webhooks/twilio/status",
		VoiceURL:          "https://r.example",
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*Config)
		wantErr string // substring; "" for valid
	}{
		{"valid", func(*Config) {}, ""},
		{"no webhook URLs is valid", func(c *Config) { c.StatusCallbackURL, c.VoiceURL = "", "" }, ""},
		{"no base URL", func(c *Config) { c.BaseURL = "" }, "base URL is empty"},
		{"relative base URL", func(c *Config) { c.BaseURL = "api.twilio.com" }, "not an absolute"},
		{"ftp base URL", func(c *Config) { c.BaseURL = "ftp://x" }, "not an absolute"},
		{"credentials in URL", func(c *Config) { c.BaseURL = "https://u:p@api.twilio.com" }, "credentials"},
		{"no SID", func(c *Config) { c.AccountSID = "" }, "account SID is empty"},
		{"SID with slash", func(c *Config) { c.AccountSID = "AC/../x" }, "account SID has"},
		{"no token", func(c *Config) { c.AuthToken = "" }, "auth token is empty"},
		{"no from", func(c *Config) { c.From = "" }, "from number is empty"},
		{"bad callback", func(c *Config) { c.StatusCallbackURL = "/webhooks" }, "status callback URL"},
		{"bad voice URL", func(c *Config) { c.VoiceURL = "r.example" }, "voice URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validConfig()
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
	if err := (Config{}).Validate(); err == nil || strings.Count(err.Error(), "\n") < 3 {
		t.Errorf("zero Config: want every problem reported, got %v", err)
	}
}

func TestConfigRedactsToken(t *testing.T) {
	t.Parallel()
	c := validConfig()
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "twilio", c)
	for _, s := range []string{
		c.String(), fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), logged.String(),
		fmt.Sprint(&c),
	} {
		if strings.Contains(s, c.AuthToken) {
			t.Errorf("auth token printed: %s", s)
		}
		if !strings.Contains(s, c.AccountSID) {
			t.Errorf("account SID missing from %s", s)
		}
	}
	cl, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprintf("%v %+v %s", cl, cl, cl); strings.Contains(s, c.AuthToken) {
		t.Errorf("client prints its token: %s", s)
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{EnvAccountSID: "AC1", EnvAuthToken: "t", EnvFrom: "+1555"}
	c := ConfigFromEnv(func(k string) string { return env[k] })
	if c.BaseURL != DefaultBaseURL || c.AccountSID != "AC1" || c.AuthToken != "t" || c.From != "+1555" {
		t.Errorf("ConfigFromEnv = %v", c)
	}
	env[EnvBaseURL] = "http://127.0.0.1:9999"
	if c := ConfigFromEnv(func(k string) string { return env[k] }); c.BaseURL != env[EnvBaseURL] {
		t.Errorf("BaseURL = %q", c.BaseURL)
	}
}
