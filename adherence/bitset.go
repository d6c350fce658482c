package adherence

import "math/bits"

// bitset is one bit per day of a measurement period. A patient's year is six
// words, so marking a 90-day supply is a couple of word writes, not 90.
type bitset []uint64

// reset returns a cleared bitset of at least n bits, reusing b's storage.
func (b bitset) reset(n int) bitset {
	w := (n + 63) / 64
	if cap(b) < w {
		return make(bitset, w)
	}
	b = b[:w]
	clear(b)
	return b
}

func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }

// setRange sets bits lo through hi, both included; it does nothing when hi < lo.
func (b bitset) setRange(lo, hi int) {
	if hi < lo {
		return
	}
	lw, hw := lo/64, hi/64
	lmask := ^uint64(0) << (lo % 64)
	hmask := ^uint64(0) >> (63 - hi%64)
	if lw == hw {
		b[lw] |= lmask & hmask
		return
	}
	b[lw] |= lmask
	for w := lw + 1; w < hw; w++ {
		b[w] = ^uint64(0)
	}
	b[hw] |= hmask
}

// count returns the number of bits set.
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}
