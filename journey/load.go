package journey

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/yamlcheck"
)

// FieldError is one problem in a journey file, with where it is.
type FieldError struct {
	File  string
	Line  int
	Field string // YAML path such as steps[2].next
	Msg   string
}

func (e *FieldError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s, field %s: %s", loc, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// Unwrap makes every FieldError an EINVALID application error.
func (e *FieldError) Unwrap() error { return rapport.Errorf(rapport.EINVALID, "%s", e.Msg) }

// Parse reads and validates one journey definition. Errors name the file,
// line and field; all problems found are reported together.
func Parse(name string, data []byte) (*Definition, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, &FieldError{File: name, Msg: "not YAML: " + firstLine(yaml.FormatError(err, false, false))}
	}
	var ae *yamlcheck.AliasError
	if err := yamlcheck.NoAliases(file); errors.As(err, &ae) {
		return nil, &FieldError{File: name, Line: ae.Line, Msg: ae.Msg}
	}
	var d Definition
	if err := yaml.UnmarshalWithOptions(data, &d, yaml.Strict()); err != nil {
		if line := errLine(err); line == 0 {
			if fe := durationError(file, name); fe != nil {
				return nil, fe
			}
		}
		return nil, &FieldError{File: name, Line: errLine(err), Msg: firstLine(yaml.FormatError(err, false, false))}
	}
	d.File, d.Source = name, data
	if errs := d.validate(); len(errs) > 0 {
		for _, e := range errs {
			e.File = name
			e.Line = lineOf(file, e.Field)
		}
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		joined := make([]error, len(errs))
		for i, e := range errs {
			joined[i] = e
		}
		return nil, errors.Join(joined...)
	}
	return &d, nil
}

// LoadFile parses one journey file.
func LoadFile(path string) (*Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journey %s: %w", path, err)
	}
	return Parse(filepath.Base(path), data)
}

// LoadDir parses every .yaml and .yml file of a folder. Two files may not
// define the same journey id and version.
func LoadDir(dir string) ([]*Definition, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("journeys %s: %w", dir, err)
	}
	var defs []*Definition
	var errs []error
	seen := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || (!strings.HasSuffix(e.Name(), ".yaml") && !strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		d, err := LoadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		key := d.ID + "@" + strconv.Itoa(d.Version)
		if other, dup := seen[key]; dup {
			errs = append(errs, &FieldError{File: e.Name(), Field: "id", Msg: fmt.Sprintf("journey %s version %d is also defined in %s", d.ID, d.Version, other)})
			continue
		}
		seen[key] = e.Name()
		defs = append(defs, d)
	}
	return defs, errors.Join(errs...)
}

// lineOf finds the line of a field path ("steps[2].next") in the file, or
// 0: the line of the field's key when it is a key of a mapping, else the
// line of its value; a path that does not exist takes its closest parent.
func lineOf(f *ast.File, field string) int {
	for field != "" {
		i := strings.LastIndexAny(field, ".[")
		if i > 0 && field[i] == '.' {
			if line := keyLine(f, field[:i], field[i+1:]); line > 0 {
				return line
			}
		}
		if p, err := yaml.PathString("$." + field); err == nil {
			if n, err := p.FilterFile(f); err == nil && n != nil && n.GetToken() != nil {
				return n.GetToken().Position.Line
			}
		}
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}

// keyLine is the line of key in the mapping at parent, or 0.
func keyLine(f *ast.File, parent, key string) int {
	p, err := yaml.PathString("$." + parent)
	if err != nil {
		return 0
	}
	n, err := p.FilterFile(f)
	if err != nil || n == nil {
		return 0
	}
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	for _, v := range values {
		if k, ok := v.Key.(ast.Node); ok && strings.Trim(k.String(), `"'`) == key && k.GetToken() != nil {
			return k.GetToken().Position.Line
		}
	}
	return 0
}

// durationFields are the fields written as durations.
var durationFields = map[string]bool{"timeout": true, "for": true, "delay": true}

// durationError finds the duration that made decoding fail (the decoder
// gives no position for a value its unmarshaler refuses) and names its
// line and field.
func durationError(f *ast.File, name string) *FieldError {
	var found *FieldError
	for _, doc := range f.Docs {
		ast.Walk(visitFunc(func(n ast.Node) bool {
			mv, ok := n.(*ast.MappingValueNode)
			if !ok || found != nil || !durationFields[strings.Trim(mv.Key.String(), `"'`)] {
				return found == nil
			}
			if _, isScalar := mv.Value.(ast.ScalarNode); !isScalar {
				return true
			}
			var d Duration
			if err := d.UnmarshalYAML([]byte(mv.Value.String())); err != nil {
				found = &FieldError{File: name, Line: mv.Key.GetToken().Position.Line, Field: strings.TrimPrefix(mv.Value.GetPath(), "$."), Msg: err.Error()}
			}
			return true
		}), doc)
	}
	return found
}

type visitFunc func(ast.Node) bool

func (v visitFunc) Visit(n ast.Node) ast.Visitor {
	if v(n) {
		return v
	}
	return nil
}

// errLine reads the line of a YAML decoding error from goccy's "[LINE:COL]"
// prefix, or 0.
func errLine(err error) int {
	msg := yaml.FormatError(err, false, false)
	if m := strings.Index(msg, "["); m >= 0 {
		if n := strings.Index(msg[m:], ":"); n > 0 {
			if line, err := strconv.Atoi(msg[m+1 : m+n]); err == nil {
				return line
			}
		}
	}
	return 0
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// UnmarshalYAML reads "72h", "90m" or "3d".
func (d *Duration) UnmarshalYAML(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(bytes.TrimSpace(b))), `"'`)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("duration %q: want a number of days such as 3d", s)
		}
		*d = Duration(time.Duration(n * float64(24*time.Hour)))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("duration %q: want 72h, 30m or 3d", s)
	}
	*d = Duration(v)
	return nil
}
