package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/fhir"
)

// TestPipelineOrder: whatever worker finishes first, the writer sees the
// file's events in file order, raw lines decoded and records prepared.
func TestPipelineOrder(t *testing.T) {
	t.Parallel()
	const n = 5*pieceSize + 17
	var in strings.Builder
	for i := range n {
		switch {
		case i%97 == 5:
			fmt.Fprintf(&in, "{not json\n")
		case i%89 == 7:
			fmt.Fprintf(&in, `{"resourceType":"Basic","id":"b%d"}`+"\n", i)
		default:
			fmt.Fprintf(&in, `{"resourceType":"Patient","id":"p%d","name":[{"family":"F%d"}]}`+"\n", i, i)
		}
	}
	read := func(r io.Reader, s *sink) error { return fhir.ReadNDJSONLines(r, "t.ndjson", s.line) }
	prepared := func(r *record) { r.hash = "h" + r.id }
	p := startPipeline(context.Background(), strings.NewReader(in.String()), read, prepared)
	i := 0
	for pc := range p.ordered {
		<-pc.done
		for _, e := range pc.events {
			switch {
			case i%97 == 5:
				if e.err == nil || !strings.Contains(e.where, fmt.Sprintf("line %d", i+1)) {
					t.Fatalf("event %d: want the bad line %d, got %+v", i, i+1, e)
				}
			case i%89 == 7:
				if !e.skipped || e.typ != "Basic" {
					t.Fatalf("event %d: want a skipped Basic, got %+v", i, e)
				}
			default:
				if e.rec == nil || e.rec.id != fmt.Sprintf("p%d", i) || e.rec.hash != "hp"+fmt.Sprint(i) {
					t.Fatalf("event %d: want prepared Patient/p%d, got %+v", i, i, e)
				}
			}
			i++
		}
	}
	if err := p.wait(); err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Errorf("got %d events, want %d", i, n)
	}
}

// TestPipelineStops: a reader error reaches wait, and a writer that stops
// taking pieces (cancelling) does not leave the reader blocked.
func TestPipelineStops(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	endless := func(r io.Reader, s *sink) error {
		for i := 0; ; i++ {
			if err := s.add(&record{id: fmt.Sprint(i)}); err != nil {
				return err
			}
		}
	}
	failing := func(r io.Reader, s *sink) error {
		for i := range 3 * pieceSize {
			if err := s.add(&record{id: fmt.Sprint(i)}); err != nil {
				return err
			}
		}
		return boom
	}
	for _, tc := range []struct {
		name string
		read readFunc
		stop bool // the writer stops after one piece
		want error
	}{
		{"reader fails", failing, false, boom},
		{"writer stops", endless, true, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := startPipeline(ctx, nil, tc.read, func(*record) {})
			<-(<-p.ordered).done
			if tc.stop {
				cancel()
			}
			if err := p.wait(); !errors.Is(err, tc.want) {
				t.Errorf("wait = %v, want %v", err, tc.want)
			}
		})
	}
}
