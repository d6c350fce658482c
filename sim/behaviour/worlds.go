package behaviour

import (
	"embed"
	"fmt"
	"sort"
)

//go:embed worlds/*.yaml
var worldFiles embed.FS

// DefaultWorld is the name of the embedded model.yaml among the worlds.
const DefaultWorld = "default"

// Worlds are the names of the shipped behaviour models: the default, and a
// pessimistic and an optimistic world for sensitivity.
func Worlds() []string {
	names := []string{DefaultWorld}
	entries, _ := worldFiles.ReadDir("worlds")
	var more []string
	for _, e := range entries {
		more = append(more, e.Name()[:len(e.Name())-len(".yaml")])
	}
	sort.Strings(more)
	return append(names, more...)
}

// NamedParams returns a shipped world's parameters by name: its file
// overrides the defaults as a --model file would.
func NamedParams(name string) (Params, error) {
	if name == DefaultWorld {
		return DefaultParams(), nil
	}
	data, err := worldFiles.ReadFile("worlds/" + name + ".yaml")
	if err != nil {
		return Params{}, fmt.Errorf("behaviour model %q: not a shipped world (%v) nor a file", name, Worlds())
	}
	return ParseParams(name+".yaml", data)
}
