package main

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// parseConfig binds a server Config to env and parses args.
func parseConfig(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c Config
	c.bind(fs, func(k string) string { return env[k] }, true)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.Validate()
}

func TestConfigTimeScale(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		want    float64
		wantErr string // a part of the error; "" for none
		note    string // a part of the start note; "" for none
	}{
		{name: "default is real time", want: 1},
		{name: "env", env: map[string]string{"RAPPORT_TIME_SCALE": "1440"}, want: 1440, note: "a day lasts 1m0s"},
		{name: "fraction of a second", env: map[string]string{"RAPPORT_TIME_SCALE": "28800"}, want: 28800, note: "a day lasts 3s"},
		{name: "flag wins", env: map[string]string{"RAPPORT_TIME_SCALE": "2"}, args: []string{"--time-scale", "86400"}, want: 86400, note: "a day lasts 1s"},
		{name: "below one", env: map[string]string{"RAPPORT_TIME_SCALE": "0.5"}, wantErr: "--time-scale 0.5"},
		{name: "zero", args: []string{"--time-scale", "0"}, wantErr: "--time-scale 0"},
		{name: "negative", args: []string{"--time-scale", "-3"}, wantErr: "at least 1"},
		{name: "not a number in env", env: map[string]string{"RAPPORT_TIME_SCALE": "fast"}, wantErr: `RAPPORT_TIME_SCALE "fast"`},
		{name: "not a number as flag", args: []string{"--time-scale", "fast"}, wantErr: "time-scale"},
		{name: "infinite", args: []string{"--time-scale", "+Inf"}, wantErr: "finite"},
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
			if c.TimeScale != tc.want {
				t.Errorf("TimeScale %g, want %g", c.TimeScale, tc.want)
			}
			note := c.timeScaleNote()
			if tc.note == "" && note != "" || !strings.Contains(note, tc.note) {
				t.Errorf("start note %q, want one containing %q", note, tc.note)
			}
		})
	}
}

// TestConfigQuietHoursOff checks the setting the end-to-end suite uses to
// let messages go at any hour.
func TestConfigQuietHoursOff(t *testing.T) {
	t.Parallel()
	if _, err := parseConfig(t, map[string]string{"RAPPORT_QUIET_HOURS": "00:00-24:00"}); err != nil {
		t.Fatal(err)
	}
}

func TestConfigOutreachCaps(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in        string
		day, week int
		wantErr   bool
	}{
		{in: "1/3", day: 1, week: 3},
		{in: "0/0"},
		{in: "0"}, // the flag's help promises 0 for no cap
		{in: "2", wantErr: true},
		{in: "-1/3", wantErr: true},
	} {
		c, err := parseConfig(t, map[string]string{"RAPPORT_OUTREACH_CAPS": tc.in})
		if tc.wantErr {
			if err == nil {
				t.Errorf("%q: no error", tc.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if caps, _ := c.caps(); caps.PerDay != tc.day || caps.PerWeek != tc.week {
			t.Errorf("%q: %+v, want %d/%d", tc.in, caps, tc.day, tc.week)
		}
	}
}

func TestCheckDebugAddr(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"", true},
		{"127.0.0.1:6060", true},
		{"localhost:6060", true},
		{"[::1]:6060", true},
		{"0.0.0.0:6060", false},
		{":6060", false},
		{"10.0.0.5:6060", false},
		{"127.0.0.1", false},
	} {
		err := checkDebugAddr(tc.addr)
		if (err == nil) != tc.ok {
			t.Errorf("checkDebugAddr(%q) = %v, want ok %v", tc.addr, err, tc.ok)
		}
	}
}

// TestConfigStaleness: the hygiene run's staleness rule comes from flags
// or the environment, with the rule's defaults, and a bad age is refused.
func TestConfigStaleness(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env     map[string]string
		args    []string
		age     time.Duration
		soft    int
		wantErr bool
	}{
		{nil, nil, rapport.DefaultStaleAfter, rapport.DefaultSoftFailureLimit, false},
		{map[string]string{"RAPPORT_STALE_AFTER": "4380h", "RAPPORT_STALE_SOFT_FAILURES": "-1"}, nil, 4380 * time.Hour, -1, false},
		{nil, []string{"--stale-after", "720h", "--stale-soft-failures", "5"}, 720 * time.Hour, 5, false},
		{nil, []string{"--stale-after", "0s"}, 0, 0, true},
	} {
		c, err := parseConfig(t, tc.env, tc.args...)
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), "--stale-after") {
				t.Errorf("%v %v: error %v, want one naming --stale-after", tc.env, tc.args, err)
			}
			continue
		}
		if err != nil || c.Staleness.MaxAge != tc.age || c.Staleness.SoftFailureLimit != tc.soft {
			t.Errorf("%v %v: %+v, %v; want %v and %d", tc.env, tc.args, c.Staleness, err, tc.age, tc.soft)
		}
	}
}

func TestConfigRefillEvery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		want    time.Duration
		wantErr string
	}{
		{name: "default hourly", want: time.Hour},
		{name: "env", env: map[string]string{"RAPPORT_REFILL_EVERY": "2s"}, want: 2 * time.Second},
		{name: "flag wins", env: map[string]string{"RAPPORT_REFILL_EVERY": "2s"}, args: []string{"--refill-every", "30m"}, want: 30 * time.Minute},
		{name: "not a duration in env", env: map[string]string{"RAPPORT_REFILL_EVERY": "hourly"}, wantErr: "--refill-every"},
		{name: "too often", args: []string{"--refill-every", "100ms"}, wantErr: "from 1s to 24h"},
		{name: "zero", args: []string{"--refill-every", "0"}, wantErr: "from 1s to 24h"},
		{name: "too rare", args: []string{"--refill-every", "48h"}, wantErr: "from 1s to 24h"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseConfig(t, tc.env, tc.args...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || c.RefillEvery != tc.want {
				t.Fatalf("RefillEvery %v (%v), want %v", c.RefillEvery, err, tc.want)
			}
		})
	}
}
