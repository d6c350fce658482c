package selfreport

import "testing"

func BenchmarkParseCheckin(b *testing.B) {
	for b.Loop() {
		_, _ = ParseCheckin("Sí, ya me la tomé esta mañana, gracias", "es")
	}
}

func BenchmarkParseSkipReason(b *testing.B) {
	for b.Loop() {
		_, _ = ParseSkipReason("no side effects, I just forgott it this morning", "en")
	}
}

func BenchmarkParseReading(b *testing.B) {
	for b.Loop() {
		_, _ = ParseReading("my bp this morning was 142/90 pulse 72", "en")
	}
}
