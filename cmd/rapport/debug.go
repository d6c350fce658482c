package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// checkDebugAddr accepts an empty address (no debug listener) or one on a
// loopback interface: profiles name the code's hot paths and memory, so
// they are for the operator on the machine, never for the network.
func checkDebugAddr(addr string) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--debug-addr %q: want HOST:PORT on loopback, such as 127.0.0.1:6060", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return usagef("--debug-addr %q: the profiler listens on loopback only (127.0.0.1 or ::1)", addr)
	}
	return nil
}

// serveDebug serves Go's profiler (/debug/pprof/) on addr until stop is
// called; with no addr it serves nothing. It carries no patient data:
// profiles hold code locations and sizes.
func serveDebug(ctx context.Context, addr string) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("debug listener: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l) //nolint:errcheck // best effort: a failing profiler does not stop the server

	return func() { _ = srv.Shutdown(context.WithoutCancel(ctx)) }, nil
}
