package store

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// BeatProcess records that p is alive now, adding it on its first beat.
func (db *DB) BeatProcess(ctx context.Context, p rapport.Process) error {
	now := db.clock.Now().UTC()
	if _, err := db.q.exec(ctx, `INSERT INTO processes (id, kind, host, pid, channels, started_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, channels = excluded.channels`,
		p.ID, p.Kind, p.Host, p.PID, p.Channels, p.StartedAt.UTC(), now); err != nil {
		return fmt.Errorf("process beat: %w", err)
	}
	return nil
}

// EndProcess removes a process that stops.
func (db *DB) EndProcess(ctx context.Context, id string) error {
	if _, err := db.q.exec(ctx, "DELETE FROM processes WHERE id = ?", id); err != nil {
		return fmt.Errorf("end process: %w", err)
	}
	return nil
}

// LiveProcesses lists the processes seen since since, oldest first; those
// silent longer are forgotten (a process killed without stopping).
func (db *DB) LiveProcesses(ctx context.Context, since time.Time) ([]rapport.Process, error) {
	if _, err := db.q.exec(ctx, "DELETE FROM processes WHERE seen_at < ?", since.UTC().Add(-24*time.Hour)); err != nil {
		return nil, fmt.Errorf("forget old processes: %w", err)
	}
	rs, err := db.q.query(ctx, "SELECT id, kind, host, pid, channels, started_at, seen_at FROM processes WHERE seen_at >= ? ORDER BY started_at, id", since.UTC())
	if err != nil {
		return nil, fmt.Errorf("live processes: %w", err)
	}
	defer rs.Close()
	var out []rapport.Process
	for rs.Next() {
		var p rapport.Process
		if err := rs.Scan(&p.ID, &p.Kind, &p.Host, &p.PID, &p.Channels, &p.StartedAt, &p.SeenAt); err != nil {
			return nil, fmt.Errorf("scan process: %w", err)
		}
		out = append(out, p)
	}
	return out, rs.Err()
}
