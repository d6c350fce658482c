package ruca

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:embed RUCA2010zipcode.csv.gz
var table []byte

// Code is a RUCA primary code, 1 (metropolitan core) to 10 (rural); 0 means
// unknown.
type Code int

// Known reports whether c is a RUCA primary code (1–10).
func (c Code) Known() bool { return c >= 1 && c <= 10 }

// Rural reports whether c is a non-metropolitan code (4–10); false for
// metropolitan and unknown codes. See the package comment for the source of
// the cut-off.
func (c Code) Rural() bool { return c >= 4 && c <= 10 }

// Entry is what the table says of one ZIP code.
type Entry struct {
	// State is the USPS state abbreviation ("NM", "PR").
	State string
	// Code is the RUCA primary code; 0 when the USDA did not code the ZIP (99).
	Code Code
}

// firstZIP is the lowest ZIP code USPS uses (00501, Holtsville NY). The
// file's 116 rows below it are RUCA's own numbers for areas that have no
// ZIP code (00001–00010 are parts of Alaska): a patient's "00012" is a
// typo, not a place in California.
const firstZIP = 501

type zipEntry struct {
	state [2]byte
	code  uint8
}

type tables struct {
	byZIP [100000]zipEntry
	// prefixStates lists the states whose ZIPs start with each three-digit
	// prefix (a few prefixes cross a state line).
	prefixStates [1000][]string
}

var load = sync.OnceValue(func() *tables {
	t, err := parse(table)
	if err != nil {
		panic("ruca: embedded table: " + err.Error()) // the file is part of the source
	}
	return t
})

// Lookup returns the entry of zip, a US ZIP code in any common form
// ("87501", "87501-1234", "875011234", " 87501 "), and true; or false when
// zip is no ZIP code or the table does not list it.
func Lookup(zip string) (Entry, bool) {
	n, ok := ZIP5(zip)
	if !ok {
		return Entry{}, false
	}
	i, _ := strconv.Atoi(n)
	e := load().byZIP[i]
	if e.state[0] == 0 {
		return Entry{}, false
	}
	return Entry{State: string(e.state[:]), Code: Code(e.code)}, true
}

// StatesForPrefix returns the states whose ZIP codes begin with the first
// three digits of zip, or nil when zip is no ZIP code or no listed ZIP has
// that prefix. The slice is shared: do not modify it.
func StatesForPrefix(zip string) []string {
	n, ok := ZIP5(zip)
	if !ok {
		return nil
	}
	i, _ := strconv.Atoi(n[:3])
	return load().prefixStates[i]
}

// ZIP5 returns the five-digit ZIP code that zip spells — five digits,
// optionally followed by "-" or " " and four digits, or nine digits — and
// true; or "", false.
func ZIP5(zip string) (string, bool) {
	z := strings.TrimSpace(zip)
	switch {
	case len(z) == 5:
	case len(z) == 9:
	case len(z) == 10 && (z[5] == '-' || z[5] == ' '):
		if !digits(z[6:]) {
			return "", false
		}
		z = z[:5]
	default:
		return "", false
	}
	if !digits(z) {
		return "", false
	}
	return z[:5], true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parse reads the gzipped CSV: a header, then ZIP_CODE,STATE,ZIP_TYPE,RUCA1,RUCA2
// with ZIPs written as ”00501”.
func parse(gz []byte) (*tables, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	t := &tables{}
	sc := bufio.NewScanner(zr)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		f := strings.Split(sc.Text(), ",")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", line, len(f))
		}
		zip, ok := ZIP5(strings.Trim(f[0], "'"))
		if !ok || len(f[1]) != 2 {
			return nil, fmt.Errorf("line %d: bad ZIP_CODE %q or STATE %q", line, f[0], f[1])
		}
		code, err := strconv.Atoi(f[3])
		if err != nil || (code != 99 && (code < 1 || code > 10)) {
			return nil, fmt.Errorf("line %d: RUCA1 %q is not 1-10 or 99", line, f[3])
		}
		if code == 99 {
			code = 0
		}
		i, _ := strconv.Atoi(zip)
		if i < firstZIP {
			continue // not a USPS ZIP: RUCA's numbers for areas without one
		}
		t.byZIP[i] = zipEntry{state: [2]byte{f[1][0], f[1][1]}, code: uint8(code)}
		p := &t.prefixStates[i/100]
		if !containsString(*p, f[1]) {
			*p = append(*p, f[1])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return t, nil
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
