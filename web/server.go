package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Pinger says whether the database answers; /readyz asks it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is rapport's HTTP server.
type Server struct {
	// Mux routes requests; sub-packages register their handlers on it.
	Mux      *http.ServeMux
	db       Pinger
	registry *prometheus.Registry
	logger   *slog.Logger
	srv      *http.Server
	ln       net.Listener
	// ready holds what /readyz says beside its status, such as the channels.
	ready map[string]string
}

// SetReadyDetail adds key: value to /readyz's answer; call it before Serve.
func (s *Server) SetReadyDetail(key, value string) { s.ready[key] = value }

// NewServer returns a server with the operational endpoints registered.
// Metrics registered on reg are served at /metrics.
func NewServer(db Pinger, reg *prometheus.Registry, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{Mux: http.NewServeMux(), db: db, registry: reg, logger: logger, ready: map[string]string{}}
	s.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.Mux.HandleFunc("GET /readyz", s.handleReady)
	s.Mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return s
}

// handleReady answers 200 while the database answers within two seconds,
// 503 otherwise, so a load balancer takes the process out of rotation.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.logger.Warn("not ready: database does not answer", "err", err)
		JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "database unreachable"})
		return
	}
	body := map[string]string{"status": "ok"}
	for k, v := range s.ready {
		body[k] = v
	}
	JSON(w, http.StatusOK, body)
}

// Handler is the server's whole handler, middleware included.
func (s *Server) Handler() http.Handler {
	return recoverer(s.logger, logRequests(s.logger, s.Mux))
}

// Listen binds addr ("127.0.0.1:8080", ":0" for any free port).
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	return nil
}

// Addr is the address the server listens on, after Listen.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve serves until Shutdown.
func (s *Server) Serve() error {
	if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}
