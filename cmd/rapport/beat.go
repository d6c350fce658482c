package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"time"

	"github.com/rapporthq/rapport"
)

// beat records this process in the database every rapport.ProcessBeat
// until ctx ends, then removes it: `campaign launch` reads the list to see
// whether anything running could send.
func (a *App) beat(ctx context.Context, kind string) (stop func()) {
	host, _ := os.Hostname()
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	p := rapport.Process{ID: hex.EncodeToString(id), Kind: kind, Host: host, PID: os.Getpid(), Channels: a.channelsState(), StartedAt: a.Clock.Now()}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(rapport.ProcessBeat)
		defer t.Stop()
		for {
			if err := a.DB.BeatProcess(ctx, p); err != nil && ctx.Err() == nil {
				a.Logger.Warn("process beat", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
		end, cancelEnd := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancelEnd()
		if err := a.DB.EndProcess(end, p.ID); err != nil {
			a.Logger.Warn("process end", "err", err)
		}
	}
}

// liveSenders says how many running serve or worker processes there are,
// and how many of them can send.
func (a *App) liveSenders(ctx context.Context) (live, senders int, err error) {
	ps, err := a.DB.LiveProcesses(ctx, a.Clock.Now().Add(-3*rapport.ProcessBeat))
	if err != nil {
		return 0, 0, err
	}
	for _, p := range ps {
		if p.Channels != noChannels {
			senders++
		}
	}
	return len(ps), senders, nil
}
