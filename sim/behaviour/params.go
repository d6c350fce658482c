package behaviour

import (
	_ "embed"
	"fmt"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/rapporthq/rapport/internal/yamlcheck"
)

//go:embed model.yaml
var defaultModel []byte

// Params are every number and word of the behaviour model. model.yaml,
// embedded, documents each field and holds the defaults.
type Params struct {
	Reply      ReplyParams                    `yaml:"reply"`
	Delay      DelayParams                    `yaml:"delay"`
	Stop       float64                        `yaml:"stop"`
	WrongNum   float64                        `yaml:"wrong_number"`
	Form       FormParams                     `yaml:"form"`
	MindChange map[string]float64             `yaml:"mind_change"`
	Repeat     float64                        `yaml:"repeat_decline"`
	Wear       WearParams                     `yaml:"wear"`
	Annoyance  AnnoyanceParams                `yaml:"annoyance"`
	Follow     FollowParams                   `yaml:"follow_through"`
	Checkin    map[string]float64             `yaml:"checkin"`
	World      WorldParams                    `yaml:"world"`
	Refill     RefillParams                   `yaml:"refill"`
	Words      map[string]Words               `yaml:"words"`
	Sentences  map[string]map[string][]string `yaml:"sentences"`
}

// ReplyParams shape the chance of answering a delivered message.
type ReplyParams struct {
	Channel   map[string]float64 `yaml:"channel"`
	Rural     map[string]float64 `yaml:"rural"`
	Urban     map[string]float64 `yaml:"urban"`
	Older     map[string]float64 `yaml:"older"`
	Younger   map[string]float64 `yaml:"younger"`
	Preferred float64            `yaml:"preferred"`
	Step      map[string]float64 `yaml:"step"`
	Fatigue   float64            `yaml:"fatigue"`
	Evening   float64            `yaml:"evening"`
	Max       float64            `yaml:"max"`
}

// WearParams make silence and opt-outs rise with the messages received.
type WearParams struct {
	Reply float64 `yaml:"reply"`
	Stop  float64 `yaml:"stop"`
}

// AnnoyanceParams are the effects of an offer that ignores a reason the
// person stated and never heard an answer to.
type AnnoyanceParams struct {
	Reply   float64 `yaml:"reply"`
	Stop    float64 `yaml:"stop"`
	Decline float64 `yaml:"decline"`
}

// FollowParams say how often, and when, a yes becomes an enrolment.
type FollowParams struct {
	Share   float64 `yaml:"share"`
	DaysMin int     `yaml:"days_min"`
	DaysMax int     `yaml:"days_max"`
}

// Lognormal is a log-normal delay in minutes.
type Lognormal struct {
	Median float64 `yaml:"median"`
	Sigma  float64 `yaml:"sigma"`
}

// DelayParams shape when answers come.
type DelayParams struct {
	SMS         Lognormal `yaml:"sms"`
	Email       Lognormal `yaml:"email"`
	Voice       Lognormal `yaml:"voice"`
	AwakeFrom   string    `yaml:"awake_from"`
	AwakeUntil  string    `yaml:"awake_until"`
	LateShare   float64   `yaml:"late_share"`
	LateDaysMin float64   `yaml:"late_days_min"`
	LateDaysMax float64   `yaml:"late_days_max"`
}

// FormParams say how answers are written.
type FormParams struct {
	Digit        float64 `yaml:"digit"`
	DeclineWords float64 `yaml:"decline_words"`
	ReasonWords  float64 `yaml:"reason_words"`
}

// WorldParams are what happens without any message.
type WorldParams struct {
	BookingFactor float64 `yaml:"booking_factor"`
	VisitRate     float64 `yaml:"visit_rate"`
}

// RefillParams are the effect of a delivered refill reminder on when a
// person fills: see refill in model.yaml.
type RefillParams struct {
	OnTimeShare float64 `yaml:"on_time_share"`
	DaysMin     int     `yaml:"days_min"`
	DaysMax     int     `yaml:"days_max"`
}

// Words are the short answers of one language.
type Words struct {
	Yes         []string `yaml:"yes"`
	No          []string `yaml:"no"`
	Stop        []string `yaml:"stop"`
	WrongNumber []string `yaml:"wrong_number"`
	Thanks      []string `yaml:"thanks"`
}

// Step kinds of [ReplyParams.Step].
const (
	StepOffer          = "offer"
	StepRetry          = "retry"
	StepReasonQuestion = "reason_question"
	StepReoffer        = "reoffer"
	StepCheckin        = "checkin"
	StepOther          = "other"
)

// DefaultParams returns the embedded model.yaml.
func DefaultParams() Params {
	var p Params
	if err := yaml.Unmarshal(defaultModel, &p); err != nil {
		panic(fmt.Sprintf("behaviour: embedded model.yaml: %v", err))
	}
	return p
}

// LoadParams reads a model file: its fields override the defaults (a map
// or list replaces the default whole) and the result must pass Validate.
func LoadParams(path string) (Params, error) {
	p := DefaultParams()
	if err := yamlcheck.ReadOverrides(path, "behaviour model", &p); err != nil {
		return Params{}, err
	}
	return p, nil
}

// ParseParams is [LoadParams] on data already read; name is used in errors.
// Unknown fields are errors, so a misspelt rate does not pass unnoticed.
func ParseParams(name string, data []byte) (Params, error) {
	p := DefaultParams()
	if err := yamlcheck.Overrides(name, data, &p); err != nil {
		return Params{}, err
	}
	return p, nil
}

var channels = []string{"sms", "voice", "email"}

// Validate checks that chances are probabilities, multipliers are not
// negative, times parse and every language has its words.
func (p *Params) Validate() error {
	probs := map[string]float64{"stop": p.Stop, "wrong_number": p.WrongNum, "form.digit": p.Form.Digit,
		"form.decline_words": p.Form.DeclineWords, "form.reason_words": p.Form.ReasonWords,
		"delay.late_share": p.Delay.LateShare, "reply.max": p.Reply.Max, "reply.fatigue": p.Reply.Fatigue,
		"repeat_decline": p.Repeat, "wear.reply": p.Wear.Reply, "annoyance.reply": p.Annoyance.Reply, "annoyance.decline": p.Annoyance.Decline, "follow_through.share": p.Follow.Share,
		"refill.on_time_share": p.Refill.OnTimeShare}
	for k, v := range p.MindChange {
		probs["mind_change."+k] = v
	}
	for k, v := range probs {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("%s: %g is not a probability", k, v)
		}
	}
	for name, m := range map[string]map[string]float64{"reply.channel": p.Reply.Channel, "reply.rural": p.Reply.Rural,
		"reply.urban": p.Reply.Urban, "reply.older": p.Reply.Older, "reply.younger": p.Reply.Younger} {
		for _, ch := range channels {
			if v, ok := m[ch]; !ok || v < 0 {
				return fmt.Errorf("%s.%s: want a multiplier >= 0", name, ch)
			}
		}
	}
	for _, s := range []string{StepOffer, StepRetry, StepReasonQuestion, StepReoffer, StepCheckin, StepOther} {
		if v, ok := p.Reply.Step[s]; !ok || v < 0 {
			return fmt.Errorf("reply.step.%s: want a multiplier >= 0", s)
		}
	}
	if p.Follow.DaysMin < 0 || p.Follow.DaysMax < p.Follow.DaysMin {
		return fmt.Errorf("follow_through: want 0 <= days_min <= days_max")
	}
	if p.Refill.DaysMin < 0 || p.Refill.DaysMax < p.Refill.DaysMin {
		return fmt.Errorf("refill: want 0 <= days_min <= days_max")
	}
	if p.Wear.Stop < 0 || p.Annoyance.Stop < 0 {
		return fmt.Errorf("wear.stop and annoyance.stop: want multipliers >= 0")
	}
	if p.Reply.Preferred < 0 || p.Reply.Evening < 0 {
		return fmt.Errorf("reply: preferred and evening must not be negative")
	}
	for name, l := range map[string]Lognormal{"sms": p.Delay.SMS, "email": p.Delay.Email, "voice": p.Delay.Voice} {
		if l.Median <= 0 || l.Sigma < 0 {
			return fmt.Errorf("delay.%s: want median > 0 and sigma >= 0", name)
		}
	}
	from, err1 := time.Parse("15:04", p.Delay.AwakeFrom)
	until, err2 := time.Parse("15:04", p.Delay.AwakeUntil)
	if err1 != nil || err2 != nil || !from.Before(until) {
		return fmt.Errorf("delay: want awake_from < awake_until, both HH:MM")
	}
	if p.Delay.LateDaysMin <= 0 || p.Delay.LateDaysMax < p.Delay.LateDaysMin {
		return fmt.Errorf("delay: want 0 < late_days_min <= late_days_max")
	}
	var sum float64
	for _, k := range []string{"better", "same", "worse"} {
		v := p.Checkin[k]
		if v < 0 {
			return fmt.Errorf("checkin.%s: must not be negative", k)
		}
		sum += v
	}
	if sum <= 0 {
		return fmt.Errorf("checkin: weights sum to zero")
	}
	if p.World.BookingFactor < 0 || p.World.VisitRate < 0 || p.World.VisitRate > 1 {
		return fmt.Errorf("world: want booking_factor >= 0 and visit_rate in [0,1]")
	}
	for _, lang := range []string{"en", "es"} {
		w, ok := p.Words[lang]
		if !ok || len(w.Yes) == 0 || len(w.No) == 0 || len(w.Stop) == 0 || len(w.WrongNumber) == 0 || len(w.Thanks) == 0 {
			return fmt.Errorf("words.%s: want yes, no, stop, wrong_number and thanks", lang)
		}
		if len(p.Sentences[lang]["other"]) == 0 {
			return fmt.Errorf("sentences.%s.other: at least one sentence is needed", lang)
		}
	}
	return nil
}
