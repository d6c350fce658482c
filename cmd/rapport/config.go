package main

import (
	"flag"
	"fmt"
	"github.com/rapporthq/rapport"
	"log/slog"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/reminders"
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
	OrgName     string // --org-name, RAPPORT_ORG_NAME: how messages sign
	OrgPhone    string // --org-phone, RAPPORT_ORG_PHONE: where HELP sends patients
	// OutreachCaps is "PER_DAY/PER_WEEK" outreach messages per patient.
	OutreachCaps string  // --outreach-caps, RAPPORT_OUTREACH_CAPS
	SMSRate      float64 // --sms-rate, RAPPORT_SMS_RATE: messages per second per sender, 0 unpaced
	EmailRate    float64 // --email-rate, RAPPORT_EMAIL_RATE
	// JourneysDir holds journey YAML files added to the shipped ones.
	JourneysDir string // --journeys, RAPPORT_JOURNEYS
	// RescueAfter is how long a job may run before it is taken for lost.
	RescueAfter time.Duration // --rescue-after, RAPPORT_RESCUE_AFTER
	// TimeScale divides every journey wait and delay, for trials in real
	// time: 1440 makes a day last a minute. 1 is real time.
	TimeScale float64 // --time-scale, RAPPORT_TIME_SCALE
	// timeScaleEnv is RAPPORT_TIME_SCALE as given, for the error when it is
	// not a number.
	timeScaleEnv string
	// DebugAddr serves Go's profiler on a loopback address; empty is off.
	DebugAddr string // --debug-addr, RAPPORT_DEBUG_ADDR
	// works is true for serve and worker, the processes that work jobs and
	// so send; campaign, report and the rest only read and queue.
	works bool
	// SMTPAddr is where serve receives patients' email replies; empty is off.
	SMTPAddr string // --smtp-addr, RAPPORT_SMTP_ADDR
	// HygieneEvery schedules the periodic hygiene run: monthly, a duration
	// such as 168h, or off (serve and worker only).
	HygieneEvery string // --hygiene-every, RAPPORT_HYGIENE_EVERY
	// ReminderLimits bound dose reminders patients did not ask for.
	ReminderLimits string // --reminder-limits, RAPPORT_REMINDER_LIMITS
	// RefillEvery is how often refill reminders are looked for (serve and
	// worker only): hourly by default; trials and tests shorten it to see a
	// fill imported a moment ago reminded without waiting for the hour.
	RefillEvery time.Duration // --refill-every, RAPPORT_REFILL_EVERY
	// Staleness is when the hygiene run marks a contact point stale.
	Staleness rapport.Staleness // --stale-after, --stale-soft-failures
	// Channels is "providers" (Twilio and SMTP as the environment
	// configures them) or "simulator" (simulated patients, nothing leaves
	// the machine); serve and worker only.
	Channels string // --channels, RAPPORT_CHANNELS
	// Lookup looks phone line types up (serve and worker only).
	Lookup LookupConfig // --lookup, --lookup-rate, --lookup-max-age
}

// Channel modes of --channels.
const (
	ChannelsProviders = "providers"
	ChannelsSimulator = "simulator"
)

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
	fs.StringVar(&c.OrgName, "org-name", env("RAPPORT_ORG_NAME", "Your clinic"), "the organisation's name, as messages sign (env RAPPORT_ORG_NAME)")
	fs.StringVar(&c.OrgPhone, "org-phone", env("RAPPORT_ORG_PHONE", ""), "the phone number HELP answers give (env RAPPORT_ORG_PHONE)")
	fs.StringVar(&c.OutreachCaps, "outreach-caps", env("RAPPORT_OUTREACH_CAPS", "1/3"), "outreach messages per patient: PER_DAY/PER_WEEK, 0 for no cap (env RAPPORT_OUTREACH_CAPS)")
	fs.Float64Var(&c.SMSRate, "sms-rate", envFloat(getenv, "RAPPORT_SMS_RATE", 0), "SMS and calls per second per sending number, across all workers; 0 is unpaced (env RAPPORT_SMS_RATE)")
	fs.Float64Var(&c.EmailRate, "email-rate", envFloat(getenv, "RAPPORT_EMAIL_RATE", 0), "emails per second per sender, across all workers; 0 is unpaced (env RAPPORT_EMAIL_RATE)")
	fs.StringVar(&c.JourneysDir, "journeys", env("RAPPORT_JOURNEYS", ""), "a folder of journey YAML files to load beside the shipped ones (env RAPPORT_JOURNEYS)")
	rescue, _ := time.ParseDuration(env("RAPPORT_RESCUE_AFTER", "1h"))
	fs.DurationVar(&c.RescueAfter, "rescue-after", rescue, "how long a job may look running before it is retried as lost (env RAPPORT_RESCUE_AFTER)")
	c.timeScaleEnv = getenv("RAPPORT_TIME_SCALE")
	fs.Float64Var(&c.TimeScale, "time-scale", envFloat(getenv, "RAPPORT_TIME_SCALE", 1), "divide every journey wait and delay by this, for trials: 1440 makes a day last a minute (env RAPPORT_TIME_SCALE)")
	fs.StringVar(&c.DebugAddr, "debug-addr", env("RAPPORT_DEBUG_ADDR", ""), "serve Go's profiler (/debug/pprof/) on this loopback address, such as 127.0.0.1:6060; off when empty (env RAPPORT_DEBUG_ADDR)")
	staleAfter, _ := time.ParseDuration(env("RAPPORT_STALE_AFTER", rapport.DefaultStaleAfter.String()))
	fs.DurationVar(&c.Staleness.MaxAge, "stale-after", staleAfter, "a contact point no answered message confirmed for this long is stale and re-verified (env RAPPORT_STALE_AFTER)")
	soft := rapport.DefaultSoftFailureLimit
	if v := getenv("RAPPORT_STALE_SOFT_FAILURES"); v != "" {
		fmt.Sscan(v, &soft)
	}
	fs.IntVar(&c.Staleness.SoftFailureLimit, "stale-soft-failures", soft, "this many soft delivery failures since the last confirmation make a contact point stale sooner; -1 turns the rule off (env RAPPORT_STALE_SOFT_FAILURES)")
	c.works = server
	if server {
		fs.StringVar(&c.Addr, "addr", env("RAPPORT_ADDR", "127.0.0.1:8080"), "address to listen on (env RAPPORT_ADDR)")
		fs.StringVar(&c.PublicURL, "public-url", env("RAPPORT_PUBLIC_URL", ""), "public base URL of this server, for provider webhooks (env RAPPORT_PUBLIC_URL)")
		workers := 20
		if v := getenv("RAPPORT_WORKERS"); v != "" {
			fmt.Sscan(v, &workers)
		}
		fs.StringVar(&c.SMTPAddr, "smtp-addr", env("RAPPORT_SMTP_ADDR", ""), "receive patients' email replies by SMTP on this address, such as :2525; off when empty (env RAPPORT_SMTP_ADDR)")
		fs.StringVar(&c.Channels, "channels", env("RAPPORT_CHANNELS", ChannelsProviders), "providers: Twilio and SMTP as RAPPORT_TWILIO_* and RAPPORT_SMTP_URL configure them; simulator: simulated patients who answer, to try rapport without an account — nothing leaves this machine (env RAPPORT_CHANNELS)")
		fs.IntVar(&c.Workers, "workers", workers, "jobs worked at once by this process (env RAPPORT_WORKERS)")
		c.Lookup.bind(fs, getenv)
		fs.StringVar(&c.HygieneEvery, "hygiene-every", env("RAPPORT_HYGIENE_EVERY", "monthly"), "when the hygiene run repeats: monthly (1st, 03:00 UTC), a duration such as 168h, or off (env RAPPORT_HYGIENE_EVERY)")
		refill, err := time.ParseDuration(env("RAPPORT_REFILL_EVERY", reminders.RefillEvery.String()))
		if err != nil {
			refill = -1 // Validate names the bad value
		}
		fs.DurationVar(&c.RefillEvery, "refill-every", refill, "how often refill reminders are looked for, from 1s to 24h (env RAPPORT_REFILL_EVERY)")
		fs.StringVar(&c.ReminderLimits, "reminder-limits", env("RAPPORT_REMINDER_LIMITS", reminders.DefaultLimits().String()), "most dose reminders a patient who did not ask for them gets, such as 1/day,3/week (the FCC's healthcare limits), or off (env RAPPORT_REMINDER_LIMITS)")
	}
}

func envFloat(getenv func(string) string, name string, def float64) float64 {
	if v := getenv(name); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return def
}

// caps parses OutreachCaps.
func (c *Config) caps() (rules.Caps, error) {
	if strings.TrimSpace(c.OutreachCaps) == "0" { // as the flag's help says: no cap
		return rules.Caps{}, nil
	}
	var d, w int
	if _, err := fmt.Sscanf(c.OutreachCaps, "%d/%d", &d, &w); err != nil || d < 0 || w < 0 {
		return rules.Caps{}, usagef("--outreach-caps %q: want PER_DAY/PER_WEEK such as 1/3", c.OutreachCaps)
	}
	return rules.Caps{PerDay: d, PerWeek: w}, nil
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if err := checkDB(c.DB); err != nil {
		return err
	}
	if _, err := time.LoadLocation(c.OrgTimeZone); err != nil {
		return usagef("--org-timezone %q is not an IANA time zone", c.OrgTimeZone)
	}
	if _, err := rules.ParseWindow(c.QuietHours); err != nil {
		return usagef("--quiet-hours %q: %v", c.QuietHours, err)
	}
	if _, err := c.caps(); err != nil {
		return err
	}
	if c.SMSRate < 0 || c.EmailRate < 0 {
		return usagef("--sms-rate and --email-rate must not be negative")
	}
	if c.RescueAfter < time.Minute && c.RescueAfter != 0 && c.RescueAfter < 5*time.Second {
		return usagef("--rescue-after must be at least 5s")
	}
	if err := c.validateTimeScale(); err != nil {
		return err
	}
	if err := checkDebugAddr(c.DebugAddr); err != nil {
		return err
	}
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			return usagef("--smtp-addr %q: want HOST:PORT or :PORT, such as :2525", c.SMTPAddr)
		}
	}
	if c.works && c.Channels != ChannelsProviders && c.Channels != ChannelsSimulator {
		return usagef("--channels %q: want providers or simulator", c.Channels)
	}
	if c.Workers < 0 {
		return usagef("--workers must not be negative")
	}
	if _, err := hygiene.ParseSchedule(c.HygieneEvery); err != nil {
		return usagef("--%v", err)
	}
	if c.works {
		if _, err := reminders.ParseLimits(c.ReminderLimits); err != nil {
			return usagef("--%v", err)
		}
		if c.RefillEvery < time.Second || c.RefillEvery > 24*time.Hour {
			return usagef("--refill-every (RAPPORT_REFILL_EVERY): want a duration from 1s to 24h, such as 1h")
		}
	}
	if err := c.Lookup.Validate(); err != nil {
		return err
	}
	if c.Staleness.MaxAge <= 0 {
		return usagef("--stale-after %v: want a positive duration, such as 8760h", c.Staleness.MaxAge)
	}
	_, err := parseLevel("--log-level", c.LogLevel)
	return err
}

// parseLevel reads a log level named by what (a flag or variable): debug,
// info, warn or error.
func parseLevel(what, v string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		return l, usagef("%s %q: want debug, info, warn or error", what, v)
	}
	return l, nil
}

// validateTimeScale wants a number of at least 1: a scale below 1 would
// stretch waits, which nobody needs, and 0 would divide by zero.
func (c *Config) validateTimeScale() error {
	if c.timeScaleEnv != "" {
		if _, err := strconv.ParseFloat(c.timeScaleEnv, 64); err != nil {
			return usagef("RAPPORT_TIME_SCALE %q: want a number of at least 1", c.timeScaleEnv)
		}
	}
	if !(c.TimeScale >= 1) || math.IsInf(c.TimeScale, 0) {
		return usagef("--time-scale %g: want a finite number of at least 1 (1 is real time)", c.TimeScale)
	}
	return nil
}

// timeScaleNote says what a time scale other than 1 does to a day, for the
// log at start; it is empty at real time.
func (c *Config) timeScaleNote() string {
	if c.TimeScale == 1 {
		return ""
	}
	day := time.Duration(float64(24*time.Hour) / c.TimeScale)
	return fmt.Sprintf("time scale %g: a day lasts %v; journey waits and delays are shortened, not for real patients", c.TimeScale, day.Round(time.Millisecond))
}

// warnTimeScale prints the time-scale note on stderr whatever the log
// level: a server on scaled time must not be mistaken for a real one.
func (c *Config) warnTimeScale(env *Env) {
	if note := c.timeScaleNote(); note != "" {
		fmt.Fprintln(env.Stderr, "WARNING: "+note)
	}
}

func (c *Config) logger(env *Env) *slog.Logger {
	l, _ := parseLevel("--log-level", c.LogLevel) // validated
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: l}))
}
