package fhir

import "unicode/utf8"

// scan is a small single-pass JSON reader for the fast Patient path (see
// patient_fast.go). It accepts a strict subset of what encoding/json
// accepts; every method reports false on anything else, and the caller then
// falls back to encoding/json. It never allocates except for the strings it
// returns.
type scan struct {
	b []byte
	i int
}

// maxScanDepth bounds nesting in skipped values (encoding/json allows
// 10,000; deeper input falls back to it).
const maxScanDepth = 200

func (s *scan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// next consumes c after optional white space.
func (s *scan) next(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// null consumes a null literal if one comes next.
func (s *scan) null() bool {
	s.ws()
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// end reports whether only white space is left.
func (s *scan) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// object reads an object (or null, which leaves the target as it is) and
// calls fn for each key found in keys, with the scanner before its value;
// fn must consume the value. Other keys' values are skipped. A duplicate
// known key, a key that matches a known one only when case is ignored
// (encoding/json would take it), or a key with escapes fail.
func (s *scan) object(keys []string, fn func(i int) bool) bool {
	if s.null() {
		return true
	}
	if !s.next('{') {
		return false
	}
	if s.next('}') {
		return true
	}
	var seen uint32
	for {
		key, ok := s.plainString()
		if !ok || !s.next(':') {
			return false
		}
		switch i := knownKey(key, keys); {
		case i == -2, i >= 0 && seen&(1<<i) != 0:
			return false
		case i >= 0:
			seen |= 1 << i
			if !fn(i) {
				return false
			}
		default:
			if !s.skip(0) {
				return false
			}
		}
		if s.next(',') {
			continue
		}
		return s.next('}')
	}
}

// array reads an array, calling fn before each element; fn must consume
// it. null calls nothing and reports isNull.
func (s *scan) array(fn func() bool) (isNull, ok bool) {
	if s.null() {
		return true, true
	}
	if !s.next('[') {
		return false, false
	}
	if s.next(']') {
		return false, true
	}
	for {
		if !fn() {
			return false, false
		}
		if s.next(',') {
			continue
		}
		return false, s.next(']')
	}
}

// plainString reads a string without escapes or control characters, in
// valid UTF-8, and returns its bytes (valid until the input changes).
func (s *scan) plainString() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '"' {
			str := s.b[start:s.i]
			s.i++
			return str, utf8.Valid(str)
		}
		if c == '\\' || c < 0x20 {
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// skip reads and validates any value.
func (s *scan) skip(depth int) bool {
	s.ws()
	if s.i >= len(s.b) || depth > maxScanDepth {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '{':
		s.i++
		if s.next('}') {
			return true
		}
		for {
			s.ws()
			if !s.skipString() || !s.next(':') || !s.skip(depth+1) {
				return false
			}
			if s.next(',') {
				continue
			}
			return s.next('}')
		}
	case c == '[':
		s.i++
		if s.next(']') {
			return true
		}
		for {
			if !s.skip(depth + 1) {
				return false
			}
			if s.next(',') {
				continue
			}
			return s.next(']')
		}
	case c == '"':
		return s.skipString()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		_, _, ok := s.number()
		return ok
	}
	return false
}

func (s *scan) literal(lit string) bool {
	if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
		s.i += len(lit)
		return true
	}
	return false
}

// skipString reads a string with any valid escapes.
func (s *scan) skipString() bool {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return false
	}
	s.i++
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return true
		case c == '\\':
			if s.i+1 >= len(s.b) {
				return false
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) || !isHex4(s.b[s.i+2:s.i+6]) {
					return false
				}
				s.i += 6
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			s.i++
		}
	}
	return false
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// number reads a JSON number and reports whether it is an integer (no
// fraction or exponent).
func (s *scan) number() (raw []byte, isInt, ok bool) {
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case s.i < len(s.b) && s.b[s.i] >= '1' && s.b[s.i] <= '9':
		s.digits()
	default:
		return nil, false, false
	}
	isInt = true
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if !s.digits() {
			return nil, false, false
		}
		isInt = false
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if !s.digits() {
			return nil, false, false
		}
		isInt = false
	}
	return s.b[start:s.i], isInt, true
}

func (s *scan) digits() bool {
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

// knownKey returns the index of key in keys, -1 when it is unknown, and -2
// when encoding/json would still match it to a known key (ASCII case
// folding; any non-ASCII key is treated so, to stay on the safe side).
func knownKey(key []byte, keys []string) int {
	for i, k := range keys {
		if string(key) == k {
			return i
		}
	}
	for _, c := range key {
		if c >= 0x80 {
			return -2
		}
	}
	for _, k := range keys {
		if len(k) == len(key) && asciiEqualFold(k, key) {
			return -2
		}
	}
	return -1
}

func asciiEqualFold(a string, b []byte) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}
