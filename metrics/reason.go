package metrics

import (
	"fmt"
	"strings"
	"unicode"
)

// reasonLabels are the decline reasons' names for people.
var reasonLabels = map[string]string{
	"cost":               "cost",
	"no_need":            "no need",
	"distrust_privacy":   "distrust or privacy",
	"no_internet_device": "no internet or device",
	"no_time":            "no time",
	"other":              "another reason",
	"unstated":           "no reason given",
}

// ReasonLabel is a decline reason as a manager reads it: "distrust or
// privacy" for distrust_privacy; a reason not listed has its underscores
// turned to spaces.
func ReasonLabel(reason string) string {
	if l, ok := reasonLabels[reason]; ok {
		return l
	}
	if reason == "" {
		return reasonLabels["unstated"]
	}
	return strings.ReplaceAll(reason, "_", " ")
}

// example is a verbatim as people read it: the patient's words quoted,
// or, for a bare number (a keypad press or a numbered choice, which
// classified the reason), the option it chose.
func example(reason, verbatim string) string {
	v := strings.Join(strings.Fields(verbatim), " ")
	if isKeypad(v) {
		return fmt.Sprintf("chose “%s” (answered %s)", ReasonLabel(reason), v)
	}
	return "“" + v + "”"
}

// isKeypad reports whether s is only keys of a phone's keypad.
func isKeypad(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '*' || c == '#') {
			return false
		}
	}
	return true
}

// sameWords is the key under which two verbatims are the same example.
func sameWords(v string) string {
	return strings.ToLower(strings.Join(strings.Fields(v), " "))
}

// Printable escapes what a terminal would act on (control characters,
// escape sequences) in a patient's words quoted by a report.
func Printable(s string) string {
	var b strings.Builder
	for _, c := range s {
		if unicode.IsPrint(c) {
			b.WriteRune(c)
		} else {
			fmt.Fprintf(&b, "\\x%02x", c)
		}
	}
	return b.String()
}
