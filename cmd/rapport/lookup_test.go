package main

import (
	"strings"
	"testing"
	"time"
)

func TestConfigLookup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		want    LookupConfig
		wantErr string // a part of the error; "" for none
	}{
		{name: "off by default", want: LookupConfig{Provider: "off", Rate: 5, MaxAge: 2160 * time.Hour}},
		{name: "env", env: map[string]string{"RAPPORT_LOOKUP": "twilio", "RAPPORT_LOOKUP_RATE": "2.5", "RAPPORT_LOOKUP_MAX_AGE": "720h"},
			want: LookupConfig{Provider: "twilio", Rate: 2.5, MaxAge: 720 * time.Hour}},
		{name: "flags win", env: map[string]string{"RAPPORT_LOOKUP": "off", "RAPPORT_LOOKUP_RATE": "2"},
			args: []string{"--lookup", "Twilio", "--lookup-rate", "10", "--lookup-max-age", "48h"},
			want: LookupConfig{Provider: "twilio", Rate: 10, MaxAge: 48 * time.Hour}},
		{name: "unknown provider", args: []string{"--lookup", "numverify"}, wantErr: `--lookup "numverify": want off or twilio`},
		{name: "zero rate", args: []string{"--lookup", "twilio", "--lookup-rate", "0"}, wantErr: "--lookup-rate 0"},
		{name: "negative rate", env: map[string]string{"RAPPORT_LOOKUP": "twilio", "RAPPORT_LOOKUP_RATE": "-1"}, wantErr: "--lookup-rate -1"},
		{name: "rate not a number in env", env: map[string]string{"RAPPORT_LOOKUP_RATE": "fast"}, wantErr: `RAPPORT_LOOKUP_RATE "fast"`},
		{name: "max age too short", args: []string{"--lookup", "twilio", "--lookup-max-age", "10m"}, wantErr: "--lookup-max-age 10m0s"},
		{name: "max age not a duration in env", env: map[string]string{"RAPPORT_LOOKUP_MAX_AGE": "90 days"}, wantErr: `RAPPORT_LOOKUP_MAX_AGE "90 days"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseConfig(t, tc.env, tc.args...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Lookup; got.Provider != tc.want.Provider || got.Rate != tc.want.Rate || got.MaxAge != tc.want.MaxAge {
				t.Errorf("Lookup = %+v, want %+v", got, tc.want)
			}
			c.HygieneEvery = "off"
			if n := len(c.periodic()); n != map[bool]int{true: 3, false: 2}[c.Lookup.On()] { // dose and refill reminders always
				t.Errorf("%d periodic jobs with hygiene off and look-ups %s, want dose and refill reminders and the look-ups if on", n, c.Lookup.Provider)
			}
		})
	}
}

// TestLookupNeedsTwilioAccount: --lookup twilio without the account's
// settings stops serve at start, naming the flag and the variables.
func TestLookupNeedsTwilioAccount(t *testing.T) {
	t.Parallel()
	a := &App{Config: Config{Lookup: LookupConfig{Provider: "twilio", Rate: 1, MaxAge: time.Hour}}}
	_, err := a.lookupRunner(func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "--lookup twilio") || !strings.Contains(err.Error(), "RAPPORT_TWILIO_AUTH_TOKEN") {
		t.Errorf("lookupRunner without an account: %v", err)
	}
	a.Config.Lookup.Provider = "off"
	if r, err := a.lookupRunner(func(string) string { return "" }); r != nil || err != nil {
		t.Errorf("lookupRunner when off: %v, %v; want none", r, err)
	}
}
