package population

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/rapporthq/rapport/verify"
)

// Record ids. A person's main record has key 2i, a duplicate 2i+1; each id
// is a bijective scramble of the key, so ids are unique and reveal neither
// the order nor which records are duplicates.
func (g *Generator) recordID(key uint64) string {
	return strconv.FormatUint(scramble(key, g.seed, 44)|1<<44, 36)
}

func (g *Generator) crmID(key uint64) string {
	return "C" + strconv.FormatUint(scramble(key, g.seed^0x9e3779b97f4a7c15, 32)+1_000_000_000, 10)
}

func (g *Generator) mrn(key uint64) string {
	s := strconv.FormatUint(scramble(key, g.seed^0xc2b2ae3d27d4eb4f, 30), 10)
	return "0000000000"[:10-len(s)] + s
}

// scramble is a bijection on [0, 2^bits): xor with a seed-derived constant,
// then rounds of odd multiplication and xor-shift, each invertible mod 2^bits.
func scramble(x, seed uint64, bits uint) uint64 {
	mask := uint64(1)<<bits - 1
	x = (x ^ seed*0xd6e8feb86659fd93) & mask
	for range 3 {
		x = x * 0x9e3779b97f4a7c15 & mask
		x ^= x >> (bits / 2)
	}
	return x
}

// record makes a record of p as the clinic's systems hold it, with the dirt
// the parameters call for.
func (g *Generator) record(r *rand.Rand, p *Person, key uint64, dupOf string) Record {
	d := &g.p.Dirt
	rec := Record{ID: g.recordID(key), CRMID: g.crmID(key), MRN: g.mrn(key), DuplicateOf: dupOf,
		Given: p.Given, Family: p.Family, BirthDate: p.BirthDate, Address: p.Address}
	if chance(r, d.StaleAddress) {
		area := p.Address.Area
		if chance(r, d.StaleAddressOtherArea) {
			area = pick(r, g.all)
		}
		rec.Address, rec.AddressStale = g.address(r, area), true
	}
	rec.InternetKnown = chance(r, g.p.InternetKnownShare)
	codes := g.p.Areas[p.Address.Area].AreaCodes
	for _, ph := range p.Phones {
		style := r.IntN(phoneStyles)
		rp := RecordedPhone{Use: "mobile", LineType: ph.LineType, Status: PhoneOK, Actual: ph.Number.E164()}
		if ph.LineType == "landline" {
			rp.Use = "home"
			if chance(r, d.LandlineAsMobile) {
				rp.Use, rp.Status = "mobile", PhoneLandline
			}
		}
		switch x := r.Float64(); {
		case x < d.MalformedPhone:
			rp.Raw, rp.Status = malformed(r, ph.Number, style), PhoneMalformed
		case x < d.MalformedPhone+d.Disconnected:
			rp.Raw, rp.Status = drawNumber(r, codes).format(style), PhoneDisconnected
		case x < d.MalformedPhone+d.Disconnected+d.Reassigned:
			rp.Raw, rp.Status = drawNumber(r, codes).format(style), PhoneReassigned
		default:
			rp.Raw = ph.Number.format(style)
		}
		rec.Phones = append(rec.Phones, rp)
	}
	if p.Email != "" {
		e := &RecordedEmail{Raw: p.Email, Status: EmailOK, Deliverable: true, Intended: p.Email}
		switch x := r.Float64(); {
		case x < d.EmailTypo:
			e.Raw, e.Status, e.Deliverable = typoEmail(r, p.Email), EmailTypo, false
		case x < d.EmailTypo+d.EmailAbandoned:
			e.Status, e.Deliverable = EmailAbandoned, false
		}
		rec.Email = e
	}
	return rec
}

// duplicate makes a second record of p, registered again under another id
// and MRN, with a misspelt name and/or transposed birth date digits.
func (g *Generator) duplicate(r *rand.Rand, p *Person, key uint64) Record {
	rec := g.record(r, p, key, p.Records[0].ID)
	d := &g.p.Dirt
	typo := chance(r, d.DuplicateNameTypo)
	if chance(r, d.DuplicateBirthDateSwap) {
		if swapped, ok := swapDateDigits(r, rec.BirthDate, g.p.AsOf); ok {
			rec.BirthDate = swapped
		} else {
			typo = true
		}
	} else if !typo {
		typo = true
	}
	if typo {
		if chance(r, 0.5) {
			rec.Given = typoName(r, rec.Given)
		} else {
			rec.Family = typoName(r, rec.Family)
		}
	}
	return rec
}

// typoName misspells a name by one edit: two letters swapped, one dropped
// or one doubled. Names of three letters or fewer get a letter doubled.
func typoName(r *rand.Rand, name string) string {
	rs := []rune(name)
	op := r.IntN(3)
	if len(rs) <= 3 {
		op = 2
	}
	switch op {
	case 0:
		for range 8 {
			i := 1 + r.IntN(len(rs)-2)
			if rs[i] != rs[i+1] {
				rs[i], rs[i+1] = rs[i+1], rs[i]
				return string(rs)
			}
		}
		fallthrough
	case 1:
		i := 1 + r.IntN(len(rs)-1)
		return string(append(rs[:i:i], rs[i+1:]...))
	}
	i := r.IntN(len(rs))
	out := append(rs[:i+1:i+1], rs[i])
	return string(append(out, rs[i+1:]...))
}

// swapDateDigits transposes digits of a YYYY-MM-DD date as a clerk might:
// the day's two digits (12 → 21), month and day, or the year's last two;
// it returns false when no transposition gives another valid date before
// the date before.
func swapDateDigits(r *rand.Rand, date, before string) (string, bool) {
	b := []byte(date)
	start := r.IntN(3)
	for k := range 3 {
		c := []byte(date)
		switch (start + k) % 3 {
		case 0:
			c[8], c[9] = b[9], b[8]
		case 1:
			copy(c[5:7], b[8:10])
			copy(c[8:10], b[5:7])
		default:
			c[2], c[3] = b[3], b[2]
		}
		s := string(c)
		if s == date {
			continue
		}
		if t, err := time.Parse("2006-01-02", s); err == nil && t.Year() >= 1900 && s < before {
			return s, true
		}
	}
	return "", false
}

// typoEmail misspells the domain of an address so that [verify.Email] flags
// it as a typo: a letter swapped, dropped or doubled, or .com typed .con.
func typoEmail(r *rand.Rand, addr string) string {
	at := len(addr) - 1
	for addr[at] != '@' {
		at--
	}
	local, domain := addr[:at+1], addr[at+1:]
	dot := len(domain) - 1
	for domain[dot] != '.' {
		dot--
	}
	for range 16 {
		name := []byte(domain[:dot])
		var cand string
		switch r.IntN(4) {
		case 0:
			if i := r.IntN(len(name) - 1); name[i] != name[i+1] {
				name[i], name[i+1] = name[i+1], name[i]
			}
			cand = string(name) + domain[dot:]
		case 1:
			i := 1 + r.IntN(len(name)-1)
			cand = string(name[:i]) + string(name[i+1:]) + domain[dot:]
		case 2:
			i := r.IntN(len(name))
			cand = string(name[:i+1]) + string(name[i:]) + domain[dot:]
		default:
			if domain[dot:] != ".com" {
				continue
			}
			cand = string(name) + ".con"
		}
		if res := verify.Email(local + cand); res.Suggestion != "" { // flagged as a typo (usable, or invalid for .con)
			return local + cand
		}
	}
	return local + domain[:dot] + ".con" // verify reads the TLD .con as a slip for .com or .net
}
