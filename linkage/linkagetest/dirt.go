package linkagetest

import (
	"math/rand/v2"

	"github.com/rapporthq/rapport/linkage"
)

// Dirty returns a copy of r with one to three of the slips that create
// duplicate records: a transposed or dropped letter in a name, day and
// month swapped, a missing phone or email, a new street spelling.
func Dirty(rng *rand.Rand, r linkage.Record) linkage.Record {
	d := r
	for range 1 + rng.IntN(3) {
		switch rng.IntN(7) {
		case 0:
			d.Family = Transpose(rng, d.Family)
		case 1:
			d.Given = Transpose(rng, d.Given)
		case 2:
			if b := d.BirthDate; len(b) == 10 {
				d.BirthDate = b[:5] + b[8:10] + "-" + b[5:7]
			}
		case 3:
			d.Phone = ""
		case 4:
			d.Email = ""
		case 5:
			d.Family = drop(rng, d.Family)
		case 6:
			d.Street = drop(rng, d.Street)
		}
	}
	return d
}

// Transpose swaps two neighbouring letters of s.
func Transpose(rng *rand.Rand, s string) string {
	if len(s) < 2 {
		return s
	}
	b := []byte(s)
	i := rng.IntN(len(b) - 1)
	b[i], b[i+1] = b[i+1], b[i]
	return string(b)
}

func drop(rng *rand.Rand, s string) string {
	if len(s) < 4 {
		return s
	}
	i := 1 + rng.IntN(len(s)-1)
	return s[:i] + s[i+1:]
}
