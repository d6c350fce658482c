package messaging

// Texts rapport sends on its own: answers to carrier keywords. {org} and
// {org_phone} are filled from the pipeline's Org. Languages extend the table.
var keywordReplies = map[string]Content{
	"opt_out": {Fallback: "en", ByLang: map[string]Text{
		"en": {Body: "{org}: you are unsubscribed and will get no more messages on this channel. Reply START to subscribe again."},
		"es": {Body: "{org}: se ha dado de baja y no recibirá más mensajes por este medio. Responda INICIO para volver a suscribirse."},
	}},
	"opt_in": {Fallback: "en", ByLang: map[string]Text{
		"en": {Body: "{org}: you are subscribed again. Reply STOP to unsubscribe, HELP for help."},
		"es": {Body: "{org}: está suscrito de nuevo. Responda ALTO para darse de baja, AYUDA para obtener ayuda."},
	}},
	"help": {Fallback: "en", ByLang: map[string]Text{
		"en": {Body: "{org}: for help call {org_phone}. Reply STOP to unsubscribe. Msg & data rates may apply."},
		"es": {Body: "{org}: para ayuda llame al {org_phone}. Responda ALTO para darse de baja. Pueden aplicarse tarifas."},
	}},
}
