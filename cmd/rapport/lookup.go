package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/linelookup"
)

// LookupConfig is the line-type look-up's settings (serve and worker).
type LookupConfig struct {
	Provider string        // --lookup, RAPPORT_LOOKUP: off or twilio
	Rate     float64       // --lookup-rate, RAPPORT_LOOKUP_RATE: look-ups per second
	MaxAge   time.Duration // --lookup-max-age, RAPPORT_LOOKUP_MAX_AGE: how long an answer is trusted
	// envErr is the first RAPPORT_LOOKUP_* value that did not parse.
	envErr error
}

// Look-up providers of --lookup.
const (
	lookupOff    = "off"
	lookupTwilio = "twilio"
)

func (c *LookupConfig) bind(fs *flag.FlagSet, getenv func(string) string) {
	provider := getenv("RAPPORT_LOOKUP")
	if provider == "" {
		provider = lookupOff
	}
	rate, maxAge := 5.0, linelookup.DefaultMaxAge
	if v := getenv("RAPPORT_LOOKUP_RATE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			c.envErr = usagef("RAPPORT_LOOKUP_RATE %q: want look-ups per second, such as 5", v)
		}
		rate = f
	}
	if v := getenv("RAPPORT_LOOKUP_MAX_AGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil && c.envErr == nil {
			c.envErr = usagef("RAPPORT_LOOKUP_MAX_AGE %q: want a duration, such as 2160h", v)
		}
		maxAge = d
	}
	fs.StringVar(&c.Provider, "lookup", provider, "look up phone line types (landline, mobile, VoIP) with: off or twilio (Twilio Lookup, with the RAPPORT_TWILIO_ account) (env RAPPORT_LOOKUP)")
	fs.Float64Var(&c.Rate, "lookup-rate", rate, "line-type look-ups per second at most (env RAPPORT_LOOKUP_RATE)")
	fs.DurationVar(&c.MaxAge, "lookup-max-age", maxAge, "how long a number's line type is trusted before it is looked up again (env RAPPORT_LOOKUP_MAX_AGE)")
}

// Validate checks the look-up settings; credentials are checked when the
// provider is built, from the environment.
func (c *LookupConfig) Validate() error {
	if c.envErr != nil {
		return c.envErr
	}
	switch strings.ToLower(strings.TrimSpace(c.Provider)) {
	case lookupOff, "":
		c.Provider = lookupOff
		return nil
	case lookupTwilio:
		c.Provider = lookupTwilio
	default:
		return usagef("--lookup %q: want off or twilio", c.Provider)
	}
	if !(c.Rate > 0) || math.IsInf(c.Rate, 0) {
		return usagef("--lookup-rate %g: want a positive number of look-ups per second, such as 5", c.Rate)
	}
	if c.MaxAge < time.Hour {
		return usagef("--lookup-max-age %v: want at least 1h, such as 2160h (90 days)", c.MaxAge)
	}
	return nil
}

// On reports whether a provider is set.
func (c LookupConfig) On() bool { return c.Provider == lookupTwilio }

// lookupRunner builds the look-up runner of the settings, or nil when
// look-ups are off.
func (a *App) lookupRunner(getenv func(string) string) (*linelookup.Runner, error) {
	c := a.Config.Lookup
	if !c.On() {
		return nil, nil
	}
	tc := twilio.ConfigFromEnv(getenv)
	if tc.AccountSID == "" || tc.AuthToken == "" {
		return nil, usagef("--lookup twilio needs the Twilio account: set %s and %s", twilio.EnvAccountSID, twilio.EnvAuthToken)
	}
	tc.Clock = a.Clock
	lt, err := twilio.NewLineTypes(tc)
	if err != nil {
		return nil, fmt.Errorf("--lookup twilio: %w", err)
	}
	return &linelookup.Runner{DB: a.DB, Provider: lt, Source: twilio.ProviderLookup, Name: "Twilio Lookup",
		Config: linelookup.Config{Rate: c.Rate, MaxAge: c.MaxAge}}, nil
}

// lookupPeriodic is the look-up's periodic job, when it is on.
func (c Config) lookupPeriodic() []*river.PeriodicJob {
	if !c.works || !c.Lookup.On() {
		return nil
	}
	return []*river.PeriodicJob{linelookup.PeriodicJob(linelookup.Every)}
}
