package linkage

import (
	"cmp"
	"slices"
)

// Groups joins pairs at or above minProbability into groups of records
// that are probably one person (connected components: if a~b and b~c then
// a, b and c are one group, even when a and c differ too much to pair on
// their own — as two typo-laden copies of one original do). Each group
// lists its ids sorted; groups are sorted by their first id.
func Groups(pairs []Pair, minProbability float64) [][]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for _, p := range pairs {
		if p.Probability < minProbability {
			continue
		}
		ra, rb := find(p.A), find(p.B)
		parent[p.A], parent[p.B] = ra, rb
		if ra != rb {
			// The smaller id is the root: the result cannot depend on order.
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	byRoot := map[string][]string{}
	for id := range parent {
		r := find(id)
		byRoot[r] = append(byRoot[r], id)
	}
	groups := make([][]string, 0, len(byRoot))
	for _, g := range byRoot {
		slices.Sort(g)
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b []string) int { return cmp.Compare(a[0], b[0]) })
	return groups
}
