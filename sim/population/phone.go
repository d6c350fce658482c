package population

import (
	"math/rand/v2"
	"sync"

	"github.com/rapporthq/rapport/verify"
)

var exchanges sync.Map // area code → []uint16 of valid exchanges (200-999)

// validExchanges returns the exchanges (central office codes) of areaCode
// that numbering plans accept, so that every clean generated number passes
// [verify.Phone]. A few area codes are split finely (505 in New Mexico
// rejects some exchanges), so each is probed once, then cached. N11 codes
// and 555 are left out: they are not given to subscribers.
func validExchanges(areaCode string) []uint16 {
	if v, ok := exchanges.Load(areaCode); ok {
		return v.([]uint16)
	}
	var out []uint16
	if len(areaCode) == 3 && allDigits(areaCode) {
		buf := []byte("+1" + areaCode + "0000000")
		for ex := 200; ex <= 999; ex++ {
			if ex%100 == 11 || ex == 555 {
				continue
			}
			buf[5], buf[6], buf[7] = byte('0'+ex/100), byte('0'+ex/10%10), byte('0'+ex%10)
			ok := true
			for _, line := range []string{"0123", "4567", "9876"} {
				copy(buf[8:], line)
				if !verify.Phone(string(buf), "US").Valid {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, uint16(ex))
			}
		}
	}
	exchanges.Store(areaCode, out)
	return out
}

// phoneNumber is a NANP number as ten digits.
type phoneNumber [10]byte

func drawNumber(r *rand.Rand, areaCodes []string) phoneNumber {
	ac := areaCodes[r.IntN(len(areaCodes))]
	exs := validExchanges(ac)
	ex := exs[r.IntN(len(exs))]
	line := r.IntN(10000)
	var n phoneNumber
	copy(n[:3], ac)
	n[3], n[4], n[5] = byte('0'+ex/100), byte('0'+ex/10%10), byte('0'+ex%10)
	n[6], n[7], n[8], n[9] = byte('0'+line/1000), byte('0'+line/100%10), byte('0'+line/10%10), byte('0'+line%10)
	return n
}

// E164 returns +1 and the ten digits.
func (n phoneNumber) E164() string { return "+1" + string(n[:]) }

// format writes the number as a CRM clerk might have typed it.
func (n phoneNumber) format(style int) string {
	d := n[:]
	switch style {
	case 0:
		return "(" + string(d[:3]) + ") " + string(d[3:6]) + "-" + string(d[6:])
	case 1:
		return string(d[:3]) + "-" + string(d[3:6]) + "-" + string(d[6:])
	case 2:
		return string(d[:3]) + "." + string(d[3:6]) + "." + string(d[6:])
	case 3:
		return string(d)
	case 4:
		return "+1 " + string(d[:3]) + " " + string(d[3:6]) + " " + string(d[6:])
	default:
		return "1-" + string(d[:3]) + "-" + string(d[3:6]) + "-" + string(d[6:])
	}
}

const phoneStyles = 6

// malformed spoils a number so that numbering plans reject it: a digit
// dropped, or a digit typed as a letter (a lone letter is ignored by phone
// parsers, which leaves nine digits), or the line number cut short.
func malformed(r *rand.Rand, n phoneNumber, style int) string {
	s := []byte(n.format(style))
	digits := make([]int, 0, 11)
	for i, c := range s {
		if c >= '0' && c <= '9' {
			digits = append(digits, i)
		}
	}
	// Spoil one of the last ten digits (not a leading country code 1).
	at := digits[len(digits)-10+r.IntN(10)]
	switch r.IntN(3) {
	case 0:
		return string(append(s[:at:at], s[at+1:]...))
	case 1:
		letters := "OIlSB"
		s[at] = letters[r.IntN(len(letters))]
		return string(s)
	default:
		return string(s[:len(s)-1-r.IntN(2)])
	}
}
