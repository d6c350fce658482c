package fhirapi

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/verify"
)

// Paging limits of Patient search.
const (
	DefaultCount = 50
	MaxCount     = 500
)

// patientQuery is a parsed Patient search.
type patientQuery struct {
	Identifier *rapport.Identifier
	// Phone is the searched number in E.164 form.
	Phone         string
	Count, Offset int
}

// searchParams are the parameters Patient search understands; any other
// is refused, so a client never mistakes an ignored filter for a match.
var searchParams = map[string]bool{"identifier": true, "phone": true, "_count": true, "_offset": true, "_format": true}

// parsePatientQuery reads a Patient search's query string: identifier
// (SYSTEM|VALUE, or VALUE in any system), phone (any common format, read as
// a US number without a country code and matched on its E.164 form), _count
// (default [DefaultCount], at most [MaxCount]; larger values are lowered)
// and _offset. At least one of identifier and phone is required, each at
// most once. Errors are EINVALID and name the parameter.
func parsePatientQuery(raw string) (patientQuery, error) {
	q := patientQuery{Count: DefaultCount}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return q, rapport.Errorf(rapport.EINVALID, "query string: %v", err)
	}
	names := make([]string, 0, len(vals))
	for name := range vals {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !searchParams[name] {
			return q, rapport.Errorf(rapport.EINVALID, "search parameter %q is not supported: Patient search takes identifier, phone, _count and _offset", name)
		}
		if len(vals[name]) > 1 {
			return q, rapport.Errorf(rapport.EINVALID, "search parameter %s is given %d times: give it once", name, len(vals[name]))
		}
	}
	if v, ok := vals["identifier"]; ok {
		system, value, hasSystem, err := splitToken(v[0])
		switch {
		case err != nil:
			return q, rapport.Errorf(rapport.EINVALID, "identifier: %s", err.Error())
		case value == "":
			return q, rapport.Errorf(rapport.EINVALID, "identifier: no value: give SYSTEM|VALUE or VALUE")
		case hasSystem && system == "":
			return q, rapport.Errorf(rapport.EINVALID, "identifier: |VALUE (identifiers without a system) is not supported: give VALUE alone to match any system")
		}
		q.Identifier = &rapport.Identifier{System: system, Value: value}
	}
	if v, ok := vals["phone"]; ok {
		_, value, hasSystem, err := splitToken(v[0])
		switch {
		case err != nil:
			return q, rapport.Errorf(rapport.EINVALID, "phone: %s", err.Error())
		case hasSystem:
			return q, rapport.Errorf(rapport.EINVALID, "phone: give a number, not SYSTEM|VALUE")
		}
		res := verify.Phone(value, "US")
		if res.E164 == "" {
			return q, rapport.Errorf(rapport.EINVALID, "phone: %q is not a phone number (%s)", value, res.Reason)
		}
		q.Phone = res.E164
	}
	if q.Identifier == nil && q.Phone == "" {
		return q, rapport.Errorf(rapport.EINVALID, "Patient search needs identifier or phone")
	}
	if v, ok := vals["_count"]; ok {
		if q.Count, err = nonNegative("_count", v[0]); err != nil {
			return q, err
		}
		q.Count = min(q.Count, MaxCount)
	}
	if v, ok := vals["_offset"]; ok {
		if q.Offset, err = nonNegative("_offset", v[0]); err != nil {
			return q, err
		}
	}
	if v, ok := vals["_format"]; ok && !strings.Contains(v[0], "json") {
		return q, rapport.Errorf(rapport.EINVALID, "_format %q is not supported: this server speaks JSON only", v[0])
	}
	return q, nil
}

// nonNegative parses a paging parameter.
func nonNegative(name, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, rapport.Errorf(rapport.EINVALID, "%s: %q is not a whole number ≥ 0", name, s)
	}
	return n, nil
}

// splitToken splits a FHIR token search value at its first unescaped '|'
// and undoes the escapes \| \, \$ \\. hasSystem says whether there was a
// '|'. An unescaped ',' (FHIR's "or") is refused: rapport searches one value.
func splitToken(s string) (system, value string, hasSystem bool, err error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 == len(s) {
				return "", "", false, rapport.Errorf(rapport.EINVALID, "ends with a lone backslash")
			}
			i++
			b.WriteByte(s[i])
		case c == ',':
			return "", "", false, rapport.Errorf(rapport.EINVALID, "several values (a,b) are not supported: search one at a time, or escape the comma as \\,")
		case c == '|' && !hasSystem:
			system, hasSystem = b.String(), true
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return system, b.String(), hasSystem, nil
}

// values is the query in canonical form, for the search's links.
func (q patientQuery) values() url.Values {
	v := url.Values{}
	if q.Identifier != nil {
		esc := strings.NewReplacer(`\`, `\\`, `|`, `\|`, `,`, `\,`, `$`, `\$`)
		s := esc.Replace(q.Identifier.Value)
		if q.Identifier.System != "" {
			s = esc.Replace(q.Identifier.System) + "|" + s
		}
		v.Set("identifier", s)
	}
	if q.Phone != "" {
		v.Set("phone", q.Phone)
	}
	v.Set("_count", strconv.Itoa(q.Count))
	v.Set("_offset", strconv.Itoa(q.Offset))
	return v
}

// searchedBy names the parameters a search used, without their values.
func (q patientQuery) searchedBy() string {
	var by []string
	if q.Identifier != nil {
		by = append(by, "identifier")
	}
	if q.Phone != "" {
		by = append(by, "phone")
	}
	if len(by) == 0 {
		return "all"
	}
	return strings.Join(by, "&")
}
