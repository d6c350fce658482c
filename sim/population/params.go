package population

import (
	"fmt"
	"time"

	"github.com/rapporthq/rapport/verify"
)

// Params holds every rate and distribution of a population. [DefaultParams]
// returns a clinic-like population; [LoadParams] reads overrides from YAML.
// The package documentation describes each field and its default.
type Params struct {
	// AsOf is the date the population is generated as of, YYYY-MM-DD: ages,
	// visits, prescriptions and fills are relative to it. Nothing in the
	// package reads the wall clock.
	AsOf string `yaml:"as_of"`
	// Ages is the age distribution of adults on the clinic's list.
	Ages []AgeBand `yaml:"ages"`
	// OlderAge is the age from which a person counts as older in
	// [GroupRates] (and in condition prevalence bands).
	OlderAge int `yaml:"older_age"`
	// FemaleShare is the share of women; the rest are men.
	FemaleShare float64 `yaml:"female_share"`
	// SpanishShare is the share whose preferred language is Spanish; the rest
	// prefer English.
	SpanishShare float64 `yaml:"spanish_share"`
	// RuralShare is the share of people living in a rural area.
	RuralShare float64 `yaml:"rural_share"`
	// Areas are where people live: a person is rural or urban by RuralShare,
	// then lives in an area of that kind picked by Weight.
	Areas []Area `yaml:"areas"`

	// Mobile is the chance of having a mobile phone, and Landline of having a
	// landline at home. A person drawn with neither gets a mobile.
	Mobile   GroupRates `yaml:"mobile"`
	Landline GroupRates `yaml:"landline"`
	// NoInternet is the chance of having no internet access at home.
	NoInternet GroupRates `yaml:"no_internet"`
	// InternetKnownShare is the share of records that say whether the person
	// has internet access; the others leave it unknown.
	InternetKnownShare float64 `yaml:"internet_known_share"`
	// Email is the chance that a person with internet access has an email
	// address; EmailWithoutInternet multiplies it for people without (an
	// address they read at a library or a relative's).
	Email                GroupRates `yaml:"email"`
	EmailWithoutInternet float64    `yaml:"email_without_internet"`
	// EmailProviders are the mail domains addresses are drawn from.
	EmailProviders []Weighted `yaml:"email_providers"`

	Conditions []ConditionParams `yaml:"conditions"`
	Visits     VisitParams       `yaml:"visits"`
	Adherence  AdherenceParams   `yaml:"adherence"`
	// PractitionersPerArea is how many practitioners work at each area's clinic.
	PractitionersPerArea int `yaml:"practitioners_per_area"`

	Dirt      DirtParams      `yaml:"dirt"`
	Behaviour BehaviourParams `yaml:"behaviour"`
}

// AgeBand is a range of ages (inclusive) and its relative weight; ages are
// uniform within a band.
type AgeBand struct {
	Min    int     `yaml:"min"`
	Max    int     `yaml:"max"`
	Weight float64 `yaml:"weight"`
}

// GroupRates is a probability for each of four groups: urban or rural, and
// younger or older than [Params.OlderAge].
type GroupRates struct {
	UrbanYounger float64 `yaml:"urban_younger"`
	UrbanOlder   float64 `yaml:"urban_older"`
	RuralYounger float64 `yaml:"rural_younger"`
	RuralOlder   float64 `yaml:"rural_older"`
}

// For returns the rate of the group.
func (g GroupRates) For(rural, older bool) float64 {
	switch {
	case rural && older:
		return g.RuralOlder
	case rural:
		return g.RuralYounger
	case older:
		return g.UrbanOlder
	}
	return g.UrbanYounger
}

// Weighted is a value with a relative weight.
type Weighted struct {
	Value  string  `yaml:"value"`
	Weight float64 `yaml:"weight"`
}

// Area is a town or city people live in, with its clinic.
type Area struct {
	City     string `yaml:"city"`
	State    string `yaml:"state"`
	Rural    bool   `yaml:"rural"`
	TimeZone string `yaml:"time_zone"`
	// AreaCodes are the telephone area codes of the area (NANP, three digits).
	AreaCodes []string `yaml:"area_codes"`
	// ZIPs are the area's ZIP codes.
	ZIPs []string `yaml:"zips"`
	// Weight is the area's share among areas of its kind (urban or rural).
	Weight float64 `yaml:"weight"`
	// Latitude and Longitude place the area's clinic.
	Latitude  float64 `yaml:"latitude"`
	Longitude float64 `yaml:"longitude"`
}

// ConditionParams is a chronic condition, how common it is by age, and what
// is prescribed for it.
type ConditionParams struct {
	// Key names the condition in the truth file ("hypertension").
	Key           string `yaml:"key"`
	SNOMED        string `yaml:"snomed"`
	SNOMEDDisplay string `yaml:"snomed_display"`
	ICD10         string `yaml:"icd10"`
	ICD10Display  string `yaml:"icd10_display"`
	// Prevalence is the chance of having the condition under 45, from 45 to
	// OlderAge-1, and from OlderAge.
	Prevalence [3]float64 `yaml:"prevalence"`
	// Medications are prescribed to patients with the condition, each with
	// its own chance.
	Medications []MedicationParams `yaml:"medications"`
}

// MedicationParams is a drug prescribed for a condition.
type MedicationParams struct {
	RxNorm  string `yaml:"rxnorm"`
	Display string `yaml:"display"`
	// Share is the chance that a patient with the condition takes it.
	Share float64 `yaml:"share"`
	// TimesOfDay are the local dose times ("08:00"); their count is the
	// daily frequency. Empty with AsNeeded.
	TimesOfDay []string `yaml:"times_of_day"`
	DoseValue  float64  `yaml:"dose_value"`
	DoseUnit   string   `yaml:"dose_unit"`
	AsNeeded   bool     `yaml:"as_needed"`
}

// VisitParams shapes the encounters of the last WindowDays.
type VisitParams struct {
	WindowDays int `yaml:"window_days"`
	// Base is the mean number of visits in the window of a person with no
	// chronic condition; PerCondition adds to it for each condition.
	Base         float64 `yaml:"base"`
	PerCondition float64 `yaml:"per_condition"`
	// RecentShare of people had a visit that finished in the last RecentDays.
	RecentShare float64 `yaml:"recent_share"`
	RecentDays  int     `yaml:"recent_days"`
}

// AdherenceParams shapes prescriptions and fills.
type AdherenceParams struct {
	// AdherentShare and PartialShare are the shares of adherent and partly
	// adherent patients; the rest are non-adherent.
	AdherentShare float64 `yaml:"adherent_share"`
	PartialShare  float64 `yaml:"partial_share"`
	// NinetyDayShare of prescriptions are for 90 days' supply, the rest 30.
	NinetyDayShare float64 `yaml:"ninety_day_share"`
	// RenewalDays bounds how long ago the current prescription was written.
	RenewalDays int `yaml:"renewal_days"`
}

// DirtParams are the rates of CRM errors. Phone rates apply to each
// recorded phone, email rates to each recorded email.
type DirtParams struct {
	// MalformedPhone: a recorded number with a digit missing or a letter
	// for a digit, which numbering plans reject.
	MalformedPhone float64 `yaml:"malformed_phone"`
	// Disconnected and Reassigned: a well-formed number that no longer
	// reaches the person (out of service, or now someone else's).
	Disconnected float64 `yaml:"disconnected"`
	Reassigned   float64 `yaml:"reassigned"`
	// LandlineAsMobile: the share of landlines recorded as mobiles.
	LandlineAsMobile float64 `yaml:"landline_as_mobile"`
	// EmailTypo: a misspelt domain (gmial.com, yaho.com).
	EmailTypo float64 `yaml:"email_typo"`
	// EmailAbandoned: a well-formed address whose mailbox is gone.
	EmailAbandoned float64 `yaml:"email_abandoned"`
	// Duplicate: the share of people with a second record, which has a
	// misspelt name with chance DuplicateNameTypo and transposed birth date
	// digits otherwise or additionally with chance DuplicateBirthDateSwap.
	Duplicate              float64 `yaml:"duplicate"`
	DuplicateNameTypo      float64 `yaml:"duplicate_name_typo"`
	DuplicateBirthDateSwap float64 `yaml:"duplicate_birth_date_swap"`
	// StaleAddress: the record holds an address the person left;
	// StaleAddressOtherArea of those moved from another area (so the
	// record's city, ZIP and time zone are wrong too).
	StaleAddress          float64 `yaml:"stale_address"`
	StaleAddressOtherArea float64 `yaml:"stale_address_other_area"`
}

// BehaviourParams are the traits the demo's patient simulator reads from
// the truth file.
type BehaviourParams struct {
	// ResponsivenessMean is the mean chance of answering a message.
	ResponsivenessMean float64 `yaml:"responsiveness_mean"`
	// DeclinerShare of people tend to decline offers.
	DeclinerShare float64 `yaml:"decliner_share"`
	// DeclineReasons are the reasons people give; RuralTransport and
	// SpanishLanguage multiply the weights of "transport" and "language".
	DeclineReasons  []Weighted `yaml:"decline_reasons"`
	RuralTransport  float64    `yaml:"rural_transport"`
	SpanishLanguage float64    `yaml:"spanish_language"`
	// SpontaneousMean is the mean propensity to get in touch unprompted.
	SpontaneousMean float64 `yaml:"spontaneous_mean"`
	// ChannelsYounger and ChannelsOlder weigh the preferred channels (sms,
	// voice, email, web) before those a person cannot use are dropped.
	ChannelsYounger []Weighted `yaml:"channels_younger"`
	ChannelsOlder   []Weighted `yaml:"channels_older"`
}

// Validate checks that rates are probabilities, distributions have weight
// and dates, zones and area codes parse.
func (p *Params) Validate() error {
	if _, err := p.asOf(); err != nil {
		return err
	}
	if len(p.Ages) == 0 {
		return fmt.Errorf("ages: at least one band is needed")
	}
	var ageWeight float64
	for i, b := range p.Ages {
		if b.Min < 18 || b.Max < b.Min || b.Max > 110 || b.Weight < 0 {
			return fmt.Errorf("ages[%d]: want 18 <= min <= max <= 110 and weight >= 0", i)
		}
		ageWeight += b.Weight
	}
	if ageWeight <= 0 {
		return fmt.Errorf("ages: weights sum to zero")
	}
	rates := []namedRate{
		{"female_share", p.FemaleShare}, {"spanish_share", p.SpanishShare}, {"rural_share", p.RuralShare},
		{"internet_known_share", p.InternetKnownShare}, {"email_without_internet", p.EmailWithoutInternet},
		{"visits.recent_share", p.Visits.RecentShare}, {"adherence.adherent_share", p.Adherence.AdherentShare},
		{"adherence.partial_share", p.Adherence.PartialShare}, {"adherence.ninety_day_share", p.Adherence.NinetyDayShare},
		{"dirt.malformed_phone", p.Dirt.MalformedPhone}, {"dirt.disconnected", p.Dirt.Disconnected},
		{"dirt.reassigned", p.Dirt.Reassigned}, {"dirt.landline_as_mobile", p.Dirt.LandlineAsMobile},
		{"dirt.email_typo", p.Dirt.EmailTypo}, {"dirt.email_abandoned", p.Dirt.EmailAbandoned},
		{"dirt.duplicate", p.Dirt.Duplicate}, {"dirt.duplicate_name_typo", p.Dirt.DuplicateNameTypo},
		{"dirt.duplicate_birth_date_swap", p.Dirt.DuplicateBirthDateSwap}, {"dirt.stale_address", p.Dirt.StaleAddress},
		{"dirt.stale_address_other_area", p.Dirt.StaleAddressOtherArea},
		{"behaviour.responsiveness_mean", p.Behaviour.ResponsivenessMean}, {"behaviour.decliner_share", p.Behaviour.DeclinerShare},
		{"behaviour.spontaneous_mean", p.Behaviour.SpontaneousMean},
	}
	for _, g := range []struct {
		name string
		r    GroupRates
	}{{"mobile", p.Mobile}, {"landline", p.Landline}, {"no_internet", p.NoInternet}, {"email", p.Email}} {
		rates = append(rates, namedRate{g.name + ".urban_younger", g.r.UrbanYounger}, namedRate{g.name + ".urban_older", g.r.UrbanOlder},
			namedRate{g.name + ".rural_younger", g.r.RuralYounger}, namedRate{g.name + ".rural_older", g.r.RuralOlder})
	}
	for _, r := range rates {
		if !(r.v >= 0 && r.v <= 1) {
			return fmt.Errorf("%s: %g is not a probability", r.name, r.v)
		}
	}
	if p.Adherence.AdherentShare+p.Adherence.PartialShare > 1 {
		return fmt.Errorf("adherence: adherent_share + partial_share exceed 1")
	}
	if p.Dirt.MalformedPhone+p.Dirt.Disconnected+p.Dirt.Reassigned > 1 {
		return fmt.Errorf("dirt: malformed_phone + disconnected + reassigned exceed 1")
	}
	if p.Dirt.EmailTypo+p.Dirt.EmailAbandoned > 1 {
		return fmt.Errorf("dirt: email_typo + email_abandoned exceed 1")
	}
	if p.OlderAge < 18 || p.OlderAge > 110 {
		return fmt.Errorf("older_age: %d is not an adult age", p.OlderAge)
	}
	if p.Visits.WindowDays < 30 || p.Visits.RecentDays < 1 || p.Visits.RecentDays > p.Visits.WindowDays {
		return fmt.Errorf("visits: want window_days >= 30 and 1 <= recent_days <= window_days")
	}
	if p.Visits.Base < 0 || p.Visits.PerCondition < 0 {
		return fmt.Errorf("visits: base and per_condition must not be negative")
	}
	if p.Adherence.RenewalDays < 30 {
		return fmt.Errorf("adherence.renewal_days: want at least 30")
	}
	if p.PractitionersPerArea < 1 {
		return fmt.Errorf("practitioners_per_area: want at least 1")
	}
	if err := p.validateAreas(); err != nil {
		return err
	}
	if err := validateWeights("email_providers", p.EmailProviders); err != nil {
		return err
	}
	for _, w := range p.EmailProviders {
		if res := verify.Email("someone@" + w.Value); !res.Valid {
			return fmt.Errorf("email_providers: %q is not a mail domain: %s", w.Value, res.Reason)
		}
	}
	for _, w := range []struct {
		name string
		ws   []Weighted
	}{{"behaviour.decline_reasons", p.Behaviour.DeclineReasons}, {"behaviour.channels_younger", p.Behaviour.ChannelsYounger}, {"behaviour.channels_older", p.Behaviour.ChannelsOlder}} {
		if err := validateWeights(w.name, w.ws); err != nil {
			return err
		}
	}
	for _, w := range append(p.Behaviour.ChannelsYounger, p.Behaviour.ChannelsOlder...) {
		switch w.Value {
		case ChannelSMS, ChannelVoice, ChannelEmail, ChannelWeb:
		default:
			return fmt.Errorf("behaviour: channel %q is not one of sms, voice, email, web", w.Value)
		}
	}
	if p.Behaviour.RuralTransport < 0 || p.Behaviour.SpanishLanguage < 0 {
		return fmt.Errorf("behaviour: multipliers must not be negative")
	}
	return p.validateConditions()
}

func (p *Params) validateAreas() error {
	var rural, urban bool
	for i, a := range p.Areas {
		if a.City == "" || len(a.State) != 2 || len(a.ZIPs) == 0 || len(a.AreaCodes) == 0 || a.Weight <= 0 {
			return fmt.Errorf("areas[%d]: want a city, a two-letter state, zips, area_codes and a positive weight", i)
		}
		if _, err := time.LoadLocation(a.TimeZone); err != nil || a.TimeZone == "" {
			return fmt.Errorf("areas[%d]: time_zone %q is not an IANA zone", i, a.TimeZone)
		}
		for _, ac := range a.AreaCodes {
			if len(validExchanges(ac)) == 0 {
				return fmt.Errorf("areas[%d]: area code %q has no valid numbers", i, ac)
			}
		}
		for _, z := range a.ZIPs {
			if len(z) != 5 || !allDigits(z) {
				return fmt.Errorf("areas[%d]: zip %q is not five digits", i, z)
			}
		}
		rural = rural || a.Rural
		urban = urban || !a.Rural
	}
	if !rural || !urban {
		return fmt.Errorf("areas: at least one rural and one urban area are needed")
	}
	return nil
}

func (p *Params) validateConditions() error {
	for i, c := range p.Conditions {
		if c.Key == "" || c.SNOMED == "" || c.ICD10 == "" {
			return fmt.Errorf("conditions[%d]: key, snomed and icd10 are required", i)
		}
		for _, v := range c.Prevalence {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("conditions[%d] (%s): prevalence %g is not a probability", i, c.Key, v)
			}
		}
		for j, m := range c.Medications {
			if m.RxNorm == "" || m.Display == "" || !(m.Share >= 0 && m.Share <= 1) || m.DoseValue <= 0 {
				return fmt.Errorf("conditions[%d].medications[%d]: want rxnorm, display, share in [0,1] and a positive dose", i, j)
			}
			if !m.AsNeeded && len(m.TimesOfDay) == 0 {
				return fmt.Errorf("conditions[%d].medications[%d]: a scheduled drug needs times_of_day", i, j)
			}
			for _, t := range m.TimesOfDay {
				if _, err := time.Parse("15:04", t); err != nil || len(t) != 5 {
					return fmt.Errorf("conditions[%d].medications[%d]: time %q is not HH:MM", i, j, t)
				}
			}
		}
	}
	return nil
}

func validateWeights(name string, ws []Weighted) error {
	var sum float64
	for _, w := range ws {
		if w.Value == "" || w.Weight < 0 {
			return fmt.Errorf("%s: every entry needs a value and a weight >= 0", name)
		}
		sum += w.Weight
	}
	if sum <= 0 {
		return fmt.Errorf("%s: weights sum to zero", name)
	}
	return nil
}

func (p *Params) asOf() (time.Time, error) {
	t, err := time.Parse("2006-01-02", p.AsOf)
	if err != nil {
		return time.Time{}, fmt.Errorf("as_of: %q is not a date (YYYY-MM-DD)", p.AsOf)
	}
	return t, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

type namedRate struct {
	name string
	v    float64
}
