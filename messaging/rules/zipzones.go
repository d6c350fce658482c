package rules

import (
	"sort"
	"strconv"
	"strings"
)

// zipZones maps ranges of 3-digit US ZIP prefixes to IANA zones. The source
// is public knowledge: the USPS assigns prefixes by state (and the sectional
// centres within them), and each state's time zone or zones are set by US
// law. States split across zones are approximated by sectional centre:
// the Florida panhandle (324–325), western Kentucky (420–424), north-west
// and south-west Indiana (463–464, 476–477), middle and west Tennessee,
// west Texas around El Paso (798–799, 885), the Dakotas' and Nebraska's
// western centres, northern Idaho (835, 838) and eastern Oregon (979) are
// assigned whole to the zone most of their people live in; other small
// split areas (the Kansas border counties, Michigan's Upper Peninsula
// corner, the Navajo Nation in Arizona, the western Aleutians) are not
// distinguished. Military (APO/FPO) prefixes are absent.
var zipZones = []struct {
	lo, hi int
	zone   string
}{
	{5, 5, "America/New_York"},
	{6, 7, "America/Puerto_Rico"},
	{8, 8, "America/St_Thomas"},
	{9, 9, "America/Puerto_Rico"},
	{10, 89, "America/New_York"}, // New England, New Jersey
	{100, 149, "America/New_York"},
	{150, 199, "America/New_York"}, // Pennsylvania, Delaware
	{200, 268, "America/New_York"}, // DC, Maryland, Virginia, West Virginia
	{270, 299, "America/New_York"}, // the Carolinas
	{300, 319, "America/New_York"}, // Georgia
	{320, 323, "America/New_York"}, // Florida
	{324, 325, "America/Chicago"},  // Florida panhandle
	{326, 339, "America/New_York"}, // Florida
	{341, 349, "America/New_York"}, // Florida
	{350, 369, "America/Chicago"},  // Alabama
	{370, 372, "America/Chicago"},  // middle Tennessee
	{373, 374, "America/New_York"}, // Chattanooga
	{375, 375, "America/Chicago"},  // Memphis
	{376, 379, "America/New_York"}, // east Tennessee
	{380, 385, "America/Chicago"},  // west Tennessee
	{386, 397, "America/Chicago"},  // Mississippi
	{398, 399, "America/New_York"}, // Georgia
	{400, 419, "America/New_York"}, // Kentucky
	{420, 424, "America/Chicago"},  // western Kentucky
	{425, 427, "America/New_York"}, // Kentucky
	{430, 459, "America/New_York"}, // Ohio
	{460, 462, "America/Indiana/Indianapolis"},
	{463, 464, "America/Chicago"}, // north-west Indiana
	{465, 475, "America/Indiana/Indianapolis"},
	{476, 477, "America/Chicago"}, // Evansville
	{478, 479, "America/Indiana/Indianapolis"},
	{480, 499, "America/Detroit"},
	{500, 528, "America/Chicago"}, // Iowa
	{530, 549, "America/Chicago"}, // Wisconsin
	{550, 567, "America/Chicago"}, // Minnesota
	{570, 576, "America/Chicago"}, // South Dakota
	{577, 577, "America/Denver"},  // Rapid City
	{580, 585, "America/Chicago"}, // North Dakota
	{586, 586, "America/Denver"},  // Dickinson
	{587, 588, "America/Chicago"},
	{590, 599, "America/Denver"},  // Montana
	{600, 629, "America/Chicago"}, // Illinois
	{630, 658, "America/Chicago"}, // Missouri
	{660, 679, "America/Chicago"}, // Kansas
	{680, 692, "America/Chicago"}, // Nebraska
	{693, 693, "America/Denver"},  // western Nebraska
	{700, 714, "America/Chicago"}, // Louisiana
	{716, 729, "America/Chicago"}, // Arkansas
	{730, 749, "America/Chicago"}, // Oklahoma
	{750, 797, "America/Chicago"}, // Texas
	{798, 799, "America/Denver"},  // El Paso
	{800, 816, "America/Denver"},  // Colorado
	{820, 831, "America/Denver"},  // Wyoming
	{832, 834, "America/Boise"},
	{835, 835, "America/Los_Angeles"}, // Lewiston
	{836, 837, "America/Boise"},
	{838, 838, "America/Los_Angeles"}, // Coeur d'Alene
	{840, 847, "America/Denver"},      // Utah
	{850, 865, "America/Phoenix"},     // Arizona
	{870, 884, "America/Denver"},      // New Mexico
	{885, 885, "America/Denver"},      // El Paso
	{889, 898, "America/Los_Angeles"}, // Nevada
	{900, 961, "America/Los_Angeles"}, // California
	{967, 968, "Pacific/Honolulu"},
	{969, 969, "Pacific/Guam"},
	{970, 978, "America/Los_Angeles"}, // Oregon
	{979, 979, "America/Boise"},       // Malheur County
	{980, 994, "America/Los_Angeles"}, // Washington
	{995, 999, "America/Anchorage"},
}

// usZones are the zones of US states and territories: an organisation in
// one of them is taken to be in the US for reading postal codes as ZIPs.
var usZones = func() map[string]bool {
	m := map[string]bool{"America/Adak": true, "America/Juneau": true, "America/Nome": true, "America/Sitka": true,
		"America/Yakutat": true, "America/Metlakatla": true, "America/Menominee": true, "Pacific/Pago_Pago": true,
		"Pacific/Saipan": true, "America/Kentucky/Louisville": true, "America/Kentucky/Monticello": true,
		"America/North_Dakota/Center": true, "America/North_Dakota/New_Salem": true, "America/North_Dakota/Beulah": true,
		"US/Eastern": true, "US/Central": true, "US/Mountain": true, "US/Pacific": true, "US/Alaska": true,
		"US/Hawaii": true, "US/Arizona": true}
	for _, z := range zipZones {
		m[z.zone] = true
	}
	for _, z := range []string{"Knox", "Marengo", "Petersburg", "Tell_City", "Vevay", "Vincennes", "Winamac"} {
		m["America/Indiana/"+z] = true
	}
	return m
}()

// ZIPZone returns the zone of a US ZIP code ("02139", "02139-4307") by its
// 3-digit prefix, or "" when the code is not a ZIP or its prefix is not in
// the table.
func ZIPZone(zip string) string {
	zip = strings.TrimSpace(zip)
	if len(zip) != 5 && !(len(zip) == 10 && zip[5] == '-') {
		return ""
	}
	for i, c := range zip {
		if i != 5 && (c < '0' || c > '9') {
			return ""
		}
	}
	p, _ := strconv.Atoi(zip[:3])
	i := sort.Search(len(zipZones), func(i int) bool { return zipZones[i].hi >= p })
	if i < len(zipZones) && zipZones[i].lo <= p {
		return zipZones[i].zone
	}
	return ""
}
