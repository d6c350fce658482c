package linkagetest

// givenNames alternate female and male (index parity gives the sex).
var givenNames = []string{
	"mary", "james", "patricia", "john", "jennifer", "robert", "linda", "michael", "elizabeth", "william",
	"barbara", "david", "susan", "richard", "jessica", "joseph", "sarah", "thomas", "karen", "charles",
	"nancy", "christopher", "lisa", "daniel", "betty", "matthew", "margaret", "anthony", "sandra", "mark",
	"ashley", "donald", "kimberly", "steven", "emily", "paul", "donna", "andrew", "michelle", "joshua",
	"carol", "kenneth", "amanda", "kevin", "dorothy", "brian", "melissa", "george", "deborah", "timothy",
	"stephanie", "ronald", "rebecca", "edward", "sharon", "jason", "laura", "jeffrey", "cynthia", "ryan",
	"kathleen", "jacob", "amy", "gary", "angela", "nicholas", "shirley", "eric", "anna", "jonathan",
	"brenda", "stephen", "pamela", "larry", "emma", "justin", "nicole", "scott", "helen", "brandon",
	"samantha", "benjamin", "katherine", "samuel", "christine", "gregory", "debra", "alexander", "rachel", "frank",
	"carolyn", "patrick", "janet", "raymond", "catherine", "jack", "maria", "dennis", "heather", "jerry",
	"diane", "tyler", "ruth", "aaron", "julie", "jose", "olivia", "adam", "joyce", "nathan",
	"virginia", "henry", "victoria", "douglas", "kelly", "zachary", "lauren", "peter", "christina", "kyle",
	"joan", "ethan", "evelyn", "walter", "judith", "noah", "megan", "jeremy", "andrea", "christian",
	"cheryl", "keith", "hannah", "roger", "jacqueline", "terry", "martha", "gerald", "gloria", "harold",
	"teresa", "sean", "ann", "austin", "sara", "carl", "madison", "arthur", "frances", "lawrence",
	"kathryn", "dylan", "janice", "jesse", "jean", "jordan", "abigail", "bryan", "alice", "billy",
	"judy", "joe", "sophia", "bruce", "grace", "gabriel", "denise", "logan", "amber", "albert",
	"doris", "willie", "marilyn", "alan", "danielle", "juan", "beverly", "wayne", "isabella", "elijah",
	"theresa", "randy", "diana", "roy", "natalie", "vincent", "brittany", "ralph", "charlotte", "eugene",
	"marie", "russell", "kayla", "bobby", "alexis", "mason", "lori", "philip", "ana", "louis",
}

var syllables = []string{
	"smi", "john", "wil", "bro", "jon", "gar", "mil", "dav", "rod", "mar", "her", "lop", "gon", "and",
	"tho", "tay", "moo", "jack", "mart", "lee", "per", "thom", "whi", "har", "san", "cla", "ram", "lew",
	"rob", "walk", "you", "all", "kin", "wri", "sco", "tor", "ngu", "hil", "flo", "gre", "ada", "nel",
	"bak", "hal", "riv", "camp", "mitch", "car", "rob", "gom", "phil", "ev", "tur", "diaz", "park", "cruz",
	"ed", "col", "stew", "mor", "reed", "cook", "mor", "bell", "murr", "ort", "coop", "pet", "bai", "rey",
	"kel", "how", "ram", "kim", "cox", "ward", "rich", "wat", "brook", "chav", "wood", "jam", "benn", "gray",
	"men", "ruiz", "hugh", "price", "al", "myer", "long", "fost", "sand", "ross", "jim", "pow", "jen", "perr",
	"son", "ton", "man", "ley", "ford", "berg", "ski", "ez", "er", "es", "ins", "ell", "ett", "ard",
}

var streets = []string{
	"main", "oak", "pine", "maple", "cedar", "elm", "washington", "lake", "hill", "park", "walnut", "spring",
	"north", "ridge", "church", "willow", "mill", "sunset", "railroad", "jackson", "cherry", "highland",
	"forest", "meadow", "river", "lincoln", "jefferson", "madison", "franklin", "center", "valley", "adams",
	"chestnut", "prospect", "hickory", "locust", "dogwood", "laurel", "woodland", "birch", "poplar", "spruce",
}

var suffixes = []string{"street", "avenue", "road", "drive", "lane", "court", "way", "place"}

var states = []string{"al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in",
	"ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm",
	"ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy"}

var domains = []string{"gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com", "hotmail.com"}

// cities are made from two parts: a few hundred distinct towns.
var cities = func() []string {
	first := []string{"spring", "green", "fair", "oak", "river", "lake", "west", "east", "north", "south",
		"mill", "stone", "clear", "pine", "maple", "cedar", "brook", "glen", "red", "white"}
	last := []string{"field", "ville", "ton", "wood", "dale", "port", "burg", "view", "land", "haven",
		"ford", "mont", "side", "crest", "bridge"}
	var out []string
	for _, f := range first {
		for _, l := range last {
			out = append(out, f+l)
		}
	}
	return out
}()
