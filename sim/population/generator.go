package population

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Generator draws people from Params. Person i depends only on the seed,
// the parameters and i: the same inputs give the same person, whatever else
// was generated before. A Generator is not safe for concurrent use; make
// one per goroutine.
type Generator struct {
	p     Params
	seed  uint64
	asOf  time.Time
	zones []*time.Location // by area
	// cumulative weights
	ages, urban, rural, all, providers []float64
	urbanIdx, ruralIdx                 []int
	reasons, chanYoung, chanOld        []float64

	src, csrc *rand.PCG
	r, c      *rand.Rand
}

// NewGenerator validates p and returns a generator for seed.
func NewGenerator(seed int64, p Params) (*Generator, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("population params: %w", err)
	}
	asOf, _ := p.asOf()
	g := &Generator{p: p, seed: uint64(seed), asOf: asOf, src: rand.NewPCG(0, 0), csrc: rand.NewPCG(0, 0)}
	g.r, g.c = rand.New(g.src), rand.New(g.csrc)
	for _, a := range p.Areas {
		loc, _ := time.LoadLocation(a.TimeZone) // checked by Validate
		g.zones = append(g.zones, loc)
	}
	for _, b := range p.Ages {
		g.ages = cumulate(g.ages, b.Weight)
	}
	for i, a := range p.Areas {
		g.all = cumulate(g.all, a.Weight)
		if a.Rural {
			g.rural, g.ruralIdx = cumulate(g.rural, a.Weight), append(g.ruralIdx, i)
		} else {
			g.urban, g.urbanIdx = cumulate(g.urban, a.Weight), append(g.urbanIdx, i)
		}
	}
	g.providers = weights(p.EmailProviders)
	g.reasons = weights(p.Behaviour.DeclineReasons)
	g.chanYoung = weights(p.Behaviour.ChannelsYounger)
	g.chanOld = weights(p.Behaviour.ChannelsOlder)
	return g, nil
}

// Params returns the generator's parameters.
func (g *Generator) Params() Params { return g.p }

func cumulate(c []float64, w float64) []float64 {
	last := 0.0
	if len(c) > 0 {
		last = c[len(c)-1]
	}
	return append(c, last+w)
}

func weights(ws []Weighted) []float64 {
	var c []float64
	for _, w := range ws {
		c = cumulate(c, w.Weight)
	}
	return c
}

// pick returns an index drawn by cumulative weights c.
func pick(r *rand.Rand, c []float64) int {
	x := r.Float64() * c[len(c)-1]
	for i, v := range c {
		if x < v {
			return i
		}
	}
	return len(c) - 1
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// Person generates person i (0-based) with their records and, when
// clinical is true, their clinical history.
func (g *Generator) Person(i int, clinical bool) *Person {
	p := &Person{}
	g.fill(i, clinical, p)
	return p
}

// fill generates person i into p, reusing p's slices.
func (g *Generator) fill(i int, clinical bool, p *Person) {
	*p = Person{Phones: p.Phones[:0], Records: p.Records[:0], Conditions: p.Conditions[:0], Encounters: p.Encounters[:0], Prescriptions: p.Prescriptions[:0]}
	// Two streams per person: demographics and records, then clinical
	// history, so that patients-only output equals the Patient file of a
	// full run.
	g.src.Seed(g.seed, uint64(i)<<1)
	r := g.r
	p.Index = i
	p.ID = "person-" + strconv.Itoa(i+1)
	g.demographics(r, p)
	g.contacts(r, p)
	g.traits(r, p)
	p.Records = append(p.Records, g.record(r, p, uint64(i)<<1, ""))
	if chance(r, g.p.Dirt.Duplicate) {
		p.Records = append(p.Records, g.duplicate(r, p, uint64(i)<<1|1))
	}
	if clinical {
		g.csrc.Seed(g.seed, uint64(i)<<1|1)
		g.clinical(g.c, p)
	}
}

func (g *Generator) demographics(r *rand.Rand, p *Person) {
	p.Sex = "male"
	if chance(r, g.p.FemaleShare) {
		p.Sex = "female"
	}
	band := g.p.Ages[pick(r, g.ages)]
	p.Age = band.Min + r.IntN(band.Max-band.Min+1)
	p.BirthDate = dateString(g.asOf.AddDate(-p.Age, 0, -1-r.IntN(365)))
	p.Language = "en"
	if chance(r, g.p.SpanishShare) {
		p.Language = "es"
	}
	hispanic := p.Language == "es" || chance(r, 0.15)
	female := p.Sex == "female"
	switch {
	case hispanic && female:
		p.Given = givenFemaleHispanic[r.IntN(len(givenFemaleHispanic))]
	case hispanic:
		p.Given = givenMaleHispanic[r.IntN(len(givenMaleHispanic))]
	case female:
		p.Given = givenFemale[r.IntN(len(givenFemale))]
	default:
		p.Given = givenMale[r.IntN(len(givenMale))]
	}
	if hispanic {
		p.Family = familyNamesHispanic[r.IntN(len(familyNamesHispanic))]
	} else {
		p.Family = familyNames[r.IntN(len(familyNames))]
	}
	rural := chance(r, g.p.RuralShare)
	var area int
	if rural {
		area = g.ruralIdx[pick(r, g.rural)]
	} else {
		area = g.urbanIdx[pick(r, g.urban)]
	}
	p.Address = g.address(r, area)
	p.Internet = !chance(r, g.p.NoInternet.For(rural, p.Older(&g.p)))
	p.Adherence = NonAdherent
	switch x := r.Float64(); {
	case x < g.p.Adherence.AdherentShare:
		p.Adherence = Adherent
	case x < g.p.Adherence.AdherentShare+g.p.Adherence.PartialShare:
		p.Adherence = Partial
	}
}

// address draws a street address in area.
func (g *Generator) address(r *rand.Rand, area int) Address {
	a := &g.p.Areas[area]
	line := strconv.Itoa(1+r.IntN(9899)) + " " + streetNames[r.IntN(len(streetNames))] + " " + streetKinds[r.IntN(len(streetKinds))]
	return Address{Line: line, City: a.City, State: a.State, ZIP: a.ZIPs[r.IntN(len(a.ZIPs))], TimeZone: a.TimeZone, Rural: a.Rural, Area: area}
}

// contacts draws the person's working phones and email.
func (g *Generator) contacts(r *rand.Rand, p *Person) {
	rural, older := p.Address.Rural, p.Older(&g.p)
	codes := g.p.Areas[p.Address.Area].AreaCodes
	mobile := chance(r, g.p.Mobile.For(rural, older))
	landline := chance(r, g.p.Landline.For(rural, older))
	if mobile || !landline {
		p.Phones = append(p.Phones, Phone{Number: drawNumber(r, codes), LineType: "mobile"})
	}
	if landline {
		p.Phones = append(p.Phones, Phone{Number: drawNumber(r, codes), LineType: "landline"})
	}
	pe := g.p.Email.For(rural, older)
	if !p.Internet {
		pe *= g.p.EmailWithoutInternet
	}
	if chance(r, pe) {
		p.Email = g.emailAddress(r, p)
	}
}

func (g *Generator) emailAddress(r *rand.Rand, p *Person) string {
	given, family := asciiFold(p.Given), asciiFold(p.Family)
	yy := p.BirthDate[2:4]
	var local string
	switch r.IntN(5) {
	case 0:
		local = given + "." + family
	case 1:
		local = given[:1] + family
	case 2:
		local = given + family + strconv.Itoa(10+r.IntN(90))
	case 3:
		local = family + given[:1] + strconv.Itoa(1+r.IntN(99))
	default:
		local = given + "_" + family + yy
	}
	return local + "@" + g.p.EmailProviders[pick(r, g.providers)].Value
}

func (g *Generator) traits(r *rand.Rand, p *Person) {
	b := &g.p.Behaviour
	t := &p.Traits
	decliner := chance(r, b.DeclinerShare)
	mean := b.ResponsivenessMean
	if decliner {
		mean -= 0.15
	}
	t.Responsiveness = round3(clamp01(mean + 0.2*r.NormFloat64()))
	if decliner {
		t.DeclinePropensity = round3(0.55 + 0.4*r.Float64())
	} else {
		t.DeclinePropensity = round3(0.02 + 0.28*r.Float64())
	}
	// Reason weights, adjusted for who the person is.
	var c [16]float64
	cw := c[:0]
	for _, w := range b.DeclineReasons {
		x := w.Weight
		if w.Value == "transport" && p.Address.Rural {
			x *= b.RuralTransport
		}
		if w.Value == "language" && p.Language == "es" {
			x *= b.SpanishLanguage
		}
		cw = cumulate(cw, x)
	}
	t.DeclineReason = b.DeclineReasons[pick(r, cw)].Value
	t.SpontaneousEngagement = round3(clamp01(b.SpontaneousMean * r.ExpFloat64()))

	hasMobile := p.Phones[0].LineType == "mobile"
	chans, cum := b.ChannelsYounger, g.chanYoung
	if p.Older(&g.p) {
		chans, cum = b.ChannelsOlder, g.chanOld
	}
	cw = c[:0]
	prev := 0.0
	for i, ch := range chans {
		w := cum[i] - prev
		prev = cum[i]
		switch ch.Value {
		case ChannelSMS:
			w *= b2f(hasMobile)
		case ChannelEmail:
			w *= b2f(p.Email != "")
		case ChannelWeb:
			w *= b2f(p.Internet)
		}
		cw = cumulate(cw, w)
	}
	if cw[len(cw)-1] == 0 {
		t.PreferredChannel = ChannelVoice // everyone has a phone
	} else {
		t.PreferredChannel = chans[pick(r, cw)].Value
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

// dateString formats t as YYYY-MM-DD without time.Format's generality.
func dateString(t time.Time) string {
	y, m, d := t.Date()
	return string(appendDate(make([]byte, 0, 10), y, int(m), d))
}

func appendDate(b []byte, y, m, d int) []byte {
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}
