package population

// Name lists, common in the United States. Hispanic names keep their
// accents in the records; email addresses use [asciiFold].
var (
	givenFemale = []string{
		"Mary", "Patricia", "Linda", "Barbara", "Elizabeth", "Jennifer", "Susan", "Margaret", "Dorothy", "Lisa",
		"Nancy", "Karen", "Betty", "Helen", "Sandra", "Donna", "Carol", "Ruth", "Sharon", "Michelle",
		"Laura", "Sarah", "Kimberly", "Deborah", "Jessica", "Shirley", "Cynthia", "Angela", "Emily", "Brenda",
		"Amanda", "Pamela", "Nicole", "Anna", "Samantha", "Katherine", "Christine", "Debra", "Rachel", "Carolyn",
	}
	givenMale = []string{
		"James", "John", "Robert", "Michael", "William", "David", "Richard", "Charles", "Joseph", "Thomas",
		"Christopher", "Daniel", "Paul", "Mark", "Donald", "George", "Kenneth", "Steven", "Edward", "Brian",
		"Ronald", "Anthony", "Kevin", "Jason", "Matthew", "Gary", "Timothy", "Larry", "Jeffrey", "Frank",
		"Scott", "Eric", "Stephen", "Andrew", "Raymond", "Gregory", "Joshua", "Jerry", "Dennis", "Walter",
	}
	givenFemaleHispanic = []string{
		"María", "Guadalupe", "Rosa", "Ana", "Juana", "Carmen", "Josefina", "Margarita", "Verónica", "Leticia",
		"Alejandra", "Gabriela", "Adriana", "Claudia", "Patricia", "Elena", "Lucía", "Sofía", "Isabel", "Dolores",
		"Yolanda", "Silvia", "Teresa", "Araceli", "Beatriz",
	}
	givenMaleHispanic = []string{
		"José", "Juan", "Luis", "Carlos", "Jesús", "Miguel", "Jorge", "Francisco", "Antonio", "Alejandro",
		"Manuel", "Pedro", "Ricardo", "Fernando", "Javier", "Raúl", "Roberto", "Eduardo", "Sergio", "Arturo",
		"Héctor", "Ramón", "Rafael", "Andrés", "Óscar",
	}
	familyNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
		"Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker",
		"Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards",
		"Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Bailey",
		"Begay", "Yazzie", "Tsosie", "O'Brien", "McCarthy",
	}
	familyNamesHispanic = []string{
		"García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres",
		"Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Cruz", "Morales", "Ortiz", "Gutiérrez", "Chávez",
		"Ramos", "Ruiz", "Mendoza", "Vásquez", "Castillo", "Jiménez", "Moreno", "Romero", "Herrera", "Medina",
		"Aguilar", "Vargas", "Guzmán", "Muñoz", "Salazar",
	}
	streetNames = []string{
		"Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
		"Church", "Mill", "Ridge", "River", "Sunset", "Mesa", "Juniper", "Cottonwood", "Pinon", "Aspen",
		"Lincoln", "Jefferson", "Highland", "Valley", "Spring", "Center", "Franklin", "Madison", "Adobe", "Canyon",
		"Del Norte", "Camino Real", "Santa Fe", "Alameda", "Prairie",
	}
	streetKinds = []string{"St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Way", "Ct", "Trl", "Pl"}
)

// asciiFold drops the accents of Spanish letters and keeps only letters,
// for email local parts: "Muñoz" → "munoz", "O'Brien" → "obrien".
func asciiFold(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch r {
		case 'á', 'Á':
			r = 'a'
		case 'é', 'É':
			r = 'e'
		case 'í', 'Í':
			r = 'i'
		case 'ó', 'Ó':
			r = 'o'
		case 'ú', 'Ú', 'ü', 'Ü':
			r = 'u'
		case 'ñ', 'Ñ':
			r = 'n'
		}
		switch {
		case r >= 'a' && r <= 'z':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		}
	}
	return string(b)
}
