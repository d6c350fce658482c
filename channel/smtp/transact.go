package smtp

import (
	"bytes"
	"errors"
	"fmt"
	"net/textproto"
	"strconv"
	"time"

	gosmtp "github.com/wneessen/go-mail/smtp"
)

// stage is the SMTP command a reply answered.
type stage int

const (
	stageMail stage = iota
	stageRcpt
	stageData // the DATA command itself (354 expected)
	stageBody // the end of the message data (250 expected)
)

func (s stage) String() string {
	return [...]string{"MAIL FROM", "RCPT TO", "DATA", "end of data"}[s]
}

// txError is a failed mail transaction: the command that failed, the
// server's reply (nil when none came: the connection broke), and whether
// the connection is still in a known state, every pipelined reply read.
type txError struct {
	stage stage
	err   error
	clean bool
	// sent: the whole message went out and no reply came back (a timeout
	// or a broken connection after the end of data), so the server may
	// have taken it.
	sent bool
}

func (e *txError) Error() string { return fmt.Sprintf("smtp %s: %v", e.stage, e.err) }
func (e *txError) Unwrap() error { return e.err }

// code is the reply code, 0 when no reply came.
func (e *txError) code() int {
	var tp *textproto.Error
	if errors.As(e.err, &tp) {
		return tp.Code
	}
	return 0
}

// session is what one open connection knows of its server.
type session struct {
	c          *gosmtp.Client
	pipelining bool // RFC 2920: MAIL, RCPT and DATA go in one write
	chunking   bool // RFC 3030: the message may go as a BDAT chunk
	eightBit   bool // RFC 6152 (8BITMIME): bodies may go as 8bit, unencoded
	smtputf8   bool
	raw        bytes.Buffer // reused: the message as go-mail writes it
	data       []byte       // reused: the message as it goes on the wire
}

func newSession(c *gosmtp.Client) *session {
	s := &session{c: c}
	s.pipelining, _ = c.Extension("PIPELINING")
	s.chunking, _ = c.Extension("CHUNKING")
	s.eightBit, _ = c.Extension("8BITMIME")
	s.smtputf8, _ = c.Extension("SMTPUTF8")
	return s
}

// transact sends one message (raw: the whole message, not yet dot-stuffed)
// from one sender to one recipient, both "<address>"; eightBit says its
// body has 8bit parts, announced with BODY=8BITMIME. With PIPELINING the
// client writes MAIL, RCPT and DATA at once and the message in a second
// write: two round trips instead of four, the fewest RFC 2920 allows (the
// message must wait for the 354). Every reply is read before returning,
// so that on a failure the connection is left in a known state when it
// can be.
func (s *session) transact(from, to string, raw []byte, eightBit bool, timeout time.Duration) error {
	if err := s.c.UpdateDeadline(timeout); err != nil {
		return &txError{stage: stageMail, err: err}
	}
	params := ""
	if eightBit {
		params = " BODY=8BITMIME"
	}
	if s.smtputf8 && (!isASCII(from) || !isASCII(to)) {
		params += " SMTPUTF8"
	}
	if s.pipelining && s.chunking {
		return s.transactChunked("MAIL FROM:"+from+params, "RCPT TO:"+to, raw)
	}
	cmds := [...]string{"MAIL FROM:" + from + params, "RCPT TO:" + to, "DATA"}
	codes := [...]int{250, 25, 354}
	w := s.c.Text.W
	var first *txError
	if s.pipelining {
		for _, c := range cmds {
			w.WriteString(c)
			w.WriteString("\r\n")
		}
		if err := w.Flush(); err != nil {
			return &txError{stage: stageMail, err: err}
		}
		dataOK := false
		for i := range cmds {
			_, _, err := s.c.Text.ReadResponse(codes[i])
			if err == nil {
				dataOK = stage(i) == stageData
				continue
			}
			var tp *textproto.Error
			if !errors.As(err, &tp) {
				return &txError{stage: stage(i), err: err} // broken connection
			}
			if first == nil {
				first = &txError{stage: stage(i), err: err}
			}
		}
		if first != nil {
			// A conforming server refuses DATA after a failed MAIL or RCPT
			// (RFC 2920 §3.1); one that accepted it waits for a message, and
			// the connection is given up rather than fed one.
			first.clean = !dataOK
			return first
		}
	} else {
		for i, c := range cmds {
			w.WriteString(c)
			w.WriteString("\r\n")
			if err := w.Flush(); err != nil {
				return &txError{stage: stage(i), err: err}
			}
			if _, _, err := s.c.Text.ReadResponse(codes[i]); err != nil {
				var tp *textproto.Error
				return &txError{stage: stage(i), err: err, clean: errors.As(err, &tp)}
			}
		}
	}
	s.data = appendDotStuffed(s.data[:0], raw)
	if _, err := w.Write(s.data); err != nil {
		return &txError{stage: stageBody, err: err}
	}
	if err := w.Flush(); err != nil {
		return &txError{stage: stageBody, err: err}
	}
	if _, _, err := s.c.Text.ReadResponse(250); err != nil {
		var tp *textproto.Error
		replied := errors.As(err, &tp)
		return &txError{stage: stageBody, err: err, clean: replied, sent: !replied}
	}
	return nil
}

// transactChunked sends MAIL, RCPT and the whole message as one BDAT LAST
// chunk (RFC 3030) in a single write, then reads the three replies: one
// round trip, and neither side dot-stuffs the message or scans it line by
// line. A server that refuses MAIL or RCPT still reads the chunk and
// refuses it too (RFC 3030 §2), so every failure leaves the connection in
// a known state unless it broke.
func (s *session) transactChunked(mail, rcpt string, raw []byte) error {
	// Commands and chunk are laid out in one buffer, so that they leave in
	// one write.
	d := append(s.data[:0], mail...)
	d = append(d, "\r\n"...)
	d = append(d, rcpt...)
	d = append(d, "\r\nBDAT "...)
	d = strconv.AppendInt(d, int64(crlfLen(raw)), 10)
	d = append(d, " LAST\r\n"...)
	d = appendCRLF(d, raw)
	s.data = d
	w := s.c.Text.W
	w.Write(d)
	if err := w.Flush(); err != nil {
		return &txError{stage: stageMail, err: err}
	}
	var first *txError
	for i, st := range [...]stage{stageMail, stageRcpt, stageBody} {
		_, _, err := s.c.Text.ReadResponse([...]int{250, 25, 250}[i])
		if err == nil {
			continue
		}
		var tp *textproto.Error
		if !errors.As(err, &tp) {
			// A broken connection. Once MAIL and RCPT were answered
			// without a refusal the server had the whole chunk.
			return &txError{stage: st, err: err, sent: st == stageBody && first == nil}
		}
		if first == nil {
			first = &txError{stage: st, err: err, clean: true}
		}
	}
	if first != nil {
		return first
	}
	return nil
}

// crlfLen is the length of msg once appendCRLF has made every bare LF
// a CRLF.
func crlfLen(msg []byte) int {
	return len(msg) + bytes.Count(msg, []byte{'\n'}) - bytes.Count(msg, []byte("\r\n"))
}

// appendCRLF appends msg with every line ending as CRLF, the canonical
// form a BDAT chunk carries (a bare LF becomes CRLF; nothing is stuffed).
func appendCRLF(dst, msg []byte) []byte {
	dst, _ = appendLines(dst, msg, false)
	return dst
}

// appendDotStuffed appends msg to dst as SMTP DATA content (RFC 5321
// §4.5.2): CRLF line endings (a bare LF becomes CRLF), a dot doubled at
// the start of a line, and the final "." line.
func appendDotStuffed(dst, msg []byte) []byte {
	dst, open := appendLines(dst, msg, true)
	if open {
		dst = append(dst, '\r', '\n')
	}
	return append(dst, '.', '\r', '\n')
}

// appendLines appends msg with every line ending as CRLF and, when stuff
// is set, a dot doubled at the start of each line. open reports that msg
// ended inside a line (no final LF).
func appendLines(dst, msg []byte, stuff bool) (out []byte, open bool) {
	for len(msg) > 0 {
		if stuff && msg[0] == '.' {
			dst = append(dst, '.')
		}
		i := bytes.IndexByte(msg, '\n')
		if i < 0 {
			return append(dst, msg...), true
		}
		if i > 0 && msg[i-1] == '\r' {
			dst = append(dst, msg[:i+1]...)
		} else {
			dst = append(dst, msg[:i]...)
			dst = append(dst, '\r', '\n')
		}
		msg = msg[i+1:]
	}
	return dst, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
