package rapport

import "time"

// Process is a running `rapport serve` or `rapport worker`, as it last
// reported itself: a launch asks whether any of them can send.
type Process struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // serve or worker
	Host string `json:"host"`
	PID  int    `json:"pid"`
	// Channels are the channels it sends on, or "simulated".
	Channels  string    `json:"channels"`
	StartedAt time.Time `json:"started_at"`
	SeenAt    time.Time `json:"seen_at"`
}

// ProcessBeat is how often a process says it is alive; one silent for
// three beats is taken for gone.
const ProcessBeat = 10 * time.Second
