package journey

import (
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
)

// Answer is what a reply says to the message it answers, read before any
// branch is taken: a yes, a no (perhaps with its reason, perhaps in
// words), a question, or other words. Only a yes may count as engagement
// on its own; the rest never does.
type Answer string

const (
	AnswerYes      Answer = "yes"
	AnswerNo       Answer = "no"
	AnswerRefusal  Answer = "refusal" // a no in words, perhaps with its reason
	AnswerQuestion Answer = "question"
	AnswerOther    Answer = "other"
	AnswerChoice   Answer = "choice" // a number from the message's choices
)

// ClassifyAnswer reads a reply as an [Answer]. A question that doubts who
// is writing, asked without a question mark ("how did you get my number",
// "is this a scam"), is a refusal with the reason distrust_privacy, not a
// request for information: staff still read it, but the patient said no.
func ClassifyAnswer(in *rapport.Inbound) Answer {
	switch {
	case in.Intent == "yes":
		return AnswerYes
	case in.Intent == "no":
		return AnswerNo
	case in.Intent == "question":
		if !hasQuestionMark(in.Body) && ClassifyReason(in.Body, 0) == ReasonDistrust {
			return AnswerRefusal
		}
		return AnswerQuestion
	case in.Intent == "free_text":
		if isRefusal(in.Body) {
			return AnswerRefusal
		}
		return AnswerOther
	case in.Choice > 0:
		return AnswerChoice
	}
	return AnswerOther
}

// isRefusal reports whether free text refuses the offer: it opens with a
// "no" in words ("no thanks, I'm fine", "nope", "no puedo"), or gives a
// reason to decline ("too expensive") without asking. A question or any
// other remark is not a refusal: staff read it and the journey keeps
// waiting.
func isRefusal(text string) bool {
	if rules.OpensWithNo(text) {
		return true
	}
	if hasQuestionMark(text) {
		return false // "who is this?" asks; it does not refuse
	}
	return ClassifyReason(text, 0) != ReasonOther
}

func hasQuestionMark(text string) bool { return strings.ContainsAny(text, "?¿？") }
