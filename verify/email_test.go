package verify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, norm  string
		valid      bool
		reason     string
		suggestion string
	}{
		{"ana.garcia@gmail.com", "ana.garcia@gmail.com", true, "", ""},
		{"  Ana.Garcia@GMAIL.COM ", "Ana.Garcia@gmail.com", true, "", ""},
		{"j.smith+clinic@example.org", "j.smith+clinic@example.org", true, "", ""},
		{"maría@correo.es", "maría@correo.es", true, "", ""},
		{"bob@mail.com", "bob@mail.com", true, "", ""},
		{"bob@ymail.com", "bob@ymail.com", true, "", ""},
		{"bob@cox.net", "bob@cox.net", true, "", ""},
		{"bob@fox.net", "bob@fox.net", true, "", ""}, // one substitution from cox.net: too short to judge
		{"bob@protonmail.ch", "bob@protonmail.ch", true, "", ""},
		{"ana@gmial.com", "ana@gmial.com", false, "domain gmial.com looks like a typo of gmail.com", "ana@gmail.com"},
		{"ana@gmai.com", "ana@gmai.com", false, "domain gmai.com looks like a typo of gmail.com", "ana@gmail.com"},
		{"ana@gnail.com", "ana@gnail.com", false, "domain gnail.com looks like a typo of gmail.com", "ana@gmail.com"},
		{"ana@GMAIL.CO", "ana@gmail.co", false, "domain gmail.co looks like a typo of gmail.com", "ana@gmail.com"},
		{"ana@hotmial.com", "ana@hotmial.com", false, "domain hotmial.com looks like a typo of hotmail.com", "ana@hotmail.com"},
		{"ana@yaho.com", "ana@yaho.com", false, "domain yaho.com looks like a typo of yahoo.com", "ana@yahoo.com"},
		{"ana@outlok.com", "ana@outlok.com", false, "domain outlok.com looks like a typo of outlook.com", "ana@outlook.com"},
		{"ana@aol.co", "ana@aol.co", false, "domain aol.co looks like a typo of aol.com", "ana@aol.com"},
		{"ana@clinic.con", "ana@clinic.con", false, "domain clinic.con looks like a typo of clinic.com", "ana@clinic.com"},
		{"ana@gmai.con", "ana@gmai.con", false, "domain gmai.con looks like a typo of gmail.com", "ana@gmail.com"},
		{"", "", false, "empty", ""},
		{"not an email", "", false, "contains a space", ""},
		{"ana garcia@gmail.com", "ana garcia@gmail.com", false, "contains a space", ""},
		{"ana.gmail.com", "", false, "missing @", ""},
		{"ana@@gmail.com", "ana@@gmail.com", false, "more than one @", ""},
		{"@gmail.com", "", false, "nothing before the @", ""},
		{"ana@", "", false, "no domain after the @", ""},
		{"ana@localhost", "ana@localhost", false, "domain localhost has no dot", ""},
		{"ana@gmail..com", "ana@gmail..com", false, "domain gmail..com has an empty label (two dots, or a dot at an end)", ""},
		{"ana@-x.com", "ana@-x.com", false, "domain -x.com has a label starting or ending with a hyphen", ""},
		{"ana@x_y.com", "ana@x_y.com", false, `domain has an invalid character '_'`, ""},
		{"ana@[10.0.0.1]", "ana@[10.0.0.1]", false, "domain is an IP address literal", ""},
		{"ana@1.2.3.4", "ana@1.2.3.4", false, "domain 1.2.3.4 ends in a number", ""},
		{"ana@example.c", "ana@example.c", false, "domain example.c has a one-letter top-level domain", ""},
		{"ana..b@example.com", "ana..b@example.com", false, "invalid characters before the @", ""},
		{`"ana"@example.com`, `"ana"@example.com`, false, "not a plain address", ""},
		{"Ana <ana@example.com>", "Ana <ana@example.com>", false, "contains a space", ""},
		{strings.Repeat("a", 65) + "@example.com", strings.Repeat("a", 65) + "@example.com", false, "part before the @ too long (65 characters, at most 64)", ""},
		{"a@" + strings.Repeat("b", 250) + ".com", "a@" + strings.Repeat("b", 250) + ".com", false, "too long (256 characters, at most 254)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got := Email(tt.raw)
			want := EmailResult{Normalised: tt.norm, Valid: tt.valid, Reason: tt.reason, Suggestion: tt.suggestion}
			if got != want {
				t.Errorf("Email(%q) =\n %+v, want\n %+v", tt.raw, got, want)
			}
		})
	}
}

func TestWithinOneEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b  string
		subst bool
		want  bool
	}{
		{"gmail.com", "gmail.com", true, true},
		{"gmial.com", "gmail.com", true, true},  // transposition
		{"gmai.com", "gmail.com", true, true},   // deletion
		{"gmaill.com", "gmail.com", true, true}, // insertion
		{"gnail.com", "gmail.com", true, true},  // substitution
		{"gnail.com", "gmail.com", false, false},
		{"gmal.co", "gmail.com", true, false},
		{"mgial.com", "gmail.com", true, false},
		{"", "a", true, true},
		{"ab", "ba", false, true},
		{"abc", "cba", true, false},
	}
	for _, tt := range tests {
		if got := withinOneEdit(tt.a, tt.b, tt.subst); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q, %v) = %v, want %v", tt.a, tt.b, tt.subst, got, tt.want)
		}
		if got := withinOneEdit(tt.b, tt.a, tt.subst); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q, %v) = %v, want %v", tt.b, tt.a, tt.subst, got, tt.want)
		}
	}
}

func BenchmarkEmail(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Email("ana.garcia@hotmial.com")
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"ana@gmail.com", "ana@gmial.com", "Ana <ana@example.com>", `"a b"@example.com`, "a@b", "a@[1.2.3.4]", "ana@clinic.con", "maría@correo.es", "@", "a@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := Email(raw)
		if got.Valid == (got.Reason != "") {
			t.Fatalf("Email(%q) = %+v: Valid and Reason disagree", raw, got)
		}
		if got.Suggestion != "" && got.Valid {
			t.Fatalf("Email(%q) = %+v: a suggestion for a valid address", raw, got)
		}
		if got.Valid {
			if got.Normalised == "" || got.Normalised != strings.TrimSpace(got.Normalised) || !utf8.ValidString(got.Normalised) {
				t.Fatalf("Email(%q) valid with Normalised %q", raw, got.Normalised)
			}
			// Normalising is idempotent.
			if again := Email(got.Normalised); again != got {
				t.Fatalf("Email(%q) = %+v, Email of its normal form = %+v", raw, got, again)
			}
		}
		if got.Suggestion != "" {
			if s := Email(got.Suggestion); !s.Valid {
				t.Fatalf("Email(%q) suggests %q, which is invalid: %s", raw, got.Suggestion, s.Reason)
			}
		}
	})
}
