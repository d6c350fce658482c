package smtp

import (
	"strings"
	"testing"
)

func TestConfigServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url     string
		want    server
		wantErr string
	}{
		{"smtp://127.0.0.1:1025", server{host: "127.0.0.1", port: 1025}, ""},
		{"smtp://localhost:1025", server{host: "localhost", port: 1025}, ""},
		{"smtp://[::1]:1025", server{host: "::1", port: 1025}, ""},
		{"smtp://mail.example.org", server{host: "mail.example.org", port: 587, tls: tlsRequired}, ""}, // remote: TLS unless told otherwise
		{"smtp://10.0.0.5:25", server{host: "10.0.0.5", port: 25, tls: tlsRequired}, ""},
		{"smtp://mail.example.org?tls=opportunistic", server{host: "mail.example.org", port: 587}, ""},
		{"smtp://mail.example.org?tls=none", server{host: "mail.example.org", port: 587, tls: tlsNone}, ""},
		{"smtp://127.0.0.1:1025?tls=required", server{host: "127.0.0.1", port: 1025, tls: tlsRequired}, ""},
		{"smtps://mail.example.org", server{host: "mail.example.org", port: 465, tls: tlsImplicit}, ""},
		{"smtp://u%40x:p%3Ass@mail.example.org:2525?tls=required", server{host: "mail.example.org", port: 2525, user: "u@x", password: "p:ss", tls: tlsRequired}, ""},
		{"smtp://[::1]:25?tls=none", server{host: "::1", port: 25, tls: tlsNone}, ""},
		{"", server{}, "empty"},
		{"http://mail.example.org", server{}, "scheme"},
		{"smtp://:25", server{}, "no host"},
		{"smtp://host:0", server{}, "bad port"},
		{"smtp://host:99999", server{}, "bad port"},
		{"smtps://host?tls=none", server{}, "tls=none"},
		{"smtp://host?tls=maybe", server{}, "tls="},
		{"smtp://user:secret@host:bad", server{}, "does not parse"},
	}
	for _, tt := range tests {
		got, err := Config{URL: tt.url}.server()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("server(%q) error %v, want %q", tt.url, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("server(%q) error reveals the password: %v", tt.url, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("server(%q) = %+v, %v; want %+v", tt.url, got, err, tt.want)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		EnvURL:               "smtp://user:hunter2@mail.example.org:587",
		EnvFrom:              "Clinic <care@clinic.example>",
		EnvUnsubscribeMailto: "unsubscribe@clinic.example",
		EnvPoolSize:          "8",
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	c, err := ConfigFromEnv(lookup)
	if err != nil {
		t.Fatal(err)
	}
	if c.PoolSize != 8 || c.From != env[EnvFrom] || c.UnsubscribeMailto != env[EnvUnsubscribeMailto] {
		t.Errorf("config = %+v", c)
	}
	s := c.String()
	if strings.Contains(s, "hunter2") || !strings.Contains(s, "user:xxxxx@mail.example.org") {
		t.Errorf("String() = %s, want the password redacted", s)
	}
	if s := (Config{URL: "smtp://u:hunter2@h:x"}).String(); strings.Contains(s, "hunter2") {
		t.Errorf("String() of a bad URL = %s reveals the password", s)
	}

	for _, bad := range []map[string]string{
		{EnvFrom: "care@clinic.example"},
		{EnvURL: "smtp://h", EnvFrom: "not an address"},
		{EnvURL: "smtp://h", EnvFrom: "c@clinic.example", EnvPoolSize: "many"},
		{EnvURL: "smtp://h", EnvFrom: "c@clinic.example", EnvPoolSize: "1000"},
		{EnvURL: "smtp://h", EnvFrom: "c@clinic.example", EnvUnsubscribeMailto: "nope"},
	} {
		if _, err := ConfigFromEnv(func(k string) (string, bool) { v, ok := bad[k]; return v, ok }); err == nil {
			t.Errorf("ConfigFromEnv(%v) accepted", bad)
		}
	}
}
