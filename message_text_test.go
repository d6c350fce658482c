package rapport

import (
	"strings"
	"testing"
)

func TestMessageTextFill(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   MessageText
		vars map[string]string
		want MessageText
	}{
		{"no vars", MessageText{Body: "Hi {first_name}"}, nil, MessageText{Body: "Hi {first_name}"}},
		{"every field", MessageText{Subject: "{org}", Body: "Hi {first_name}", HTML: "<p>{first_name} at {org}</p>"},
			map[string]string{"first_name": "Rosa", "org": "Valley"}, MessageText{Subject: "Valley", Body: "Hi Rosa", HTML: "<p>Rosa at Valley</p>"}},
		{"unknown stays", MessageText{Body: "{a} {b}"}, map[string]string{"a": "1"}, MessageText{Body: "1 {b}"}},
		{"values are not filled again", MessageText{Body: "{a}{b}"}, map[string]string{"a": "{b}", "b": "x"}, MessageText{Body: "{b}x"}},
		{"braces around", MessageText{Body: "{{a}} {a {a}} {} {a"}, map[string]string{"a": "1"}, MessageText{Body: "{1} {a 1} {} {a"}},
		{"css and empty value", MessageText{HTML: "p {color:red} {a}!"}, map[string]string{"a": ""}, MessageText{HTML: "p {color:red} !"}},
	}
	for _, tt := range tests {
		if got := tt.in.Fill(tt.vars); got != tt.want {
			t.Errorf("%s: Fill = %+v, want %+v", tt.name, got, tt.want)
		}
		// The same as a strings.Replacer of every "{name}", which Fill replaced.
		pairs := []string{}
		for k, v := range tt.vars {
			pairs = append(pairs, "{"+k+"}", v)
		}
		if len(pairs) > 0 {
			r := strings.NewReplacer(pairs...)
			if got, want := tt.in.Fill(tt.vars).Body, r.Replace(tt.in.Body); got != want {
				t.Errorf("%s: Fill body %q, a Replacer gives %q", tt.name, got, want)
			}
		}
	}
}

// FuzzFill checks Fill against a strings.Replacer of the same placeholders.
func FuzzFill(f *testing.F) {
	f.Add("Hi {first_name} at {org}{", "Rosa", "{org}")
	f.Fuzz(func(t *testing.T, s, a, b string) {
		vars := map[string]string{"first_name": a, "org": b, "x{y": "no"}
		want := strings.NewReplacer("{first_name}", a, "{org}", b).Replace(s)
		if got := fill(s, vars); got != want {
			t.Errorf("fill(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestMessageUnfilled(t *testing.T) {
	t.Parallel()
	tmpl := MessageText{Subject: "Hi {first_name}", Body: "See you, {first_name}."}
	filled := Message{Subject: "Hi Ana", Body: "See you, Ana.", Template: tmpl, Vars: map[string]string{"first_name": "Ana"}}
	if got := filled.Unfilled(); got != tmpl {
		t.Errorf("with a template: %+v, want %+v", got, tmpl)
	}
	plain := Message{Subject: "Hi", Body: "Plain text.", HTML: "<p>Plain</p>"}
	if got, want := plain.Unfilled(), (MessageText{Subject: "Hi", Body: "Plain text.", HTML: "<p>Plain</p>"}); got != want {
		t.Errorf("without a template: %+v, want %+v", got, want)
	}
}
