package ruca

import "testing"

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		zip   string
		ok    bool
		state string
		code  Code
		rural bool
	}{
		{"00501", true, "NY", 1, false},       // IRS Holtsville: a metro PO box ZIP
		{"99929", true, "AK", 10, true},       // Wrangell, Alaska
		{"99928-1234", true, "AK", 4, true},   // ZIP+4 form
		{" 999291234 ", true, "AK", 10, true}, // nine digits, spaces around
		{"10001", true, "NY", 1, false},       // Manhattan
		{"8750", false, "", 0, false},
		{"ABCDE", false, "", 0, false},
		{"99999", false, "", 0, false}, // not listed
		{"00012", false, "", 0, false}, // RUCA's number for an area without a ZIP
		{"", false, "", 0, false},
	}
	for _, tt := range tests {
		e, ok := Lookup(tt.zip)
		if ok != tt.ok || e.State != tt.state || e.Code != tt.code || e.Code.Rural() != tt.rural {
			t.Errorf("Lookup(%q) = %+v, %v (rural %v); want %s %d, %v (rural %v)", tt.zip, e, ok, e.Code.Rural(), tt.state, tt.code, tt.ok, tt.rural)
		}
	}
}

func TestTableComplete(t *testing.T) {
	t.Parallel()
	n, coded := 0, 0
	for _, e := range load().byZIP {
		if e.state[0] != 0 {
			n++
			if e.code != 0 {
				coded++
			}
		}
	}
	if n != 41048 || coded != 41048-20 {
		t.Errorf("table has %d ZIPs, %d coded; want 41048 and 41028 (the file's rows from 00501 on, 20 marked 99)", n, coded)
	}
}

func TestStatesForPrefix(t *testing.T) {
	t.Parallel()
	if got := StatesForPrefix("87501"); len(got) != 1 || got[0] != "NM" {
		t.Errorf("StatesForPrefix(87501) = %v, want [NM]", got)
	}
	if got := StatesForPrefix("x"); got != nil {
		t.Errorf("StatesForPrefix(x) = %v, want nil", got)
	}
}

func TestCodeRural(t *testing.T) {
	t.Parallel()
	for c := Code(0); c <= 11; c++ {
		want := c >= 4 && c <= 10
		if c.Rural() != want {
			t.Errorf("Code(%d).Rural() = %v, want %v", c, c.Rural(), want)
		}
	}
}
