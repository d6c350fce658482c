package selfreport

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// itemKind is a lexical class of a reading's text.
type itemKind int

const (
	iNum   itemKind = iota
	iOver           // "/", "over", "sobre"
	iHint           // a word naming a kind or a unit
	iOther          // any other word
)

type item struct {
	kind itemKind
	num  float64
	frac bool // the number had a decimal part
	hint hint
}

// hint is what a keyword or unit says about a reading.
type hint int

const (
	hBP hint = iota + 1
	hGlucose
	hWeight
	hPulse
	hMmHg
	hMgDL
	hMg // "mg" alone: a glucose unit only after a glucose word ("500 mg" is a dose)
	hMmol
	hLb
	hKg
)

// readingWords maps folded words and phrases to hints; unitPatterns glue
// units written with a slash or space ("mg/dL", "mmol / l", "mm Hg") into
// one word first, so their slash is not read as a blood pressure's.
var readingWords = map[string]hint{
	"bp": hBP, "blood pressure": hBP, "pressure": hBP, "presion": hBP, "presion arterial": hBP, "tension": hBP,
	"tension arterial": hBP, "ta": hBP, "pa": hBP,
	"glucose": hGlucose, "gluc": hGlucose, "sugar": hGlucose, "blood sugar": hGlucose, "bs": hGlucose, "bg": hGlucose,
	"fbs": hGlucose, "glucosa": hGlucose, "azucar": hGlucose, "nivel de azucar": hGlucose, "sugar level": hGlucose,
	"weight": hWeight, "wt": hWeight, "weigh": hWeight, "weighed": hWeight, "peso": hWeight, "pesa": hWeight,
	"pese": hWeight, "pesaba": hWeight,
	"p": hPulse, "pulse": hPulse, "hr": hPulse, "heart rate": hPulse, "pulso": hPulse, "bpm": hPulse, "ppm": hPulse,
	"lpm": hPulse, "frecuencia cardiaca": hPulse, "fc": hPulse,
	"mmhg": hMmHg, "mgdl": hMgDL, "mg": hMg, "mmol": hMmol, "mmoll": hMmol,
	"lb": hLb, "lbs": hLb, "pound": hLb, "pounds": hLb, "libra": hLb, "libras": hLb,
	"kg": hKg, "kgs": hKg, "kilo": hKg, "kilos": hKg, "kilogramos": hKg, "kilograms": hKg,
}

var readingMaxPhrase = 3

var unitPatterns = strings.NewReplacer("b.p.", " bp ", "b.p", " bp ", "mg/dl", " mgdl ", "mg / dl", " mgdl ", "mg dl", " mgdl ", "mmol/l", " mmol ",
	"mmol / l", " mmol ", "mm hg", " mmhg ", "mm/hg", " mmhg ", "/min", " ", "/ min", " ")

// numberRE is a number with an optional decimal part, a point or a comma.
var numberRE = regexp.MustCompile(`^[0-9]{1,6}([.,][0-9]{1,3})?`)

// maxOtherWords bounds the words a reading may carry that are not about
// it ("my bp this morning was"): past that the text is a message, not a
// reading.
const maxOtherWords = 6

// readingItems lexes folded text into numbers, "over" marks, hints and
// other words.
func readingItems(text string) ([]item, bool) {
	s := unitPatterns.Replace(fold(text))
	var (
		items []item
		ws    []string // the pending run of words
	)
	flushWords := func() {
		for i := 0; i < len(ws); {
			n := min(len(ws)-i, readingMaxPhrase)
			for ; n > 0; n-- {
				if h, ok := readingWords[strings.Join(ws[i:i+n], " ")]; ok {
					items = append(items, item{kind: iHint, hint: h})
					break
				}
			}
			if n == 0 {
				if ws[i] == "over" || ws[i] == "sobre" {
					items = append(items, item{kind: iOver})
				} else {
					items = append(items, item{kind: iOther})
				}
				n = 1
			}
			i += n
		}
		ws = ws[:0]
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r >= '0' && r <= '9':
			flushWords()
			m := numberRE.FindString(s[i:])
			if i+len(m) < len(s) && s[i+len(m)] >= '0' && s[i+len(m)] <= '9' {
				return nil, false // over six digits: no reading
			}
			v, _ := strconv.ParseFloat(strings.Replace(m, ",", ".", 1), 64)
			items = append(items, item{kind: iNum, num: v, frac: strings.ContainsAny(m, ".,")})
			i += len(m)
			continue
		case r == '/' || r == '\\':
			flushWords()
			items = append(items, item{kind: iOver})
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += sz
			}
			ws = append(ws, s[i:j])
			i = j
			continue
		case r == '\'':
			// "today's": part of a word
		default:
			flushWords()
		}
		i += size
		if len(items) > 4*maxTokens {
			return nil, false
		}
	}
	flushWords()
	return items, len(items) <= 4*maxTokens
}
