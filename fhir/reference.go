package fhir

import (
	"net/url"
	"strings"

	"github.com/rapporthq/rapport"
)

// target is what a bundle entry's fullUrl stands for.
type target struct {
	typ, id string
}

// resolver turns FHIR references into [rapport.Ref] values. Inside a bundle
// it knows every entry's fullUrl; for NDJSON its map is nil.
type resolver struct {
	fullURLs map[string]target
}

// resolve maps a FHIR Reference and returns the referenced resource type
// when the reference tells it ("" otherwise). Accepted forms:
//
//   - "Patient/123" and absolute "https://host/fhir/Patient/123[/_history/2]";
//   - "urn:uuid:X" (or any fullUrl) found among the bundle's entries;
//   - conditional "Practitioner?identifier=SYSTEM|VALUE" → Ref.Identifier;
//   - a reference with only an identifier → Ref.Identifier;
//   - a reference with only a display, or a contained "#id" → Ref with
//     Display only (it points at nothing rapport can resolve).
func (r *resolver) resolve(field string, in *reference) (string, rapport.Ref, error) {
	if in == nil {
		return "", rapport.Ref{}, nil
	}
	out := rapport.Ref{Display: in.Display}
	s := in.Reference
	if s == "" || s[0] == '#' {
		if in.Identifier != nil && in.Identifier.Value != "" {
			out.Identifier = &rapport.Identifier{System: in.Identifier.System, Value: in.Identifier.Value}
		}
		return in.Type, out, nil
	}
	if t, ok := r.fullURLs[s]; ok {
		out.ResourceID = t.id
		return t.typ, out, nil
	}
	if strings.HasPrefix(s, "urn:") {
		if r.fullURLs == nil {
			return "", out, errField(field, "%q can only be resolved inside a bundle", s)
		}
		return "", out, errField(field, "%q is not the fullUrl of any entry in this bundle", s)
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		typ := lastSegment(s[:i])
		id, err := conditional(s[i+1:])
		if err != nil || !isTypeName(typ) {
			return "", out, errField(field, "conditional reference %q: only Type?identifier=SYSTEM|VALUE is supported", s)
		}
		out.Identifier = id
		return typ, out, nil
	}
	if i := strings.Index(s, "/_history/"); i >= 0 {
		s = s[:i]
	}
	slash := strings.LastIndexByte(s, '/')
	if slash <= 0 || slash == len(s)-1 {
		return "", out, errField(field, "%q is not a FHIR reference", s)
	}
	typ, id := lastSegment(s[:slash]), s[slash+1:]
	if !isTypeName(typ) {
		return "", out, errField(field, "%q is not a FHIR reference", s)
	}
	out.ResourceID = id
	return typ, out, nil
}

// resolveTo resolves a reference that should point at a resource of type
// want. It returns a zero Ref (with no error) when the reference points at
// another type, so that callers can skip, say, a PractitionerRole where
// they look for a Practitioner.
func (r *resolver) resolveTo(field string, in *reference, want string) (rapport.Ref, error) {
	typ, ref, err := r.resolve(field, in)
	if err != nil || (typ != "" && typ != want) {
		return rapport.Ref{}, err
	}
	return ref, nil
}

// subject resolves the patient a record belongs to; it must be a Patient.
func (r *resolver) subject(field string, in *reference) (rapport.Ref, error) {
	typ, ref, err := r.resolve(field, in)
	if err != nil {
		return rapport.Ref{}, err
	}
	if typ != "" && typ != "Patient" {
		return rapport.Ref{}, errField(field, "refers to a %s, not a Patient", typ)
	}
	if ref.IsZero() {
		return rapport.Ref{}, errField(field, "no Patient reference")
	}
	return ref, nil
}

// conditional parses "identifier=SYSTEM|VALUE" (the only search rapport
// resolves), with %XX escapes.
func conditional(query string) (*rapport.Identifier, error) {
	v, ok := strings.CutPrefix(query, "identifier=")
	if !ok || strings.ContainsAny(v, "&") || v == "" {
		return nil, errField("", "unsupported")
	}
	if u, err := url.PathUnescape(v); err == nil {
		v = u
	}
	system, value, found := strings.Cut(v, "|")
	if !found {
		system, value = "", v
	}
	if value == "" {
		return nil, errField("", "unsupported")
	}
	return &rapport.Identifier{System: system, Value: value}, nil
}

func lastSegment(s string) string {
	return s[strings.LastIndexByte(s, '/')+1:]
}

// isTypeName reports whether s looks like a FHIR resource type name.
func isTypeName(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
