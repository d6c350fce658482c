package zones

import (
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		wantErr bool
	}{
		{"America/Chicago", false},
		{"UTC", false},
		{"", false}, // UTC, as time.LoadLocation says
		{"Mars/Olympus_Mons", true},
		{"../etc/passwd", true},
	}
	for _, tt := range tests {
		for range 2 { // the second call comes from the cache
			got, err := Load(tt.name)
			want, wantErr := time.LoadLocation(tt.name)
			if (err != nil) != tt.wantErr || (wantErr != nil) != tt.wantErr {
				t.Fatalf("Load(%q): error %v, time.LoadLocation's %v, want an error: %v", tt.name, err, wantErr, tt.wantErr)
			}
			if err == nil && got.String() != want.String() {
				t.Errorf("Load(%q) = %v, want %v", tt.name, got, want)
			}
		}
	}
	// A cached zone is the same value, not a new parse.
	a, _ := Load("Europe/Paris")
	b, _ := Load("Europe/Paris")
	if a != b {
		t.Error("a second Load of a zone parsed it again")
	}
}
