package csvimport

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/verify"
)

// field is one column reference of a mapping, ready for reading rows.
type field struct {
	path   string // where in the mapping: "patient.sex"
	name   string // what it fills, for row errors: "sex"
	column string
	values map[string]string // lower-cased keys → stored value; nil: none
	keys   []string          // values' keys as written, sorted, for messages
	at     int               // index in compiled.all, so in rowReader.idx
}

type identifierField struct {
	field
	system, typ string
}

type contactField struct {
	field
	kind rapport.ContactKind
	use  rapport.ContactUse
	sep  string
}

// compiled is what [ParseMapping] derives from a Mapping.
type compiled struct {
	comma       rune
	system      string
	id          field
	identifiers []identifierField
	given       *field
	family      *field
	birth       *field
	birthLayout dateLayout
	sex         *field
	language    *field
	timeZone    *field
	lines       []*field
	city        *field
	district    *field
	state       *field
	postalCode  *field
	country     *field
	rural       *field
	internet    *field
	deceased    *field
	contacts    []contactField
	caregivers  []caregiverFields
	of          *patientKeyField // set for a caregivers file
	all         []*field         // every column reference, for checking the header
}

var sexes = []string{string(rapport.SexFemale), string(rapport.SexMale), string(rapport.SexOther), string(rapport.SexUnknown)}

// defaultSex and defaultFlag are the values understood without a values map.
var (
	defaultSex = map[string]string{
		"f": "female", "female": "female", "m": "male", "male": "male",
		"o": "other", "other": "other", "u": "unknown", "unknown": "unknown",
	}
	defaultFlag = map[string]string{
		"y": "true", "yes": "true", "true": "true", "t": "true", "1": "true",
		"n": "false", "no": "false", "false": "false", "f": "false", "0": "false",
	}
)

func (m *Mapping) compile(v *validator) {
	c := &m.c
	c.comma = ','
	switch d := m.Delimiter; {
	case d == "":
	case strings.EqualFold(d, "tab"):
		c.comma = '\t'
	case utf8.RuneCountInString(d) != 1:
		v.errorf("delimiter", "%q is not one character (or \"tab\")", d)
	default:
		r, _ := utf8.DecodeRuneInString(d)
		if r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
			v.errorf("delimiter", "%q cannot separate fields", d)
		}
		c.comma = r
	}
	switch {
	case m.Source == "":
		v.errorf("source", "required: name the source system, such as acme-crm")
	case strings.ContainsAny(m.Source, " \t\r\n"):
		v.errorf("source", "%q contains a space", m.Source)
	case strings.Contains(m.Source, ":"):
		c.system = m.Source // already a URI
	default:
		c.system = "urn:rapport:source:" + m.Source
	}
	if m.IDColumn == "" && m.CaregiversOf == nil {
		v.errorf("id_column", "required: name the column holding the CRM's record id")
	}
	c.id = field{path: "id_column", name: "id", column: m.IDColumn}
	if m.DefaultRegion != "" && (len(m.DefaultRegion) != 2 || !verify.KnownRegion(m.DefaultRegion)) {
		v.errorf("default_region", "%q is not a known ISO 3166 alpha-2 region (such as US, GB, MX)", m.DefaultRegion)
	}

	for i, id := range m.Identifiers {
		path := fmt.Sprintf("identifiers[%d]", i)
		if id.Column == "" {
			v.errorf(path, "column is required")
		}
		if id.System == "" {
			v.errorf(path, "system is required (a URI naming who issues the identifier)")
		}
		c.identifiers = append(c.identifiers, identifierField{field: field{path: path, name: "identifier " + id.System, column: id.Column}, system: id.System, typ: id.Type})
	}

	p := &m.Patient
	c.given = m.plain(v, "patient.given", "given", p.Given)
	c.family = m.plain(v, "patient.family", "family", p.Family)
	if p.BirthDate.Column != "" || p.BirthDate.Format != "" {
		c.birth = m.column(v, "patient.birth_date", "birth_date", p.BirthDate, nil, true)
		format := p.BirthDate.Format
		if format == "" {
			format = "%Y-%m-%d"
		}
		layout, err := parseDateFormat(format)
		if err != nil {
			v.errorf("patient.birth_date.format", "%v", err)
		}
		c.birthLayout = layout
	}
	c.sex = m.column(v, "patient.sex", "sex", p.Sex, func(s string) string {
		if !slices.Contains(sexes, s) {
			return "is not one of " + strings.Join(sexes, ", ")
		}
		return ""
	}, false)
	c.language = m.column(v, "patient.language", "language", p.Language, func(s string) string {
		if !isLanguageTag(s) {
			return "is not a BCP 47 language tag such as en or es-MX"
		}
		return ""
	}, false)
	c.timeZone = m.column(v, "patient.time_zone", "time_zone", p.TimeZone, func(s string) string {
		if _, err := time.LoadLocation(s); err != nil || s == "" || s == "Local" {
			return "is not an IANA time zone such as America/Chicago"
		}
		return ""
	}, false)
	a := &p.Address
	if a.Line.Column != "" || a.Line.Values != nil {
		c.lines = append(c.lines, m.plainOrValues(v, "patient.address.line", "address line", a.Line))
	}
	for i, l := range a.Lines {
		c.lines = append(c.lines, m.plainOrValues(v, fmt.Sprintf("patient.address.lines[%d]", i), "address line", l))
	}
	c.city = m.plainOrValues(v, "patient.address.city", "address city", a.City)
	c.district = m.plainOrValues(v, "patient.address.district", "address district", a.District)
	c.state = m.plainOrValues(v, "patient.address.state", "address state", a.State)
	c.postalCode = m.plainOrValues(v, "patient.address.postal_code", "address postal_code", a.PostalCode)
	c.country = m.plainOrValues(v, "patient.address.country", "address country", a.Country)
	isBool := func(s string) string {
		if s != "true" && s != "false" {
			return "is not true or false"
		}
		return ""
	}
	c.rural = m.column(v, "patient.rural", "rural", p.Rural, isBool, false)
	c.internet = m.column(v, "patient.internet_access", "internet_access", p.InternetAccess, isBool, false)
	c.deceased = m.column(v, "patient.deceased", "deceased", p.Deceased, isBool, false)

	for i, cm := range m.Contacts {
		c.contacts = append(c.contacts, m.contact(v, fmt.Sprintf("contacts[%d]", i), "", cm))
	}
	m.compileCaregivers(v)
	m.compileCaregiversOf(v)

	if m.IDColumn != "" || m.CaregiversOf == nil {
		c.all = append(c.all, &c.id)
	}
	if c.of != nil {
		c.all = append(c.all, &c.of.field)
	}
	for i := range c.identifiers {
		c.all = append(c.all, &c.identifiers[i].field)
	}
	for _, f := range []*field{c.given, c.family, c.birth, c.sex, c.language, c.timeZone} {
		if f != nil {
			c.all = append(c.all, f)
		}
	}
	c.all = append(c.all, c.lines...)
	for _, f := range []*field{c.city, c.district, c.state, c.postalCode, c.country, c.rural, c.internet, c.deceased} {
		if f != nil {
			c.all = append(c.all, f)
		}
	}
	for i := range c.contacts {
		c.all = append(c.all, &c.contacts[i].field)
	}
	for i := range c.caregivers {
		c.all = append(c.all, c.caregivers[i].fields()...)
	}
	for i, f := range c.all {
		f.at = i
	}
}

// contact compiles a contact column; prefix goes before its name in row
// errors ("caregiver 1 ").
func (m *Mapping) contact(v *validator, path, prefix string, cm ContactMapping) contactField {
	cf := contactField{field: field{path: path, column: cm.Column}, kind: rapport.ContactKind(cm.Kind), use: rapport.ContactUse(cm.Use), sep: cm.Separator}
	cf.name = prefix + cm.Kind
	if cm.Use != "" {
		cf.name = prefix + cm.Use + " " + cm.Kind
	}
	if cm.Column == "" {
		v.errorf(path, "column is required")
	}
	switch cf.kind {
	case rapport.ContactPhone, rapport.ContactEmail, rapport.ContactPostal:
	default:
		v.errorf(path+".kind", "%q is not one of phone, email, postal", cm.Kind)
	}
	switch cf.use {
	case rapport.UseMobile, rapport.UseHome, rapport.UseWork, rapport.UseOther:
	default:
		v.errorf(path+".use", "%q is not one of mobile, home, work (or empty)", cm.Use)
	}
	return cf
}

// plain compiles a field that takes the cell as it is: no format, no values.
func (m *Mapping) plain(v *validator, path, name string, col Column) *field {
	noDefault(v, path, col)
	if col.Format != "" {
		v.errorf(path+".format", "only birth_date has a format")
	}
	if col.Values != nil {
		v.errorf(path+".values", "%s takes the cell as it is, without values", name)
	}
	if col.Column == "" {
		return nil
	}
	return &field{path: path, name: name, column: col.Column}
}

// plainOrValues compiles a field that takes the cell as it is, or translated
// by values (any target allowed).
func (m *Mapping) plainOrValues(v *validator, path, name string, col Column) *field {
	return m.column(v, path, name, col, func(string) string { return "" }, false)
}

// column compiles a field; check says what is wrong with a values target
// ("" when nothing is), and is nil when the field takes no values.
func (m *Mapping) column(v *validator, path, name string, col Column, check func(string) string, format bool) *field {
	noDefault(v, path, col)
	if col.Format != "" && !format {
		v.errorf(path+".format", "only birth_date has a format")
	}
	if col.Values != nil && check == nil {
		v.errorf(path+".values", "%s takes the cell as it is, without values", name)
	}
	if col.Column == "" {
		if col.Values != nil || col.Format != "" {
			v.errorf(path, "column is required")
		}
		return nil
	}
	f := &field{path: path, name: name, column: col.Column}
	if col.Values != nil && check != nil {
		f.values = make(map[string]string, len(col.Values))
		for k, target := range col.Values {
			key := strings.ToLower(strings.TrimSpace(k))
			if prev, dup := f.values[key]; dup && prev != target {
				v.errorf(path+".values", "%q is listed twice (values match without regard to case)", k)
			}
			if problem := check(target); problem != "" {
				v.errorf(path+".values", "%q for %q %s", target, k, problem)
			}
			f.values[key] = target
			f.keys = append(f.keys, k)
		}
		slices.Sort(f.keys)
	}
	return f
}

// noDefault rejects a default where none is understood; the caregiver
// fields that have one clear it before compiling the column.
func noDefault(v *validator, path string, col Column) {
	if col.Default != "" {
		v.errorf(path+".default", "only a caregiver's relationship and scope have a default")
	}
}

// SourceSystem is the identifier system of the records' source ids:
// "urn:rapport:source:" + Source, or Source itself when it is a URI.
func (m *Mapping) SourceSystem() string { return m.c.system }

// isLanguageTag reports whether s looks like a BCP 47 tag: a primary
// language of 2 or 3 letters, then subtags of 1 to 8 letters or digits.
func isLanguageTag(s string) bool {
	for i, sub := range strings.Split(s, "-") {
		if i == 0 && (len(sub) < 2 || len(sub) > 3) || len(sub) < 1 || len(sub) > 8 {
			return false
		}
		for _, r := range sub {
			isLetter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if !isLetter && (i == 0 || r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}
