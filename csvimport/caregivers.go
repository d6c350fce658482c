package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rapporthq/rapport"
)

// CaregiverMapping maps the columns of one caregiver on the patient's row
// (an emergency contact, a daughter) to a [rapport.Caregiver]. The name is
// either one column (Name, split as the package documentation says) or
// Given and Family. Relationship is required: a column, a default, or both.
type CaregiverMapping struct {
	Name         Column           `yaml:"name"`
	Given        Column           `yaml:"given"`
	Family       Column           `yaml:"family"`
	Relationship Column           `yaml:"relationship"`
	Language     Column           `yaml:"language"`
	Scope        Column           `yaml:"scope"`
	Consent      Column           `yaml:"consent"`
	Contacts     []ContactMapping `yaml:"contacts"`
}

// caregiverFields is a compiled [CaregiverMapping].
type caregiverFields struct {
	n                   int // 1-based, for messages and keys
	name, given, family *field
	relationship        *field
	relDefault          rapport.Code
	language            *field
	scope               *field
	scopeDefault        rapport.CaregiverScope
	consent             *field
	contacts            []contactField
}

// fields lists the block's column references, for the header check.
func (cf *caregiverFields) fields() []*field {
	var out []*field
	for _, f := range []*field{cf.name, cf.given, cf.family, cf.relationship, cf.language, cf.scope, cf.consent} {
		if f != nil {
			out = append(out, f)
		}
	}
	for i := range cf.contacts {
		out = append(out, &cf.contacts[i].field)
	}
	return out
}

var (
	scopes   = []string{string(rapport.ScopeReminders), string(rapport.ScopeConversation)}
	consents = []string{string(rapport.ConsentGranted), string(rapport.ConsentRefused), string(rapport.ConsentNotRecorded)}
	// defaultScope and defaultConsent are the cells understood without a
	// values map: a consent cell is a yes or a no.
	defaultScope   = map[string]string{"reminders": "reminders", "conversation": "conversation"}
	defaultConsent = map[string]string{
		"y": "granted", "yes": "granted", "true": "granted", "t": "granted", "1": "granted", "granted": "granted",
		"n": "refused", "no": "refused", "false": "refused", "f": "refused", "0": "refused", "refused": "refused",
	}
)

func (m *Mapping) compileCaregivers(v *validator) {
	for i, cm := range m.Caregivers {
		path := fmt.Sprintf("caregivers[%d]", i)
		cf := caregiverFields{n: i + 1, scopeDefault: rapport.ScopeReminders}
		label := fmt.Sprintf("caregiver %d ", cf.n)
		cf.name = m.plain(v, path+".name", label+"name", cm.Name)
		cf.given = m.plain(v, path+".given", label+"given", cm.Given)
		cf.family = m.plain(v, path+".family", label+"family", cm.Family)
		if cf.name != nil && (cf.given != nil || cf.family != nil) {
			v.errorf(path+".name", "give either name (one column) or given and family, not both")
		}
		for j, cm := range cm.Contacts {
			cp := m.contact(v, fmt.Sprintf("%s.contacts[%d]", path, j), label, cm)
			if cp.kind == rapport.ContactPostal {
				v.errorf(cp.path+".kind", "a caregiver's contacts are phone or email")
			}
			cf.contacts = append(cf.contacts, cp)
		}
		if cf.name == nil && cf.given == nil && cf.family == nil && len(cf.contacts) == 0 {
			v.errorf(path, "names no column for the caregiver's name or contacts")
		}
		m.compileRelationship(v, path+".relationship", label, cm.Relationship, &cf)

		cf.language = m.column(v, path+".language", label+"language", cm.Language, func(s string) string {
			if !isLanguageTag(s) {
				return "is not a BCP 47 language tag such as en or es-MX"
			}
			return ""
		}, false)
		oneOf := func(list []string) func(string) string {
			return func(s string) string {
				if !slices.Contains(list, s) {
					return "is not one of " + strings.Join(list, ", ")
				}
				return ""
			}
		}
		scope := cm.Scope
		if d := scope.Default; d != "" {
			if problem := oneOf(scopes)(d); problem != "" {
				v.errorf(path+".scope.default", "%q %s", d, problem)
			}
			cf.scopeDefault, scope.Default = rapport.CaregiverScope(d), ""
		}
		cf.scope = m.column(v, path+".scope", label+"scope", scope, oneOf(scopes), false)
		cf.consent = m.column(v, path+".consent", label+"consent", cm.Consent, oneOf(consents), false)
		m.c.caregivers = append(m.c.caregivers, cf)
	}
}

// compileRelationship compiles a relationship column and its default;
// one of them is required. Values must translate to a relationship that
// [parseRelationship] reads.
func (m *Mapping) compileRelationship(v *validator, path, label string, col Column, cf *caregiverFields) {
	hasDefault := col.Default != ""
	if d := col.Default; hasDefault {
		code, ok := parseRelationship(d)
		if !ok {
			v.errorf(path+".default", "%q is not a relationship rapport knows (a v3-RoleCode such as FAMMEMB, or a word such as daughter)", d)
		}
		cf.relDefault, col.Default = code, ""
	}
	cf.relationship = m.column(v, path, label+"relationship", col, func(s string) string {
		if _, ok := parseRelationship(s); !ok {
			return "is not a relationship rapport knows (a v3-RoleCode such as DAU, or a word such as daughter)"
		}
		return ""
	}, false)
	if cf.relationship == nil && !hasDefault && col.Values == nil {
		v.errorf(path, "required: a column, or a default such as FAMMEMB (family member)")
	}
}

// Caregiver is a caregiver read from a row's caregiver columns.
type Caregiver struct {
	// ID names the caregiver among the source's records, stably across
	// re-imports: see [CaregiverID].
	ID string `json:"id"`
	// Block is the mapping's caregivers entry that read it, from 1.
	Block     int                `json:"block"`
	Caregiver *rapport.Caregiver `json:"caregiver"`
}

// CaregiverID is the resource id of caregiver c read by the mapping's
// caregivers entry block (from 1) on the row whose id cell is sourceID.
// A CSV gives a caregiver no id of its own, so it is derived from the
// patient's record id and who the person is: their name (case and spaces
// ignored) and relationship code, hashed so that no name shows in ids.
// Re-importing the row finds the same caregiver; another person in the
// same columns (a new emergency contact) is a new caregiver, and the old
// one is left as it was. A caregiver without a name is known by its
// block number instead.
func CaregiverID(sourceID string, block int, c *rapport.Caregiver) string {
	who := strings.ToLower(strings.Join(strings.Fields(c.Name()), " "))
	if who == "" {
		who = "#" + strconv.Itoa(block)
	}
	sum := sha256.Sum256([]byte(who + "\x00" + c.Relationship.Code))
	return sourceID + "/caregiver/" + hex.EncodeToString(sum[:8])
}
