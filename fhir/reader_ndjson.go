package fhir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxLine is the longest NDJSON line [ReadNDJSON] reads; a longer line is
// reported as an item error and skipped.
const MaxLine = 64 << 20

// ReadNDJSON reads FHIR Bulk Data NDJSON from r, one resource per line, and
// calls fn with each resource as an [Item], in file order. name names the
// file in items and errors. Blank lines are skipped. Memory stays bounded by
// the longest line.
//
// A line that is not valid JSON, not a FHIR resource, or cannot be mapped is
// passed to fn with Item.Err set to an [*ItemError]; reading goes on unless
// fn returns an error. ReadNDJSON returns fn's first error unchanged, or a
// wrapped I/O error; nil at the end of r.
func ReadNDJSON(r io.Reader, name string, fn func(Item) error) error {
	res := &resolver{}
	return ReadNDJSONLines(r, name, func(l Line) error { return fn(l.decode(res)) })
}

// Line is one non-blank line of an NDJSON file, not yet decoded: readers
// that decode on several goroutines take lines in file order with
// [ReadNDJSONLines] and decode them anywhere with [Line.Decode].
type Line struct {
	Name string // the file name
	No   int    // 1-based line number
	// Data is the line, trimmed; [ReadNDJSONLines] reuses its memory after
	// the callback returns.
	Data []byte
	// TooLong is set for a line past [MaxLine], whose data is dropped.
	TooLong bool
}

// Decode maps the line as [ReadNDJSON] does. Lines of one file do not refer
// to one another, so lines decode independently, in any order.
func (l Line) Decode() Item { return l.decode(&resolver{}) }

func (l Line) decode(res *resolver) Item {
	if l.TooLong {
		return Item{Name: l.Name, Line: l.No, Err: &ItemError{Name: l.Name, Line: l.No, Msg: fmt.Sprintf("line longer than %d bytes", maxLine)}}
	}
	item := readResource(l.Data, res)
	item.Name, item.Line = l.Name, l.No
	if item.Err != nil {
		item.Record, item.Err = nil, itemError(l.Name, l.No, 0, item.ResourceType, item.ID, item.Err)
	}
	return item
}

// ReadNDJSONLines reads r as [ReadNDJSON] does but hands fn each non-blank
// line undecoded. It returns fn's first error unchanged, or a wrapped I/O
// error; nil at the end of r.
func ReadNDJSONLines(r io.Reader, name string, fn func(Line) error) error {
	lr := lineReader{r: bufio.NewReaderSize(r, 256<<10)}
	for line := 1; ; line++ {
		data, tooLong, err := lr.next()
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read %s line %d: %w", name, line, err)
		}
		eof := err != nil
		if line == 1 {
			data = bytes.TrimPrefix(data, utf8BOM)
		}
		data = bytes.TrimSpace(data)
		if !tooLong && len(data) == 0 {
			if eof {
				return nil
			}
			continue
		}
		if err := fn(Line{Name: name, No: line, Data: data, TooLong: tooLong}); err != nil {
			return err
		}
		if eof {
			return nil
		}
	}
}

var utf8BOM = []byte("\xef\xbb\xbf")

// maxLine is MaxLine; tests lower it.
var maxLine = MaxLine

// readResource maps one NDJSON line. Item.Err, when set, is a *fieldError.
func readResource(data []byte, res *resolver) Item {
	typ, err := resourceTypeOf(data)
	if err != nil {
		return Item{Err: err}
	}
	id, rec, subject, err := mapResource(typ, data, res)
	return Item{ResourceType: typ, ID: id, Record: rec, Subject: subject, Err: err}
}

// resourceTypeOf returns the resourceType of the JSON object in data. Most
// exporters write it first, which is read without decoding the line; other
// lines are decoded once for it.
func resourceTypeOf(data []byte) (string, error) {
	const prefix = `{"resourceType":"`
	if rest, ok := bytes.CutPrefix(data, []byte(prefix)); ok {
		if i := bytes.IndexByte(rest, '"'); i > 0 && isTypeName(string(rest[:i])) {
			return string(rest[:i]), nil
		}
	}
	var h header
	if err := json.Unmarshal(data, &h); err != nil {
		return "", jsonError(err)
	}
	if h.ResourceType == "" {
		return "", errField("resourceType", "missing: not a FHIR resource")
	}
	if !isTypeName(h.ResourceType) {
		return "", errField("resourceType", "%q is not a FHIR resource type", h.ResourceType)
	}
	return h.ResourceType, nil
}

// lineReader returns lines of any length up to MaxLine, reusing its buffer.
type lineReader struct {
	r   *bufio.Reader
	buf []byte
}

// next returns the next line without its newline; the slice is valid until
// the following call. tooLong reports a line past MaxLine, whose content is
// dropped. err is io.EOF with the last (unterminated) line, if any.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > maxLine+2 {
				tooLong, lr.buf = true, lr.buf[:0]
			} else if err == nil && len(lr.buf) == 0 {
				return chunk, false, nil // the common case: no copy
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return lr.buf, tooLong, err
	}
}
