package rules

import (
	"regexp"
	"strings"
)

// replyVerb finds an instruction to answer by text with a number: "Reply 1",
// "text 2", "reply with 1", "Responda 1", "envíe un 2". Go's \b is ASCII-only,
// so the words are bounded by hand.
var replyVerb = regexp.MustCompile(`(?i)(^|[^\pL])(reply|respond|answer|text back|text|responda|responde|conteste|contesta|env[ií]e|escriba|mande)(\s+(?:with|with a|con|con un|con el|un|el)?\s*)(\d)`)

// keywordInstruction finds sentences that ask for a keyword — a
// carrier's, or a dose reminder's LATER (MAS TARDE) — which a keypad
// cannot send.
var keywordInstruction = regexp.MustCompile(`(?i)(^|[^\pL])(reply|text|send|responda|responde|env[ií]e|escriba|mande)\s+(stop|help|parar|alto|ayuda|start|unstop|later|m[aá]s\s+tarde)([^\pL]|$)`)

// Spoken adapts a text written for SMS to a call's keypad: "Reply 1 for
// yes" becomes "Press 1 for yes" ("Oprima 1" in Spanish), and sentences
// asking for a keyword such as STOP, which no keypad can send, are left
// out. A call that read "Reply 1" would leave a landline's owner with no
// way to answer.
func Spoken(text, lang string) string {
	press := "press"
	if strings.HasPrefix(strings.ToLower(lang), "es") {
		press = "oprima"
	}
	var out []string
	for _, s := range sentences(text) {
		if keywordInstruction.MatchString(s) {
			continue
		}
		out = append(out, replaceVerbs(s, press))
	}
	return strings.TrimSpace(strings.Join(out, ""))
}

// nounBefore are words after which "reply" is a noun ("your reply 1 day
// later"), not an instruction.
var nounBefore = regexp.MustCompile(`(?i)(^|[^\pL])(your|the|a|our|su|la|el|una)\s+$`)

// replaceVerbs turns each reply instruction of a sentence into press.
func replaceVerbs(s, press string) string {
	var b strings.Builder
	last := 0
	for _, loc := range replyVerb.FindAllStringSubmatchIndex(s, -1) {
		verbStart := loc[4]
		if nounBefore.MatchString(s[:verbStart]) {
			continue
		}
		verb := press
		if c := s[verbStart]; c >= 'A' && c <= 'Z' {
			verb = strings.ToUpper(press[:1]) + press[1:]
		}
		b.WriteString(s[last:verbStart])
		b.WriteString(verb + " " + s[loc[8]:loc[9]])
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// sentences splits text after '.', '!' and '?' followed by a space, keeping
// every character, so that joining them gives text back.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '.', '!', '?':
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\n') {
				j++
			}
			if j > i+1 || j == len(text) {
				out = append(out, text[start:j])
				start, i = j, j-1
			}
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}
