package main

import (
	"strings"
	"testing"
)

func TestConfigSMTPAddr(t *testing.T) {
	t.Parallel()
	cases := []struct {
		env  map[string]string
		args []string
		want string // the address, or "error"
	}{
		{nil, nil, ""},
		{nil, []string{"--smtp-addr", ":2525"}, ":2525"},
		{map[string]string{"RAPPORT_SMTP_ADDR": "127.0.0.1:2525"}, nil, "127.0.0.1:2525"},
		{nil, []string{"--smtp-addr", "2525"}, "error"},
	}
	for _, c := range cases {
		cfg, err := parseConfig(t, c.env, c.args...)
		switch {
		case c.want == "error":
			if err == nil || !strings.Contains(err.Error(), "--smtp-addr") {
				t.Errorf("%v %v: error %v, want one naming --smtp-addr", c.env, c.args, err)
			}
		case err != nil || cfg.SMTPAddr != c.want:
			t.Errorf("%v %v: %q, %v; want %q", c.env, c.args, cfg.SMTPAddr, err, c.want)
		}
	}
}
