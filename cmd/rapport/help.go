package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// helpError is a request for a command's help (-h, --help, help): Main
// prints it on stdout and exits 0, as asked-for output is not an error.
type helpError struct {
	usage string        // what the command does and takes; empty: the command's summary
	flags *flag.FlagSet // the command's flags, or nil
}

func (helpError) Error() string { return "help requested" }

// isHelp reports whether arg asks for help where a subcommand is expected.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// withUsage gives a help request the command's usage text; other errors
// pass unchanged.
func withUsage(err error, usage string) error {
	var he helpError
	if errors.As(err, &he) {
		he.usage = usage
		return he
	}
	return err
}

// quietFlags keeps the flag package from printing: a parse error reaches
// the user once, as Main's one line, and help goes to stdout.
func quietFlags(fs *flag.FlagSet) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
}

// write prints the help of command c on w.
func (h helpError) write(w io.Writer, c command) {
	usage := h.usage
	if usage == "" {
		usage = fmt.Sprintf("usage: rapport %s [flags]\n\nrapport %s: %s.", c.name, c.name, c.summary)
	}
	fmt.Fprintln(w, strings.TrimRight(usage, "\n"))
	if h.flags == nil {
		return
	}
	n := 0
	h.flags.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	h.flags.SetOutput(w)
	h.flags.PrintDefaults()
	h.flags.SetOutput(io.Discard)
}

// flagError turns a parse error of fs into a help request or a usage error.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return helpError{flags: fs}
	}
	return usagef("%v (rapport %s --help lists the flags)", err, fs.Name())
}
