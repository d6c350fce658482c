package journey

import "testing"

func TestIsRefusal(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"No thanks", true},
		{"no, es muy caro", true},
		{"Nope", true},
		{"not interested", true},
		{"I don't want it", true},
		{"I'm not interested in that", true},
		{"I can't afford it", true},
		{"too expensive for me", true}, // a reason is a refusal
		{"No puedo, trabajo todo el día", true},
		{"nunca", true},
		{"Who is this?", false},
		{"¿de dónde sacaron mi número?", false},
		{"maybe, tell me more", false},
		{"what is this about", false},
		{"Call me tomorrow", false},
		{"Nothing", false}, // "nothing" is not "no"
		{"Nora here, can you call me", false},
		{"", false},
	} {
		if got := isRefusal(tc.text); got != tc.want {
			t.Errorf("isRefusal(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
