package linkage

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/antzucaro/matchr"
)

// prepared is a record normalised once for blocking and comparison.
// Low-cardinality strings are interned so that a million records share a
// few thousand given names, surnames and cities.
type prepared struct {
	given, family string
	birth         string // 8 digits YYYYMMDD, or ""
	sex           byte   // 'f', 'm', 'o', or 0 when unknown
	street, city  string
	state, postal string
	phone, email  string
	ids           []string // "system|value", sorted
	famKey        string   // Double Metaphone primary code of family
	givenKey      string   // the same of given
	streetKey     string   // street without spaces ("12 canningstreet")
}

// preparer normalises records, interning repeated values and caching the
// phonetic code of each distinct surname (the costly part).
type preparer struct {
	intern  map[string]string
	phonKey map[string]string
	buf     []byte
}

func newPreparer() *preparer {
	return &preparer{intern: make(map[string]string), phonKey: make(map[string]string)}
}

func (p *preparer) prepare(r *Record) prepared {
	out := prepared{
		given:  p.interned(p.text(r.Given)),
		family: p.interned(p.text(r.Family)),
		birth:  p.interned(p.date(r.BirthDate)),
		sex:    sexCode(r.Sex),
		street: clone(p.text(r.Street)),
		city:   p.interned(p.text(r.City)),
		state:  p.interned(p.text(r.State)),
		postal: p.interned(p.alnum(r.PostalCode)),
		phone:  clone(p.digits(r.Phone)),
		email:  strings.ToLower(strings.TrimSpace(r.Email)),
	}
	out.famKey = p.phonetic(out.family)
	out.givenKey = p.phonetic(out.given)
	if strings.IndexByte(out.street, ' ') < 0 {
		out.streetKey = out.street
	} else {
		out.streetKey = strings.ReplaceAll(out.street, " ", "")
	}
	for _, id := range r.Identifiers {
		sys, val, _ := strings.Cut(id, "|")
		v := p.alnum(val)
		if len(v) == 0 {
			continue
		}
		out.ids = append(out.ids, strings.ToLower(strings.TrimSpace(sys))+"|"+string(v))
	}
	slices.Sort(out.ids)
	return out
}

// phonetic returns the Double Metaphone primary code of a name, spaces
// dropped ("mac kinder" codes as "mackinder"), cached per distinct name.
// github.com/antzucaro/matchr provides it: the most used Go implementation
// of Lawrence Philips' algorithm, with NYSIIS and Soundex beside it; Double
// Metaphone handles more non-English surnames than Soundex.
func (p *preparer) phonetic(name string) string {
	if name == "" {
		return ""
	}
	k, ok := p.phonKey[name]
	if !ok {
		k, _ = matchr.DoubleMetaphone(strings.ReplaceAll(name, " ", ""))
		k = p.interned([]byte(k))
		p.phonKey[name] = k
	}
	return k
}

// clone copies a byte slice that aliases p.buf into a string. It must be
// a call, not a conversion written inline: Go orders the calls in a
// composite literal but not the conversions, and a later call reuses buf.
func clone(b []byte) string { return string(b) }

func (p *preparer) interned(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := p.intern[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	p.intern[s] = s
	return s
}

// text lower-cases letters and digits and turns every other run of
// characters into one space, trimmed.
func (p *preparer) text(s string) []byte {
	b := p.buf[:0]
	space := false
	for _, r := range s {
		switch {
		case r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
		default:
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, r)
	}
	p.buf = b
	return b
}

// alnum keeps letters and digits only, lower-cased (postcodes, identifiers).
func (p *preparer) alnum(s string) []byte {
	b := p.buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		}
	}
	p.buf = b
	return b
}

func (p *preparer) digits(s string) []byte {
	b := p.buf[:0]
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	p.buf = b
	return b
}

// date accepts YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD; anything else is missing.
// An impossible month or day is kept: it is a typo worth comparing.
func (p *preparer) date(s string) []byte {
	b := p.digits(s)
	if len(b) != 8 {
		return nil
	}
	return b
}

func sexCode(s string) byte {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	switch s[0] | 0x20 {
	case 'f', 'w':
		return 'f'
	case 'm':
		return 'm'
	case 'o':
		return 'o'
	}
	return 0
}
