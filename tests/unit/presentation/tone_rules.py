"""The protocol's tone rules as patterns, shared by the tests over the reply templates
(test_reply_templates.py) and over every reply rendered (test_reply_tone.py)."""

from __future__ import annotations

import re

from socialcare.config.loaders import triage_config

# Promises the brand cannot keep: a maximum counted in hours nobody else counts, an outcome
# before anyone looked at the case.
PROMISES = re.compile(
    r"en un máximo de|como máximo|horas laborables|business hours|"
    r"\bwithin \d+ (business |working )?(hours|days)\b|garantiz|"
    r"guarantee|te aseguramos|we assure|sin falta|without fail|100 ?%|solucionaremos|"
    r"resolveremos|we will (fix|solve|resolve)|we'll (fix|solve|resolve|refund)|"
    r"te devolveremos|no volverá a (pasar|ocurrir)|won't happen again|inmediatamente|immediately"
)
BLAME = re.compile(
    r"tu culpa|your fault|deberías haber|you should have|como ya te (dijimos|explicamos)|"
    r"as we (already )?(said|told you)|no has leído|you didn't read|error tuyo|tendrías que|"
    r"si hubieras|if you had|tal y como indica|as clearly stated"
)
IRONY = re.compile(
    r"¿qué tal\?|jaja|haha|\blol\b|obviamente|obviously|evidentemente|claro que sí|"
    r"of course|no te preocupes|don't worry|😉|🙃|😂|😅|🙄"
)
CHEER = re.compile(r"[!¡]|genial|great|encantad|delighted|happy to|hi there|😀|😊|🎉")
PAPERWORK = re.compile(
    r"póliza|\bDNI\b|localizador|número de línea|correo con el que|identif|policy|\bID\b|"
    r"booking reference|line number|signed up|formulario|\bform\b|adjunt|attach|rellen|fill in|"
    r"parte amistoso|documento|document"
)
# Asking who they are: what a known customer, a lead or a person at risk is never asked.
IDENTIFY = re.compile(
    r"número de póliza|\bDNI\b|localizador|número de línea|correo con el que|identif|"
    r"policy number|\bID\b|booking reference|line number|signed up with"
)
# Words only one of the two languages uses (config/triage.yaml's language lists, without
# what both share: "a", "me", "no", and the Spanish verb "has").
_LISTS = triage_config().language
SPANISH = set(_LISTS["es"].split("|")) - {"a", "me", "no"}
ENGLISH = set(_LISTS["en"].split("|")) - {"a", "me", "no", "has"}
FACTS = re.compile(r"\S+@\S+|https?://\S+|\+?\d[\d -]*\d")  # addresses and numbers
