package importer

import (
	"context"
	"io"
	"runtime"
	"sync"

	"github.com/rapporthq/rapport/fhir"
)

// event is what the writer takes from a piece: a record ready to write
// (decoded, hashed, contact points judged), a rejected record, or a skip.
type event struct {
	rec     *record
	typ     string
	where   string
	err     error
	skipped bool
	// deleted is the source id of a resource of type typ the source deleted.
	deleted string
	// line is an NDJSON line not decoded yet (line.Data is nil until the
	// piece is handed to a worker, which decodes it into the fields above).
	line     fhir.Line
	from, to int // line's bytes in the piece's buf
	raw      bool
	// part is the index of the file the event is of, when an import
	// writes several (see [Importer.importParts]).
	part int
}

// piece is a run of consecutive events of one file. The reader fills it,
// a worker decodes and prepares it and closes done, and the writer takes
// pieces in file order.
type piece struct {
	events []event
	buf    []byte // the raw lines' bytes
	done   chan struct{}
}

// pieceSize is how many events a piece holds: big enough that channel
// hand-offs cost little per record, small enough that the pieces in flight
// (see pipeline) hold a few megabytes.
const pieceSize = 256

// sink receives what a readFunc reads, in file order.
type sink struct {
	cur  *piece
	send func(*piece) error
	// lastBuf is how many raw bytes the last piece held: the next one's
	// buffer starts that big, instead of growing by copies (which
	// allocated five times the bytes of the lines).
	lastBuf int
	// part marks the events pushed (see [event]).
	part int
}

// piece is the piece being filled, started when none is.
func (s *sink) piece() *piece {
	if s.cur == nil {
		s.cur = &piece{events: make([]event, 0, pieceSize), done: make(chan struct{})}
		if s.lastBuf > 0 {
			s.cur.buf = make([]byte, 0, s.lastBuf+s.lastBuf/8)
		}
	}
	return s.cur
}

func (s *sink) push(e event) error {
	e.part = s.part
	pc := s.piece()
	pc.events = append(pc.events, e)
	if len(pc.events) < pieceSize {
		return nil
	}
	return s.flush()
}

func (s *sink) flush() error {
	if s.cur == nil || len(s.cur.events) == 0 {
		return nil
	}
	p := s.cur
	s.cur = nil
	s.lastBuf = len(p.buf)
	return s.send(p)
}

// add hands over a decoded record.
func (s *sink) add(r *record) error { return s.push(event{rec: r}) }

// bad hands over a record that could not be read.
func (s *sink) bad(typ, where string, err error) error {
	return s.push(event{typ: typ, where: where, err: err})
}

// item hands over a decoded FHIR item.
func (s *sink) item(it fhir.Item) error { return s.push(fromItem(it)) }

func fromItem(it fhir.Item) event {
	switch {
	case it.Err != nil:
		return event{typ: it.ResourceType, where: it.Where(), err: it.Err}
	case it.Deleted:
		return event{typ: it.ResourceType, deleted: it.ID}
	case it.Record == nil:
		return event{typ: it.ResourceType, skipped: true}
	}
	return event{rec: &record{where: it.Where(), typ: it.ResourceType, id: it.ID, data: it.Record, subject: it.Subject}}
}

// line hands over an NDJSON line for a worker to decode; its data is copied.
func (s *sink) line(l fhir.Line) error {
	from := len(s.piece().buf)
	s.cur.buf = append(s.cur.buf, l.Data...)
	l.Data = nil
	return s.push(event{line: l, from: from, to: len(s.cur.buf), raw: true})
}

// pipeline runs the reader and the pool of workers of one file.
type pipeline struct {
	// ordered yields pieces in file order; wait on a piece's done before
	// reading its events.
	ordered <-chan *piece
	once    sync.Once
	readErr chan error
	workers sync.WaitGroup
	err     error
}

// startPipeline starts reading r with read and preparing records with
// prepare on GOMAXPROCS workers. Channels are bounded, so at most a few
// pieces per worker are in memory whatever the file's size. Cancelling ctx
// stops the reader; the caller must then drain nothing: wait does.
func startPipeline(ctx context.Context, r io.Reader, read readFunc, prepare func(*record)) *pipeline {
	n := runtime.GOMAXPROCS(0)
	ordered := make(chan *piece, 2*n+2)
	work := make(chan *piece, 2*n+2)
	p := &pipeline{ordered: ordered, readErr: make(chan error, 1)}
	for range n {
		p.workers.Add(1)
		go func() {
			defer p.workers.Done()
			for pc := range work {
				decodePiece(pc, prepare)
				close(pc.done)
			}
		}()
	}
	go func() {
		defer close(ordered)
		defer close(work)
		s := &sink{send: func(pc *piece) error {
			// ordered first: its bound holds the reader back when the writer lags.
			select {
			case ordered <- pc:
			case <-ctx.Done():
				return ctx.Err()
			}
			work <- pc // workers never stop before work is closed
			return nil
		}}
		err := read(r, s)
		if err == nil {
			err = s.flush()
		}
		p.readErr <- err
	}()
	return p
}

// decodePiece decodes a piece's raw lines and prepares its records.
func decodePiece(pc *piece, prepare func(*record)) {
	for i := range pc.events {
		e := &pc.events[i]
		if e.raw {
			l := e.line
			l.Data = pc.buf[e.from:e.to]
			*e = fromItem(l.Decode())
		}
		if e.rec != nil {
			prepare(e.rec)
		}
	}
	pc.buf = nil
}

// wait drains the pipeline and returns the reader's error. It may be
// called more than once.
func (p *pipeline) wait() error {
	p.once.Do(func() {
		for pc := range p.ordered {
			_ = pc
		}
		p.workers.Wait()
		p.err = <-p.readErr
	})
	return p.err
}
