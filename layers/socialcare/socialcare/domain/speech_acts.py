"""What a message does, not what it is about: asking, complaining about something
received, reporting something broken now, requesting, denying. The model's words say
which trade a message comes from ("la fianza", "refund"); these cues say which act it is,
in words the corpus may never have paired with that trade ("no es queja, solo quiero
entender...", "kindly clarify", "se cayó el server ahora mismo").

Pure: on text already normalised (lower case, no accents; text_model.plain_text). Every
pattern is a list of words or phrases between word boundaries, linear in the text.
"""

from __future__ import annotations

import re


def _phrases(*alternatives: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


# Asking: a question mark, an interrogative opening a sentence, or a phrase that asks.
_QUESTION_MARK = re.compile(r"[?¿]")
_OPENS_A_QUESTION = re.compile(
    r"(?:^|[.!?¿¡\n,:] *)(?:que|como|cuando|cuanto|cuanta|cuantos|cuantas|donde|adonde|"
    r"cual|cuales|quien|quienes|por que|se puede|puedo|podria|hay|teneis|tienen|tenes|"
    r"aceptan|aceptais|hacen|haceis|how|what|when|where|which|who|why|is|are|do|does|did|"
    r"can|could|will|would|should|may|any)(?!\w)"
)
_ASKING = _phrases(
    r"quisiera saber|queria saber|quiero saber|me gustaria saber|necesito saber",
    r"me (?:pueden|podeis|podes|podrian|podriais|puede|podria|podrias)"
    r" (?:decir|confirmar|explicar|aclarar|indicar|informar)",
    r"una (?:pregunta|consulta|duda)|pregunta seria|consulta rapida|tengo una duda",
    r"solo (?:por|para|pa|quiero) (?:saber|entender|entenderlo|preguntar)",
    r"(?:por|para|pa) saber|por entender(?:lo)?|no entiendo (?:si|como|por que|cual)",
    r"(?:kindly|pls|plz|please)"
    r" (?:clarify|confirm|advise|inform|let me know|tell|guide|explain)",
    r"(?:can|could) you (?:tell|confirm|clarify|explain|advise)",
    r"i (?:want|would like|d like|wanted) to know|just (?:asking|wondering|checking)",
    r"(?:quick|genuine|honest|simple) question|i was wondering|wondering (?:if|whether|how)",
    r"is it possible|do you know (?:if|whether|when|how)|how do i|how can i|is there (?:a|any)",
    r"interested (?:to|in) (?:join|know|apply)|what is the (?:process|procedure|policy)",
)
# Saying outright it is not a complaint.
_NOT_A_COMPLAINT = _phrases(
    r"no es (?:una |un )?(?:queja|reclamo|reclamacion|critica)",
    r"no me (?:quejo|estoy quejando)|sin animo de (?:queja|critica)",
    r"not (?:a |making a )?complaint|not complaining|no complaint",
)
# Reporting something broken or dangerous now.
_NOW = _phrases(
    r"ahora mismo|justo ahora|en este momento|en estos momentos|ahorita|al tiro|ya mismo",
    r"acaba(?:n|s)? de|acabo de|hace (?:un rato|nada|unos minutos|0+ minutos)",
    r"right now|just now|as we speak|at the moment|currently|this minute|minutes ago",
    r"still (?:down|not|no|stuck|waiting)|sigue(?:n)? (?:sin|caid[oa]s?|sin funcionar)",
)
_BROKEN = _phrases(
    r"se (?:cayo|cae|cayeron|colgo|bloqueo|apago|quedo)|caid[oa]s?",
    r"no (?:abre|arranca|funciona|carga|anda|prende|enciende|va|deja)",
    r"is down|are down|went down|not working|doesn'?t work|won'?t (?:open|start|load)",
    r"crash(?:ed|ing)?|stuck|trapped|locked in|encerrad[oa]s?|atrapad[oa]s?|atascad[oa]s?",
    r"fuga|huele a gas|olor a gas|smell of gas|gas leak|fuego|incendio|fire|humo|smoke",
)
# Complaining about something received or done: told in the past, or a grievance.
_RECEIVED = _phrases(
    r"me (?:llego|ha llegado|han llegado|llegaron|cobraron|han cobrado|cobrasteis)",
    r"me (?:vendieron|atendieron|dieron|mandaron|enviaron)",
    r"(?:he|hemos) recibido|recibi|recibimos|compre|pedi|contrate",
    r"i (?:received|got|paid|ordered|bought|was charged)",
    r"(?:arrived|came|was delivered) (?:broken|damaged|late|wrong)",
    r"ayer|la semana pasada|el mes pasado|desde hace",
    r"hace (?:0+|un|una|dos|tres) (?:dias|semanas|meses)",
    r"yesterday|last (?:week|month)|(?:days|weeks|months) ago",
    r"since (?:0+|last)|for (?:weeks|months|days)",
    r"llevo (?:0+|dos|tres|un|una) |todavia no|aun no|nunca|jamas|nadie",
    r"still haven'?t|never|nobody|no one",
)
# Asking for something to be done.
_REQUEST = _phrases(
    r"por favor|porfa|porfi|porfavor|please|pls|plz|kindly|do the needful",
    r"necesito|necesitamos|quiero|quisiera|queremos|i need|we need|i want|we want|i'?d like",
)
# Thanking, and praise words that a grievance next to them turns to sarcasm ("qué bonito
# todo, lástima que...", "great job" with nothing working).
_THANKS = _phrases(
    r"gracias|agradec\w*+|thanks|thank you|thx|ty|cheers|kudos|grateful|appreciate\w*+",
)
_PRAISE_WORDS = _phrases(
    r"que (?:bonito|bien|maravilla|lindo|detalle|gusto)|genial|bravo|chapeau|enhorabuena",
    r"great (?:job|work|service)|well done|good job|love (?:how|that|it)|amazing|brilliant",
    r"me encanta(?:n)?|excelente|increible|de lujo|lo mejor|the best|top notch|legends?",
)
_IRONY = re.compile(
    r"🙃|🙄|🤡|👏|/s(?!\w)|(?<!\w)(?:gracias por nada|thanks for nothing|yeah right)(?!\w)"
)
# Insults and curses with nothing asked (trolling): language-general words of abuse.
_ABUSE = _phrases(
    r"ladron\w*+|estafador\w*+|buitres?|parasit\w*+|payasos?|clowns?|inutiles|useless",
    r"incompetent\w*+|basura|rubbish|garbage|trash|scam\w*+|vultures?|muppets?|idiot\w*+",
    r"imbecil\w*+|ratas|sinverguenzas?|chorros|culiaos?|mierda|mrd|de cuarta|bakwas|joke",
    r"worst \w++ (?:on earth|ever|in)|shut (?:it )?down|go (?:broke|bust)|rot|pathetic|patetic\w*+",
    r"ojala (?:se|os|les|quiebre\w*+|cierre\w*+)|que os (?:den|jodan)|f+ you",
    r"💩|🤮|🖕",
)
# Offering something to the brand, proposing to work together, wanting to buy.
_OFFER = _phrases(
    r"ofrecemos|le ofrecemos|somos una|somos un|nuestra empresa|nuestra agencia|le escribimos",
    r"we offer|we provide|we are a|we'?re a|our company|our agency|our team can|i run a",
    r"distribui\w*+|proveedor\w*+|supplier|wholesale|al por mayor|mayorista",
)
_PARTNER = _phrases(
    r"colab\w*+|collab\w*+|alianza|partner\w*+|sponsor\w*+|patrocin\w*+|team up",
    r"co-?promo\w*+|campana conjunta|cause marketing|trabajar juntos|work together",
)
_BUYING = _phrases(
    r"(?:quiero|quisiera|queremos|me gustaria) (?:contratar|comprar|reservar|pedir|apuntarme)",
    r"me interesa\w*+|interesad[oa]s? en|presupuesto|cotiza\w*+|quote|pricing|price list",
    r"cuanto (?:cuesta|sale|vale|cobran)|how much|sign up|apuntarme|inscribir\w*+",
    r"(?:want|like|looking) to (?:buy|book|order|hire|sign up|switch)",
)
# Speaking to the brand as a culprit: "why do you always", "otra vez", "sois unos".
_ACCUSING = _phrases(
    r"por que siempre|siempre (?:igual|lo mismo)|otra vez|de nuevo|cada vez que|sois unos",
    r"son unos|why do you always|you people|you lot|every (?:single )?time|yet again|again",
)
_ENDS_ASKING = re.compile(r"\?[^\w?]{0,8}$")
_NEGATION = _phrases(
    r"no|ni|nunca|jamas|nada|nadie|not|never|no one|nobody|nothing",
    r"(?:don|doesn|didn|can|won|isn|aren|wasn|haven|hasn|couldn|wouldn)'?t",
)

_CUES = (
    ("a:question_mark", _QUESTION_MARK),
    ("a:opens_question", _OPENS_A_QUESTION),
    ("a:asking", _ASKING),
    ("a:not_complaint", _NOT_A_COMPLAINT),
    ("a:now", _NOW),
    ("a:broken", _BROKEN),
    ("a:received", _RECEIVED),
    ("a:request", _REQUEST),
    ("a:negation", _NEGATION),
    ("a:thanks", _THANKS),
    ("a:praise_words", _PRAISE_WORDS),
    ("a:irony", _IRONY),
    ("a:abuse", _ABUSE),
    ("a:offer", _OFFER),
    ("a:partner", _PARTNER),
    ("a:buying", _BUYING),
    ("a:accusing", _ACCUSING),
    ("a:ends_asking", _ENDS_ASKING),
)


# Thanks or praise words beside a grievance or an irony marker (domain/triage.py reads it).
SARCASM_ACT = "a:praise_with_grievance"


def speech_acts(plain: str) -> list[str]:
    """The cues found in `plain`, and the pairs that tell acts apart: asking with no
    grievance told, asking while denying a complaint, broken now."""
    found = [name for name, pattern in _CUES if pattern.search(plain)]
    present = set(found)
    asks = bool(present & {"a:question_mark", "a:opens_question", "a:asking"})
    if asks:
        found.append("a:asks")
        if "a:received" not in present and "a:broken" not in present:
            found.append("a:asks_only")
    if "a:now" in present and "a:broken" in present:
        found.append("a:broken_now")
    grievance = present & {"a:received", "a:broken", "a:accusing", "a:abuse"}
    if present & {"a:praise_words", "a:thanks"} and (grievance or "a:irony" in present):
        found.append(SARCASM_ACT)
    if "a:abuse" in present and not asks and "a:request" not in present:
        found.append("a:abuse_only")
    return found
