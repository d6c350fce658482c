package linkage

import (
	"cmp"
	"slices"
)

// Blocking key kinds; a key hashes its kind with its value so that, say, a
// phone and an identifier with the same digits do not share a block.
const (
	keySurnameYear byte = iota + 1
	keyPostalBirth
	keyPhone
	keyEmail
	keyIdentifier
	keyNames
	keyGivenPostal
	keyGivenBirth
	keyStreetPostal
)

// blockEntry says that record rec has blocking key key.
type blockEntry struct {
	key uint64
	rec uint32
}

// hashKey is FNV-1a over the kind and the parts, each part ended by a 0
// byte; written out to avoid an allocation per key. A collision only merges
// two blocks, adding candidates, never losing one.
func hashKey(kind byte, parts ...string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	h = (h ^ uint64(kind)) * prime
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h = (h ^ uint64(p[i])) * prime
		}
		h *= prime // the 0 separator
	}
	return h
}

// keys appends the blocking keys of one record.
func keys(dst []blockEntry, i uint32, r *prepared) []blockEntry {
	add := func(k uint64) { dst = append(dst, blockEntry{k, i}) }
	if r.famKey != "" && r.birth != "" {
		add(hashKey(keySurnameYear, r.famKey, r.birth[:4]))
	}
	if r.famKey != "" && r.givenKey != "" {
		// Order-free, so that swapped given and family names still meet.
		add(hashKey(keyNames, min(r.famKey, r.givenKey), max(r.famKey, r.givenKey)))
	}
	if r.givenKey != "" && r.birth != "" {
		add(hashKey(keyGivenBirth, r.givenKey, r.birth))
	}
	if r.postal != "" && r.birth != "" {
		add(hashKey(keyPostalBirth, r.postal, r.birth))
	}
	for _, id := range r.ids {
		add(hashKey(keyIdentifier, id))
	}
	if r.givenKey != "" && r.postal != "" {
		add(hashKey(keyGivenPostal, r.givenKey, r.postal))
	}
	if r.streetKey != "" && r.postal != "" {
		add(hashKey(keyStreetPostal, r.streetKey, r.postal))
	}
	if len(r.phone) >= 7 {
		add(hashKey(keyPhone, r.phone))
	}
	if r.email != "" {
		add(hashKey(keyEmail, r.email))
	}
	return dst
}

// pairIJ decodes a candidate pair: i in the high 32 bits, j in the low.
func pairIJ(c uint64) (i, j uint32) { return uint32(c >> 32), uint32(c) }

// candidates returns the sorted, distinct candidate pairs of all blocks,
// coded i<<32 | j with i < j (see [pairIJ]). When only is non-nil, a pair is kept only if one of its
// records is marked there; the blocks themselves are the same as in a full
// run, so the pairs are exactly the full run's pairs that touch a marked
// record.
func candidates(recs []prepared, cfg Config, only []bool) []uint64 {
	entries := make([]blockEntry, 0, len(recs)*3)
	for i := range recs {
		entries = keys(entries, uint32(i), &recs[i])
	}
	slices.SortFunc(entries, func(a, b blockEntry) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.rec, b.rec)
	})
	var pairs []uint64
	emit := func(i, j uint32) {
		if i == j || only != nil && !only[i] && !only[j] {
			return
		}
		if i > j {
			i, j = j, i
		}
		pairs = append(pairs, uint64(i)<<32|uint64(j))
	}
	block := make([]uint32, 0, cfg.MaxBlock)
	for s := 0; s < len(entries); {
		e := s + 1
		for e < len(entries) && entries[e].key == entries[s].key {
			e++
		}
		block = block[:0]
		for _, en := range entries[s:e] {
			if len(block) == 0 || block[len(block)-1] != en.rec { // a record may repeat a key
				block = append(block, en.rec)
			}
		}
		pairBlock(recs, block, cfg, emit)
		s = e
	}
	slices.Sort(pairs)
	return slices.Compact(pairs)
}

// pairBlock emits a block's pairs: all of them when it is small, else its
// sorted neighbourhood (see [Config.MaxBlock]).
func pairBlock(recs []prepared, block []uint32, cfg Config, emit func(i, j uint32)) {
	if len(block) <= cfg.MaxBlock {
		for x := range block {
			for y := x + 1; y < len(block); y++ {
				emit(block[x], block[y])
			}
		}
		return
	}
	slices.SortFunc(block, func(a, b uint32) int {
		ra, rb := &recs[a], &recs[b]
		return cmp.Or(cmp.Compare(ra.given, rb.given), cmp.Compare(ra.birth, rb.birth),
			cmp.Compare(ra.street, rb.street), cmp.Compare(a, b))
	})
	for x := range block {
		for y := x + 1; y < len(block) && y < x+cfg.Window; y++ {
			emit(block[x], block[y])
		}
	}
}
