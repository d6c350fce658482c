package journey

import (
	"testing"

	"github.com/rapporthq/rapport"
)

func TestReplyReason(t *testing.T) {
	t.Parallel()
	offer := &rapport.Message{Choices: map[string]string{"1": "yes", "2": "no"}}
	why := &rapport.Message{Choices: map[string]string{"1": "cost", "2": "no_need", "3": "distrust_privacy", "4": "no_internet_device", "5": "no_time"}}
	tests := []struct {
		name   string
		in     rapport.Inbound
		to     *rapport.Message
		reason Reason
	}{
		{"an offer's 2 is a plain no, not reason 2", rapport.Inbound{Body: "2", Intent: "choice", Choice: 2}, offer, ""},
		{"a bare no gives no reason", rapport.Inbound{Body: "No", Intent: "no"}, offer, ""},
		{"a bare yes gives no reason", rapport.Inbound{Body: "sí", Intent: "yes"}, why, ""},
		{"numbered reason", rapport.Inbound{Body: "1", Intent: "choice", Choice: 1}, why, ReasonCost},
		{"keypad reason", rapport.Inbound{Body: "4", Intent: "choice", Choice: 4}, why, ReasonNoInternet},
		{"numbered reason without labels", rapport.Inbound{Body: "5", Intent: "choice", Choice: 5}, &rapport.Message{}, ReasonNoTime},
		{"words in Spanish", rapport.Inbound{Body: "no, es muy caro", Intent: "free_text"}, offer, ReasonCost},
		{"words in English", rapport.Inbound{Body: "No thanks, I don't have internet at home", Intent: "free_text"}, offer, ReasonNoInternet},
		{"words without a known reason", rapport.Inbound{Body: "my cousin told me not to", Intent: "free_text"}, offer, ReasonOther},
		{"no message", rapport.Inbound{Body: "too busy at work", Intent: "free_text"}, nil, ReasonNoTime},
	}
	for _, tc := range tests {
		if got := replyReason(&tc.in, tc.to); got != tc.reason {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.reason)
		}
	}
}

func TestFillVars(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"text": "new number 512 555 0134", "reply": "free_text"}
	tests := []struct{ in, want string }{
		{"Reply: {text}", "Reply: new number 512 555 0134"},
		{"No placeholders", "No placeholders"},
		{"{unknown} stays", "{unknown} stays"},
		{"{reply}/{text}", "free_text/new number 512 555 0134"},
	}
	for _, tc := range tests {
		if got := fillVars(tc.in, vars); got != tc.want {
			t.Errorf("fillVars(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
