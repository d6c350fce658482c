package csvimport

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/rapporthq/rapport/internal/yamlcheck"
)

// Mapping says how the columns of one CRM's CSV export become patients. It
// is written by hand in YAML (see the package documentation and
// testdata/example-mapping.yaml) and read with [LoadMapping] or
// [ParseMapping]. A Mapping is immutable once parsed and may be shared by
// concurrent calls to [Read].
type Mapping struct {
	// Name is the mapping file's name, used in error messages.
	Name string `yaml:"-"`
	// Source names the source system (a short token such as "acme-crm", or
	// a URI). With IDColumn it makes re-imports idempotent: every patient
	// gets the identifier {System: [Mapping.SourceSystem], Value: the row's id}.
	Source string `yaml:"source"`
	// IDColumn is the column holding the CRM's own record id. Required,
	// but in a caregivers file, where it is the caregiver's record id.
	IDColumn string `yaml:"id_column"`
	// Delimiter is the field separator: one character, or "tab". Default ",".
	Delimiter string `yaml:"delimiter"`
	// DefaultRegion (ISO 3166 alpha-2) is the region phone numbers without a
	// country code are read in, when the row's address country is not one.
	DefaultRegion string `yaml:"default_region"`

	Identifiers []IdentifierMapping `yaml:"identifiers"`
	Patient     PatientMapping      `yaml:"patient"`
	Contacts    []ContactMapping    `yaml:"contacts"`
	// Caregivers are the people on the patient's row who help them (an
	// emergency contact, a daughter): one entry per caregiver.
	Caregivers []CaregiverMapping `yaml:"caregivers"`
	// CaregiversOf makes the file a caregivers file: each row holds the
	// caregivers entries' columns and names the patient in this column.
	CaregiversOf *PatientKey `yaml:"caregivers_of"`

	c compiled
}

// Column maps one CSV column to one field. In YAML it is either the column's
// name (`given: first_name`) or a mapping with the column and options
// (`sex: {column: gender, values: {F: female, M: male}}`).
type Column struct {
	Column string `yaml:"column"`
	// Format is the date format of birth_date, strftime-like (%Y %y %m %d %e
	// %b %B); see the package documentation.
	Format string `yaml:"format"`
	// Values translates cell values (matched case-insensitively, after
	// trimming) to the values rapport stores. With Values, a cell not listed
	// is a row error.
	Values map[string]string `yaml:"values"`
	// Default is what an empty cell (or no column) means; only a
	// caregiver's relationship and scope have one.
	Default string `yaml:"default"`
}

// UnmarshalYAML reads a Column from a column name or a mapping.
func (c *Column) UnmarshalYAML(unmarshal func(any) error) error {
	var name string
	if err := unmarshal(&name); err == nil {
		*c = Column{Column: name}
		return nil
	}
	type plain Column // without this method
	return unmarshal((*plain)(c))
}

// IdentifierMapping maps a column to a business identifier (an MRN, …).
type IdentifierMapping struct {
	Column string `yaml:"column"`
	System string `yaml:"system"`
	Type   string `yaml:"type"`
}

// PatientMapping maps columns to the fields of [rapport.Patient].
type PatientMapping struct {
	Given          Column         `yaml:"given"`
	Family         Column         `yaml:"family"`
	BirthDate      Column         `yaml:"birth_date"`
	Sex            Column         `yaml:"sex"`
	Language       Column         `yaml:"language"`
	TimeZone       Column         `yaml:"time_zone"`
	Address        AddressMapping `yaml:"address"`
	Rural          Column         `yaml:"rural"`
	InternetAccess Column         `yaml:"internet_access"`
	Deceased       Column         `yaml:"deceased"`
}

// AddressMapping maps columns to the parts of [rapport.Address]. Line and
// Lines both give street lines, Line first.
type AddressMapping struct {
	Line       Column   `yaml:"line"`
	Lines      []Column `yaml:"lines"`
	City       Column   `yaml:"city"`
	District   Column   `yaml:"district"`
	State      Column   `yaml:"state"`
	PostalCode Column   `yaml:"postal_code"`
	Country    Column   `yaml:"country"`
}

// ContactMapping maps a column to contact points of one kind and use. With
// Separator, one cell may hold several values ("555-0100; 555-0101").
type ContactMapping struct {
	Column    string `yaml:"column"`
	Kind      string `yaml:"kind"`
	Use       string `yaml:"use"`
	Separator string `yaml:"separator"`
}

// LoadMapping reads and validates the mapping file at path.
func LoadMapping(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	return ParseMapping(filepath.Base(path), data)
}

// ParseMapping parses and validates a mapping; name is the file's name for
// error messages. Errors name the file, the line and the field
// ("acme.yaml line 9, field patient.birth_date.format: …"); when several
// fields are wrong the error joins one line per field.
func ParseMapping(name string, data []byte) (*Mapping, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(name, err)
	}
	var ae *yamlcheck.AliasError
	if err := yamlcheck.NoAliases(file); errors.As(err, &ae) {
		return nil, fmt.Errorf("%s line %d: %s", name, ae.Line, ae.Msg)
	}
	m := &Mapping{}
	if err := yaml.UnmarshalWithOptions(data, m, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(name, err)
	}
	m.Name = name
	v := &validator{name: name, file: file}
	m.compile(v)
	if len(v.errs) > 0 {
		return nil, errors.Join(v.errs...)
	}
	return m, nil
}

// yamlError rewrites a goccy error as "name line N: message".
func yamlError(name string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		return fmt.Errorf("%s line %d: %s", name, ye.GetToken().Position.Line, ye.GetMessage())
	}
	return fmt.Errorf("%s: %w", name, err)
}

// validator collects mapping errors with their lines.
type validator struct {
	name string
	file *ast.File
	errs []error
}

// errorf records an error about the field at path ("patient.sex.values").
func (v *validator) errorf(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line := v.line(path); line > 0 {
		v.errs = append(v.errs, fmt.Errorf("%s line %d, field %s: %s", v.name, line, path, msg))
		return
	}
	v.errs = append(v.errs, fmt.Errorf("%s, field %s: %s", v.name, path, msg))
}

// line returns the line of the field at path, or of its nearest parent that
// is present; 0 when none is.
func (v *validator) line(path string) int {
	for path != "" {
		if p, err := yaml.PathString("$." + path); err == nil {
			if n, err := p.FilterFile(v.file); err == nil && n != nil && n.GetToken() != nil {
				return n.GetToken().Position.Line
			}
		}
		path = parentPath(path)
	}
	return 0
}

// parentPath drops the last element of a path: "a.b[2]" → "a.b" → "a".
func parentPath(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' || p[i] == '[' {
			return p[:i]
		}
	}
	return ""
}
