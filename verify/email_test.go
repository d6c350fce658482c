package verify

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rapporthq/rapport"
)

var (
	typo       = []rapport.FlagCode{rapport.FlagTypo}
	role       = []rapport.FlagCode{rapport.FlagRole}
	disposable = []rapport.FlagCode{rapport.FlagDisposable}
)

func flagCodes(flags []rapport.ContactFlag) []rapport.FlagCode {
	var out []rapport.FlagCode
	for _, f := range flags {
		out = append(out, f.Code)
	}
	return out
}

// TestEmail covers syntax, typo suggestions (a suggestion never makes a
// provider typo invalid: only a top-level domain that cannot exist does)
// and role and disposable flags.
func TestEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, norm  string
		valid      bool
		reason     string
		suggestion string
		flags      []rapport.FlagCode
	}{
		{"ana.garcia@gmail.com", "ana.garcia@gmail.com", true, "", "", nil},
		{"  Ana.Garcia@GMAIL.COM ", "Ana.Garcia@gmail.com", true, "", "", nil},
		{"j.smith+clinic@example.org", "j.smith+clinic@example.org", true, "", "", nil},
		{"maría@correo.es", "maría@correo.es", true, "", "", nil},
		{"bob@mail.com", "bob@mail.com", true, "", "", nil},
		{"bob@ymail.com", "bob@ymail.com", true, "", "", nil},
		{"bob@cox.net", "bob@cox.net", true, "", "", nil},
		{"bob@fox.net", "bob@fox.net", true, "", "", nil}, // one substitution from cox.net: too short to judge
		{"bob@protonmail.ch", "bob@protonmail.ch", true, "", "", nil},
		{"ana@gmial.com", "ana@gmial.com", true, "", "ana@gmail.com", typo},       // domain gmial.com looks like a typo of gmail.com
		{"ana@gmai.com", "ana@gmai.com", true, "", "ana@gmail.com", typo},         // domain gmai.com looks like a typo of gmail.com
		{"ana@gnail.com", "ana@gnail.com", true, "", "ana@gmail.com", typo},       // domain gnail.com looks like a typo of gmail.com
		{"ana@GMAIL.CO", "ana@gmail.co", true, "", "ana@gmail.com", typo},         // domain gmail.co looks like a typo of gmail.com
		{"ana@hotmial.com", "ana@hotmial.com", true, "", "ana@hotmail.com", typo}, // domain hotmial.com looks like a typo of hotmail.com
		{"ana@yaho.com", "ana@yaho.com", true, "", "ana@yahoo.com", typo},         // domain yaho.com looks like a typo of yahoo.com
		{"ana@outlok.com", "ana@outlok.com", true, "", "ana@outlook.com", typo},   // domain outlok.com looks like a typo of outlook.com
		{"ana@aol.co", "ana@aol.co", true, "", "ana@aol.com", typo},               // domain aol.co looks like a typo of aol.com
		{"ana@clinic.con", "ana@clinic.con", false, "domain clinic.con looks like a typo of clinic.com", "ana@clinic.com", typo},
		{"ana@gmail.con", "ana@gmail.con", false, "domain gmail.con looks like a typo of gmail.com", "ana@gmail.com", typo},
		{"ana@gmai.con", "ana@gmai.con", false, "domain gmai.con looks like a typo of gmail.com", "ana@gmail.com", typo},
		{"", "", false, "empty", "", nil},
		{"not an email", "", false, "contains a space", "", nil},
		{"ana garcia@gmail.com", "ana garcia@gmail.com", false, "contains a space", "", nil},
		{"ana.gmail.com", "", false, "missing @", "", nil},
		{"ana@@gmail.com", "ana@@gmail.com", false, "more than one @", "", nil},
		{"@gmail.com", "", false, "nothing before the @", "", nil},
		{"ana@", "", false, "no domain after the @", "", nil},
		{"ana@localhost", "ana@localhost", false, "domain localhost has no dot", "", nil},
		{"ana@gmail..com", "ana@gmail..com", false, "domain gmail..com has an empty label (two dots, or a dot at an end)", "", nil},
		{"ana@-x.com", "ana@-x.com", false, "domain -x.com has a label starting or ending with a hyphen", "", nil},
		{"ana@x_y.com", "ana@x_y.com", false, `domain has an invalid character '_'`, "", nil},
		{"ana@[10.0.0.1]", "ana@[10.0.0.1]", false, "domain is an IP address literal", "", nil},
		{"ana@1.2.3.4", "ana@1.2.3.4", false, "domain 1.2.3.4 ends in a number", "", nil},
		{"ana@example.c", "ana@example.c", false, "domain example.c has a one-letter top-level domain", "", nil},
		{"ana..b@example.com", "ana..b@example.com", false, "invalid characters before the @", "", nil},
		{`"ana"@example.com`, `"ana"@example.com`, false, "not a plain address", "", nil},
		{"Ana <ana@example.com>", "Ana <ana@example.com>", false, "contains a space", "", nil},
		{strings.Repeat("a", 65) + "@example.com", strings.Repeat("a", 65) + "@example.com", false, "part before the @ too long (65 characters, at most 64)", "", nil},
		{"a@" + strings.Repeat("b", 250) + ".com", "a@" + strings.Repeat("b", 250) + ".com", false, "too long (256 characters, at most 254)", "", nil},
		// Role and disposable addresses are flagged, and stay valid.
		{"info@clinic.org", "info@clinic.org", true, "", "", role},
		{"NoReply+x@Clinic.org", "NoReply+x@clinic.org", true, "", "", role},
		{"office@gmial.com", "office@gmial.com", true, "", "office@gmail.com", []rapport.FlagCode{rapport.FlagTypo, rapport.FlagRole}},
		{"infobot@clinic.org", "infobot@clinic.org", true, "", "", nil},
		{"ana@mailinator.com", "ana@mailinator.com", true, "", "", disposable},
		{"ana@eu.mailinator.com", "ana@eu.mailinator.com", true, "", "", disposable}, // a subdomain of one
		{"ana@stmarys-clinic.org", "ana@stmarys-clinic.org", true, "", "", nil},
		{"ana@yopmail.com", "ana@yopmail.com", true, "", "", disposable},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got := Email(tt.raw)
			want := EmailResult{Normalised: tt.norm, Valid: tt.valid, Reason: tt.reason, Suggestion: tt.suggestion}
			codes := flagCodes(got.Flags)
			got.Flags = nil
			if !reflect.DeepEqual(got, want) || !slices.Equal(codes, tt.flags) {
				t.Errorf("Email(%q) =\n %+v %v, want\n %+v %v", tt.raw, got, codes, want, tt.flags)
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
		// A suggestion always comes with its evidence, a typo flag, and is
		// never written over the address itself.
		if (got.Suggestion != "") != rapport.HasFlag(got.Flags, rapport.FlagTypo) {
			t.Fatalf("Email(%q) = %+v: suggestion and typo flag disagree", raw, got)
		}
		if got.Suggestion != "" && got.Suggestion == got.Normalised {
			t.Fatalf("Email(%q) = %+v: suggests itself", raw, got)
		}
		for _, f := range got.Flags {
			if f.Reason == "" {
				t.Fatalf("Email(%q) = %+v: flag %s without evidence", raw, got, f.Code)
			}
		}
		if got.Valid {
			if got.Normalised == "" || got.Normalised != strings.TrimSpace(got.Normalised) || !utf8.ValidString(got.Normalised) {
				t.Fatalf("Email(%q) valid with Normalised %q", raw, got.Normalised)
			}
			// Normalising is idempotent.
			if again := Email(got.Normalised); !reflect.DeepEqual(again, got) {
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
