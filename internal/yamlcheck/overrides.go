package yamlcheck

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Validator is a settings struct that checks itself once read.
type Validator[T any] interface {
	*T
	Validate() error
}

// Overrides decodes the document name over *p, which holds the defaults:
// the fields it gives replace theirs (a map or list replaces the default
// whole), and the result must pass Validate. An unknown field is an error,
// so a misspelt rate does not pass unnoticed. A document with nothing in
// it (empty, comments only, or null) keeps every default: goccy would zero
// them. Errors begin with name.
func Overrides[T any, P Validator[T]](name string, data []byte, p P) error {
	f, err := parser.ParseBytes(data, 0)
	if err == nil {
		err = NoAliases(f)
	}
	if err == nil && !blank(f) {
		err = yaml.UnmarshalWithOptions(data, p, yaml.DisallowUnknownField())
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// blank reports whether a parsed file holds no value at all.
func blank(f *ast.File) bool {
	for _, d := range f.Docs {
		if d.Body == nil {
			continue
		}
		if _, null := d.Body.(*ast.NullNode); !null {
			return false
		}
	}
	return true
}

// ReadOverrides is [Overrides] on the file at path; what says in an error
// what the file was to hold.
func ReadOverrides[T any, P Validator[T]](path, what string, p P) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return Overrides(filepath.Base(path), data, p)
}
