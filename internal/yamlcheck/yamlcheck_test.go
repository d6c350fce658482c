package yamlcheck_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/yamlcheck"
)

// BillionLaughs is a document of nested aliases, each level repeating the
// one before nine times: 9^8 strings if it were expanded.
const BillionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

func TestUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		line      int // of the expected AliasError; 0: no error
		msg       string
	}{
		{"plain", "a: 1\nb: [x, y]\n", 0, ""},
		{"anchor", "a: 1\nb: &x [x, y]\n", 2, "(&x)"},
		{"alias", "a: 1\nb: *x\n", 2, "(*x)"},
		{"merge key", "base: &base {a: 1}\nother:\n  <<: *base\n", 1, "(&base)"},
		{"billion laughs", BillionLaughs, 1, "(&a)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var v map[string]any
			err := yamlcheck.Unmarshal([]byte(tc.doc), &v)
			var ae *yamlcheck.AliasError
			if tc.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.As(err, &ae) {
				t.Fatalf("error %v, want an AliasError", err)
			}
			if ae.Line != tc.line || !strings.Contains(ae.Error(), tc.msg) || !strings.Contains(ae.Error(), "not allowed") {
				t.Errorf("error %q at line %d, want line %d saying %s", ae.Error(), ae.Line, tc.line, tc.msg)
			}
		})
	}
}

// FuzzUnmarshal checks that no document makes the check panic.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{"", "a: 1\n", "a: &x 1\nb: *x\n", "- *y\n", BillionLaughs, "base: &b {a: 1}\nc:\n  <<: *b\n", "---\n---\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		_ = yamlcheck.Unmarshal(data, &v)
	})
}
