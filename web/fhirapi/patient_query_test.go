package fhirapi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

func TestParsePatientQuery(t *testing.T) {
	t.Parallel()
	id := func(system, value string) *rapport.Identifier {
		return &rapport.Identifier{System: system, Value: value}
	}
	for _, c := range []struct {
		raw  string
		want patientQuery
	}{
		{"identifier=urn:mrn%7C42", patientQuery{Identifier: id("urn:mrn", "42"), Count: 50}},
		{"identifier=42", patientQuery{Identifier: id("", "42"), Count: 50}},
		{`identifier=a%5C%7Cb`, patientQuery{Identifier: id("", "a|b"), Count: 50}},
		{`identifier=s%7Cv%5C,w`, patientQuery{Identifier: id("s", "v,w"), Count: 50}},
		{`identifier=s%7Cv%7Cw`, patientQuery{Identifier: id("s", "v|w"), Count: 50}},
		{"phone=(512)%20555-0142", patientQuery{Phone: "+15125550142", Count: 50}},
		{"phone=%2B44%2020%207946%200958&_count=7&_offset=14", patientQuery{Phone: "+442079460958", Count: 7, Offset: 14}},
		{"phone=5125550142&_count=501", patientQuery{Phone: "+15125550142", Count: 500}},
		{"phone=5125550142&_count=0&_format=application/fhir%2Bjson", patientQuery{Phone: "+15125550142", Count: 0}},
	} {
		got, err := parsePatientQuery(c.raw)
		if err != nil {
			t.Errorf("%s: %v", c.raw, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v %+v, want %+v %+v", c.raw, got, got.Identifier, c.want, c.want.Identifier)
		}
		back, err := parsePatientQuery(got.values().Encode())
		if err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("%s: canonical form %s reads back as %+v (%v)", c.raw, got.values().Encode(), back, err)
		}
	}
}

func TestSplitToken(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, system, value string
		hasSystem, err    bool
	}{
		{"a", "", "a", false, false},
		{"s|v", "s", "v", true, false},
		{"|v", "", "v", true, false},
		{"s|", "s", "", true, false},
		{`a\|b|c`, "a|b", "c", true, false},
		{`a\\|b`, `a\`, "b", true, false},
		{`a\$b`, "", "a$b", false, false},
		{"a,b", "", "", false, true},
		{`a\`, "", "", false, true},
	} {
		s, v, has, err := splitToken(c.in)
		if (err != nil) != c.err || (err == nil && (s != c.system || v != c.value || has != c.hasSystem)) {
			t.Errorf("splitToken(%q) = %q %q %v %v", c.in, s, v, has, err)
		}
	}
}

func TestPreferAsync(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"respond-async": true, "Respond-Async": true, "return=minimal, respond-async": true, "respond-async; wait=10": true,
		"": false, "return=representation": false, "respond-asynchronously": false, "handling=strict": false,
	} {
		if got := preferAsync([]string{in}); got != want {
			t.Errorf("preferAsync(%q) = %v", in, got)
		}
	}
}

func TestCheckContentType(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{
		"application/fhir+json": true, "application/json": true, "application/fhir+json; fhirVersion=4.0": true,
		"Application/JSON; charset=utf-8": true, "": false, "application/fhir+xml": false, "text/plain": false, "application/json;;": false,
	} {
		if err := checkContentType(in); (err == nil) != ok {
			t.Errorf("checkContentType(%q) = %v", in, err)
		}
	}
}

// FuzzParsePatientQuery: any query string is parsed or refused as invalid
// input, and a parsed one reads back the same from its canonical form.
func FuzzParsePatientQuery(f *testing.F) {
	for _, s := range []string{"identifier=urn:mrn%7C42", "phone=5125550142&_count=3&_offset=6", `identifier=a%5C%7Cb&phone=%2B44 20 7946 0958`,
		"identifier=a,b", "identifier=%7C", "_count=9999999999999999999999", "phone=%zz", "name=x", "phone=+1555&phone=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parsePatientQuery(raw)
		if err != nil {
			if rapport.ErrorCode(err) != rapport.EINVALID {
				t.Fatalf("%q: error %v is not EINVALID", raw, err)
			}
			return
		}
		if q.Count < 0 || q.Count > MaxCount || q.Offset < 0 || (q.Identifier == nil && q.Phone == "") {
			t.Fatalf("%q: parsed out of bounds: %+v", raw, q)
		}
		canon := q.values().Encode()
		back, err := parsePatientQuery(canon)
		if err != nil || !reflect.DeepEqual(back, q) {
			t.Fatalf("%q: canonical %q reads back as %+v %v (err %v), want %+v %v", raw, canon, back, back.Identifier, err, q, q.Identifier)
		}
	})
}

// FuzzCheckBundle: any body is accepted or refused as invalid input,
// without a panic.
func FuzzCheckBundle(f *testing.F) {
	for _, s := range []string{`{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"POST"}}]}`,
		`{"resourceType":"Bundle","type":"batch","entry":[5]}`, "\xef\xbb\xbf{}", "", "[]", `{"resourceType":"Bundle","type":"collection","entry":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := checkBundle(body); err != nil && rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
		_ = preferAsync(strings.Split(string(body), "\n"))
	})
}
