package journey

import (
	"strings"

	"github.com/rapporthq/rapport/messaging/rules"
)

// isRefusal reports whether free text refuses the offer: it opens with a
// "no" in words ("no thanks, I'm fine", "nope", "no puedo"), or gives a
// reason to decline ("too expensive") without asking. A question or any
// other remark is not a refusal: staff read it and the journey keeps
// waiting.
func isRefusal(text string) bool {
	if rules.OpensWithNo(text) {
		return true
	}
	if strings.ContainsAny(text, "?¿") {
		return false // "who is this?" asks; it does not refuse
	}
	return ClassifyReason(text, 0) != ReasonOther
}
