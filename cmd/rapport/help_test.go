package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// flagLine is a flag's line in help: two spaces, a dash, the name.
var flagLine = regexp.MustCompile(`(?m)^  -([a-z-]+)`)

// TestHelp runs the help a newcomer asks for: it goes to stdout (so it
// pipes to less) with exit 0, names the subcommands, and lists the flags
// the command takes — only those.
func TestHelp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args  []string
		want  []string // in stdout
		flags []string // exactly these flags, when set
	}{
		{[]string{"--help"}, []string{"Commands:", "import", "campaign", "report", "hygiene", "audit", "token"}, nil},
		{[]string{"help"}, []string{"Commands:"}, nil},
		{[]string{"import", "--help"}, []string{"import fhir PATH", "import csv FILE", "Subcommands:"},
			[]string{"continue-on-error", "db", "debug-addr", "full-export", "mapping", "region", "rejects", "source"}},
		{[]string{"import", "fhir", "--help"}, []string{"NDJSON", "Bundle", "folder", "synthea-bulk.ndjson"},
			[]string{"continue-on-error", "db", "debug-addr", "full-export", "region", "rejects", "source"}},
		{[]string{"import", "csv", "-h"}, []string{"CSV", "MAP.yaml"},
			[]string{"continue-on-error", "db", "debug-addr", "full-export", "mapping", "region", "rejects", "source"}},
		{[]string{"help", "import"}, []string{"Subcommands:", "fhir", "csv"}, nil},
		{[]string{"token", "--help"}, []string{"create --role", "list", "revoke ID"}, []string{"db", "name", "role"}},
		{[]string{"token", "create", "--help"}, []string{"create --role"}, []string{"db", "name", "role"}},
		{[]string{"campaign", "--help"}, []string{"launch --journey", "list", "show ID", "pause ID", "cancel ID", "-holdout", "-throttle"}, nil},
		{[]string{"campaign", "help"}, []string{"launch --journey"}, nil},
		{[]string{"hygiene", "--help"}, []string{"run", "report [--run ID]", "export --out DIR", "-format", "-out"}, nil},
		{[]string{"report", "--help"}, []string{"-campaign", "-format", "report adherence"}, nil},
		{[]string{"report", "adherence", "--help"}, []string{"usage: rapport report adherence", "PDC", "not PQA measures", "-from", "-to", "-format"}, nil},
		{[]string{"audit", "--help"}, []string{"audit trail"},
			[]string{"actor", "db", "format", "limit", "patient", "since", "until"}},
		{[]string{"generate", "--help"}, []string{"--patients N", "-seed"}, nil},
		{[]string{"serve", "--help"}, []string{"usage: rapport serve", "-addr"}, nil},
		{[]string{"version", "--help"}, []string{"usage: rapport version"}, nil},
	}
	for _, c := range cases {
		code, stdout, stderr := run(t, nil, c.args...)
		if code != 0 || stderr != "" {
			t.Errorf("rapport %s: exit %d, stderr %q; want exit 0 and help on stdout", strings.Join(c.args, " "), code, stderr)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("rapport %s: stdout lacks %q:\n%s", strings.Join(c.args, " "), w, stdout)
			}
		}
		if c.flags == nil {
			continue
		}
		var got []string
		for _, m := range flagLine.FindAllStringSubmatch(stdout, -1) {
			got = append(got, m[1])
		}
		if !slices.Equal(got, c.flags) {
			t.Errorf("rapport %s lists flags %v, want %v", strings.Join(c.args, " "), got, c.flags)
		}
	}
}

// TestEveryCommandHasHelp asks each command for help: none runs instead.
func TestEveryCommandHasHelp(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		code, stdout, stderr := run(t, nil, c.name, "--help")
		if code != 0 || stderr != "" || !strings.Contains(stdout, "usage: rapport "+c.name) {
			t.Errorf("rapport %s --help: exit %d, stderr %q, stdout %q; want exit 0 and its usage on stdout", c.name, code, stderr, stdout)
		}
	}
}

// TestBadFlagIsOneLine: a mistyped flag gets one line on stderr that says
// where the flags are, not the whole flag list.
func TestBadFlagIsOneLine(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := run(t, nil, "campaign", "list", "--nope")
	want := "rapport campaign: flag provided but not defined: -nope (rapport campaign list --help lists the flags)\n"
	if code != 2 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, want)
	}
}
