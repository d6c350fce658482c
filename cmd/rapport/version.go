package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

func runVersion(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		return helpError{usage: "usage: rapport version\n\nPrints rapport's version (and the commit it was built from)."}
	}
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(env.Stdout, "rapport %s\n", v)
	return nil
}
