package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// Config is what every long-running command reads: flags first, then
// RAPPORT_* environment variables, then these defaults.
type Config struct {
	DB        string // --db, RAPPORT_DB
	Addr      string // --addr, RAPPORT_ADDR
	PublicURL string // --public-url, RAPPORT_PUBLIC_URL: how providers reach our webhooks
	Workers   int    // --workers, RAPPORT_WORKERS: jobs worked at once by this process
	LogLevel  string // --log-level, RAPPORT_LOG_LEVEL
	// OrgTimeZone is the organisation's zone, the last resort for quiet hours.
	OrgTimeZone string // --org-timezone, RAPPORT_ORG_TIMEZONE
	QuietHours  string // --quiet-hours, RAPPORT_QUIET_HOURS
}

// DefaultDB is the embedded database.
const DefaultDB = "sqlite:./rapport.db"

// bind declares the flags of c on fs, with defaults from the environment.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string, server bool) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DB, "db", env("RAPPORT_DB", DefaultDB), "database: sqlite:PATH or postgres://… (env RAPPORT_DB)")
	fs.StringVar(&c.LogLevel, "log-level", env("RAPPORT_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env RAPPORT_LOG_LEVEL)")
	fs.StringVar(&c.OrgTimeZone, "org-timezone", env("RAPPORT_ORG_TIMEZONE", "America/Chicago"), "the organisation's IANA time zone (env RAPPORT_ORG_TIMEZONE)")
	fs.StringVar(&c.QuietHours, "quiet-hours", env("RAPPORT_QUIET_HOURS", "08:00-21:00"), "hours messages may reach patients, patient's local time; 00:00-24:00 turns quiet hours off (env RAPPORT_QUIET_HOURS)")
	if server {
		fs.StringVar(&c.Addr, "addr", env("RAPPORT_ADDR", "127.0.0.1:8080"), "address to listen on (env RAPPORT_ADDR)")
		fs.StringVar(&c.PublicURL, "public-url", env("RAPPORT_PUBLIC_URL", ""), "public base URL of this server, for provider webhooks (env RAPPORT_PUBLIC_URL)")
		workers := 20
		if v := getenv("RAPPORT_WORKERS"); v != "" {
			fmt.Sscan(v, &workers)
		}
		fs.IntVar(&c.Workers, "workers", workers, "jobs worked at once by this process (env RAPPORT_WORKERS)")
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return usagef("--db %q: want sqlite:PATH or postgres://…", c.DB)
	}
	if _, err := time.LoadLocation(c.OrgTimeZone); err != nil {
		return usagef("--org-timezone %q is not an IANA time zone", c.OrgTimeZone)
	}
	if c.Workers < 0 {
		return usagef("--workers must not be negative")
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return usagef("--log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	return nil
}

func (c *Config) logger(env *Env) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(c.LogLevel))
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: l}))
}

var _ = rapport.SystemClock{}
