package population

import (
	"strings"
	"testing"
)

func TestDefaultParamsValid(t *testing.T) {
	t.Parallel()
	p := DefaultParams()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestParamsYAMLRoundTrip(t *testing.T) {
	t.Parallel()
	data, err := DefaultParams().YAML()
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseParams("defaults.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	again, _ := p.YAML()
	if string(again) != string(data) {
		t.Errorf("round trip changed the parameters:\n%s\nvs\n%s", data, again)
	}
}

func TestParseParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		check      func(Params) bool
		err        string
	}{
		{"override keeps the rest", "rural_share: 0.5\ndirt:\n  duplicate: 0.1\n", func(p Params) bool {
			return p.RuralShare == 0.5 && p.Dirt.Duplicate == 0.1 && p.Dirt.EmailTypo == DefaultParams().Dirt.EmailTypo && len(p.Areas) > 0
		}, ""},
		{"group rates", "landline: {urban_younger: 0.1, urban_older: 0.2, rural_younger: 0.3, rural_older: 0.9}\n", func(p Params) bool {
			return p.Landline.For(true, true) == 0.9 && p.Landline.For(false, false) == 0.1
		}, ""},
		{"as of", "as_of: 2030-01-15\n", func(p Params) bool { return p.AsOf == "2030-01-15" }, ""},
		{"unknown field", "rural_shar: 0.5\n", nil, "rural_shar"},
		{"not a probability", "spanish_share: 1.5\n", nil, "spanish_share"},
		{"bad date", "as_of: yesterday\n", nil, "as_of"},
		{"aliases", "rural_share: &r 0.5\nspanish_share: *r\n", nil, "anchors and aliases are not allowed"},
		{"bad zone", "areas:\n  - {city: X, state: TX, time_zone: Mars/Base, area_codes: ['512'], zips: ['78701'], weight: 1}\n", nil, "time_zone"},
		{"no rural area", "areas:\n  - {city: X, state: TX, time_zone: America/Chicago, area_codes: ['512'], zips: ['78701'], weight: 1}\n", nil, "rural"},
		{"bad area code", "areas:\n  - {city: X, state: TX, rural: true, time_zone: America/Chicago, area_codes: ['555'], zips: ['78701'], weight: 1}\n  - {city: Y, state: TX, time_zone: America/Chicago, area_codes: ['512'], zips: ['78701'], weight: 1}\n", nil, "area code"},
		{"dirt over one", "dirt: {malformed_phone: 0.5, disconnected: 0.4, reassigned: 0.2}\n", nil, "exceed"},
		{"bad channel", "behaviour: {channels_older: [{value: fax, weight: 1}]}\n", nil, "fax"},
		{"bad dose time", "conditions:\n  - {key: x, snomed: '1', icd10: A, prevalence: [0.1, 0.1, 0.1], medications: [{rxnorm: '1', display: d, share: 1, dose_value: 1, times_of_day: ['8am']}]}\n", nil, "HH:MM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := ParseParams("p.yaml", []byte(tt.yaml))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(p) {
				t.Errorf("parsed %+v", p)
			}
		})
	}
}

func FuzzParseParams(f *testing.F) {
	f.Add([]byte("rural_share: 0.5\n"))
	f.Add([]byte("ages: [{min: 18, max: 30, weight: 1}]\n"))
	f.Add([]byte("areas: []\n"))
	f.Add([]byte("dirt: {duplicate: 1, duplicate_name_typo: 0, duplicate_birth_date_swap: 0}\n"))
	f.Add([]byte("visits: {window_days: 30, recent_days: 30, base: 0, per_condition: 0}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseParams("fuzz.yaml", data)
		if err != nil {
			return
		}
		// Whatever validates must generate without panicking.
		g, err := NewGenerator(1, p)
		if err != nil {
			t.Fatalf("validated params rejected by NewGenerator: %v", err)
		}
		for i := range 3 {
			person := g.Person(i, true)
			for k := range person.Records {
				g.appendPatient(nil, person, &person.Records[k])
			}
		}
	})
}
