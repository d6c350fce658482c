// Package yamlcheck reads YAML that people write by hand (journeys,
// behaviour models, CSV mappings) without anchors or aliases. An alias
// repeats a node, and nested aliases repeat it exponentially ("billion
// laughs"): a 1 KB document could take minutes and gigabytes to decode.
// None of our formats needs them, so they are refused before decoding.
package yamlcheck

import (
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// AliasError is an anchor or alias found in a document, with its line.
type AliasError struct {
	Line int
	Msg  string
}

func (e *AliasError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// NoAliases returns an [*AliasError] for the first anchor (&name) or
// alias (*name) of a parsed document, or nil when it has none.
func NoAliases(f *ast.File) error {
	var v finder
	for _, doc := range f.Docs {
		ast.Walk(&v, doc)
	}
	if v.first == nil {
		return nil
	}
	return v.first
}

// finder is an [ast.Visitor] keeping the first anchor or alias by line.
// (ast.FilterFile would do, but it panics on an empty document.)
type finder struct{ first *AliasError }

func (v *finder) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		return nil
	}
	var name string
	switch n := n.(type) {
	case *ast.AnchorNode:
		name = "&" + n.Name.GetToken().Value
	case *ast.AliasNode:
		name = "*" + n.Value.GetToken().Value
	default:
		return v
	}
	e := &AliasError{Msg: fmt.Sprintf("anchors and aliases are not allowed (%s)", name)}
	if pos := n.GetToken().Position; pos != nil {
		e.Line = pos.Line
	}
	if v.first == nil || e.Line < v.first.Line {
		v.first = e
	}
	return v
}

// Unmarshal decodes a document into v with the options, after refusing
// anchors and aliases. Errors are goccy's, or an [*AliasError]; name the
// file when reporting them.
func Unmarshal(data []byte, v any, opts ...yaml.DecodeOption) error {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return err
	}
	if err := NoAliases(f); err != nil {
		return err
	}
	return yaml.UnmarshalWithOptions(data, v, opts...)
}
