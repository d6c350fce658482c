package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeSection returns the text of README.md's "## title" section.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", title)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// TestREADMECommands: the README's command list names every command.
func TestREADMECommands(t *testing.T) {
	t.Parallel()
	sec := readmeSection(t, "Commands")
	for _, c := range commands() {
		if !regexp.MustCompile(`(?m)^rapport ` + c.name + ` `).MatchString(sec) {
			t.Errorf("README's command list lacks rapport %s", c.name)
		}
	}
}

// cellBar is a column separator of a Markdown table: a | not escaped
// (GitHub splits cells at a | even inside backticks).
var cellBar = regexp.MustCompile(`(^|[^\\])\|`)

// TestREADMEConfigTable: the configuration table renders as one table —
// its rows are contiguous and have the header's columns — and names
// every flag serve takes.
func TestREADMEConfigTable(t *testing.T) {
	t.Parallel()
	sec := readmeSection(t, "Configuration")
	lines := strings.Split(sec, "\n")
	first, last := -1, -1
	for i, l := range lines {
		if strings.HasPrefix(l, "| flag |") && first < 0 {
			first = i
		}
		if first >= 0 && strings.HasPrefix(l, "|") {
			last = i
		}
	}
	if first < 0 {
		t.Fatal("no table with a flag column under Configuration")
	}
	cols := len(cellBar.FindAllString(lines[first], -1))
	for i := first; i <= last; i++ {
		if n := len(cellBar.FindAllString(lines[i], -1)); !strings.HasPrefix(lines[i], "|") || n != cols {
			t.Errorf("configuration table line %d breaks the table (%d separators, header has %d): %q", i-first+1, n, cols, lines[i])
		}
	}
	table := strings.Join(lines[first:last+1], "\n")
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, func(string) string { return "" }, true)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(table, "`--"+f.Name+"`") {
			t.Errorf("the configuration table lacks --%s", f.Name)
		}
	})
}
