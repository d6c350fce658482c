package population

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// JSON is built by appending to a byte slice: encoding/json's reflection
// costs several times more than the rest of the generation (see
// BenchmarkGeneratePatients).

const hexDigits = "0123456789abcdef"

// appendStr appends s as a JSON string.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendKey appends "key": (the key must need no escaping).
func appendKey(b []byte, key string) []byte {
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// appendField appends ,"key":"value" (or without the comma when first).
func appendField(b []byte, first bool, key, value string) []byte {
	if !first {
		b = append(b, ',')
	}
	return appendStr(appendKey(b, key), value)
}

// appendRef appends {"reference":"Type/id"}.
func appendRef(b []byte, typ, id string) []byte {
	b = append(b, `{"reference":"`...)
	b = append(b, typ...)
	b = append(b, '/')
	b = append(b, id...)
	return append(b, `"}`...)
}

// appendDateTime appends a FHIR dateTime with its UTC offset, in quotes.
func appendDateTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339)
	return append(b, '"')
}

// appendFloat appends a JSON number, shortest form.
func appendFloat(b []byte, f float64) []byte {
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendCoding appends {"system":…,"code":…,"display":…}.
func appendCoding(b []byte, system, code, display string) []byte {
	b = appendField(append(b, '{'), true, "system", system)
	b = appendField(b, false, "code", code)
	if display != "" {
		b = appendField(b, false, "display", display)
	}
	return append(b, '}')
}
