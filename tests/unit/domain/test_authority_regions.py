"""Authority bodies of the regions socialcare serves, and their innocent uses (issue 34):
the lexicons of config/triage.yaml, read by domain/triage.authority_mentioned."""

from __future__ import annotations

import pytest

from socialcare.config.loaders import triage_rules
from socialcare.domain.text_model import normalise
from socialcare.domain.triage import TriageRules, authority_mentioned


@pytest.fixture(scope="module")
def rules() -> TriageRules:
    return triage_rules()


@pytest.mark.parametrize(
    "text",
    [
        # Spain's regions, in their languages
        "Si no me devolvéis los 79,80€ esta semana lo llevo a Kontsumobide.",
        "Tengo cita en Kontsumobide el lunes",
        "La reclamació ja està presentada a l'Agència Catalana del Consum.",
        "Ho porto al Síndic de Greuges.",
        "Xa presentei queixa á Valedora do Pobo.",
        "He escrito al Ararteko",
        "Lo llevaré a las juntas arbitrales de consumo",
        "Pedí la hoja de reclamación y no me la dieron",
        "Ho porto a consum",
        # Mexico, Colombia, Peru, Chile, Argentina
        "ya levanté queja en PROFECO",
        "los voy a reportar con cofepris",
        "Si esta semana no me responden radico la queja en la Superindustria.",
        "esto lo va a saber la Supertransporte",
        "esto lo voy a llevar a SUSALUD.",
        "Voy a denunciar ante la SIC",
        "Reclamo en el libro de reclamaciones e INDECOPI",
        "Ya fui a Defensa del Consumidor.",
        "Ya hice el reclamo en el SERNAC",
        "Les mandé carta documento, nos vemos en el juzgado.",
        "Les voy a meter una demanda",
        "Voy a interponer una tutela",
        "Ya puse queja en la CONDUSEF",
        # UK, Ireland, US, Australia, India, EU
        "Have lodged a complaint with Consumer Affairs Victoria.",
        "I lodged a complaint with the ACCC",
        "Going to the TIO, done with the runaround.",
        "Final stage done, Completion of Procedures letter in hand, OIA next.",
        "take it to the OIA",
        "Been on to the CCPC about it",
        "If it's not sorted by Friday I'm going to ComReg.",
        "I've gone to the Financial Ombudsman",
        "Reported you to Ofgem",
        "Complaint filed with the CFPB",
        "Filed a complaint with the FTC and the BBB",
        "I've written to the state attorney general",
        "consumer forum case I will file",
        "If not resolved by this week I will approach the consumer forum.",
        "Raised on AirSewa also.",
        "will complain to RBI banking ombudsman",
        "I will send you a legal notice",
        "Contacted the European Consumer Centre",
        "I've raised a dispute with AFCA",
        "complaint with IRDAI pending",
        "I've complained to TRAI",
        "I'm filing with the AG's office",
        "going to consumer affairs about this",
        "voy a ir a la Procuraduría del Consumidor",
        "interpuse una demanda contra ustedes",
        "Voy a denunciar ante la SEC",
        # Nigeria, Kenya, South Africa, Pakistan, the Philippines, Singapore, Canada
        "I don report una to FCCPC. 3 months I dey beg for refund",
        "Refund me or I am going to the Competition Authority with the receipt.",
        "Lodging complaint on the PTA portal today, enough is enough.",
        "I will report you to DTI! The aircon you delivered is defective",
        "Ireport ko kayo sa DTI",
        "I already submit to CASE liao.",
        "I've opened a file with the CCTS this morning and attached your bills.",
        "Taking this to OBSI next week",
        "Escalating to the Consumer Goods and Services Ombud",
        "complaint registered on the CPGRAMS portal",
        "complaint filed on the consumer affairs portal",
        "My advocate will send you a legal notice",
        # a body named by what it is, a deposit scheme's dispute
        "I'll be taking it up with the National Transport Authority.",
        "I'll report you to the authorities",
        "Complained to the Insurance Commission yesterday",
        "Dispute raised with the TDS today. Looking forward to explaining it to the adjudicator.",
        # Venezuela, the Dominican Republic, Puerto Rico, Central America
        "quiero estar segura antes de ir a la SUNDDE con las fotos",
        "Eso va pa ProConsumidor mañana mismo",
        "Ya tengo todo documentado con fotos y voy a radicar en DACO.",
        "ya hablé con mi licenciado y esto no se queda así",
        "voy a la Dirección de Protección al Consumidor",
    ],
)
def test_a_body_of_each_region_is_an_authority_mention(rules, text):
    assert authority_mentioned(normalise(text), rules)


@pytest.mark.parametrize(
    "text",
    [
        # a body's study cited in praise or a pitch
        "Ha salido el estudio de precios de la OCU y sois otra vez el súper más barato",
        "Saw Ofcom's latest report has you lot with the fewest complaints",
        "Read about you in the Which? letting agents round-up and thought I'd give you a go",
        "Our tool helped 3 ISPs climb the Which? broadband satisfaction survey last year",
        # a supplier's own lawyers; a lawyer as a customer or a relative
        "Our in-house attorneys review every contract, happy to send a proposal",
        "Soy abogado, me mudo a CABA en marzo, busco 2 ambientes",
        "Mi primo, que es abogado, revisó el contrato y dijo que era de los más claros",
        "Hola, mi hija es abogada y me dice que en Cataluña la fianza se deposita en el INCASÒL",
        # a police report for an insurance claim
        "Necesito la copia de la denuncia en la policía para el seguro",
        "I have the police report for the insurance claim, where do I send it?",
        # market demand
        "me dijeron que la demanda está durísima y quiero separar uno ya",
        "Por la alta demanda, ¿tenéis stock?",
        # a body named as a place to study or work, or as a subject
        "quiero hacer mi servicio social en PROFECO",
        "is the mooting society's solicitor mentoring scheme open to first years?",
        "Thanks for the guest lecture on Consumer Protection Act and consumer court procedures",
        "¿la licenciatura en Derecho tiene materia de derecho del consumidor?",
        "I did my internship at the FTC, do you hire analysts?",
        # one's own hearing, a trade mark registered, the complaint-book sign, a taunt
        "tengo una audiencia en el juzgado de Lima el 16, si adelanto el vuelo cuánto cobran?",
        "ya registré mi marca en INDECOPI, ¿piden el certificado?",
        "vendemos los carteles oficiales de 'Existen hojas de reclamaciones a disposición'",
        "Sue them? Nah, just let them rot",
        "los demandaría pero ni eso valen jajaja",
        # words that look like a body's name in another language
        "mi tío dice que no se oía nada en el concierto",
        "lodged a complaint with your support team last week",
        # courts that are places, regulators that are parts, a name, a firm's disclosure
        "Do you have a food court in the new mall?",
        "Is the tennis court open on Sundays?",
        "el tribunal de oposiciones publica las notas mañana?",
        "Sue from your team was lovely, thanks!",
        "my voltage regulator burnt out, do you stock them?",
        "I need to register a lasting power of attorney for my mum's account",
        "FTC disclosure: this post is sponsored",
        "We are FCA regulated and can offer you a loan",
        "Somos una entidad regulada por el Banco de España, le ofrecemos",
        "BBB accredited business since 2010, contact us for SEO",
        "la ley de la oferta y la demanda, por eso suben los precios?",
        "hago de abogado del diablo: no está tan mal",
        "I have a court date tomorrow, can I move my flight?",
        "my lawyer friend recommended you, great service",
        # relatives who are lawyers, an advocate or a lawyer buying (issue 34's batches)
        "my brother's a lawyer and he keeps nagging me to get covered lol. can I get a quote?",
        "My brother-in-law is a lawyer and he told me to ask this first before renewal",
        "My sister-in-law is a solicitor and says this clause is standard",
        "I am an advocate practising at Delhi High Court and am looking to purchase an office",
        "I am a lawyer and want a quote for office insurance",
        # a theft reported to the prosecutor, a case with the other party
        "Me robaron la camioneta, ya levanté la denuncia en la Fiscalía. ¿Qué documentos mando?",
        "My solicitor needs a letter for the court case with the other driver, how do I get it?",
        # a body's survey or report cited, whatever its name
        "Según el Quién es Quién en los Precios de PROFECO son los más baratos",
        "Thanks to the Competition Commission's report we chose you",
        "Ofwat's league table puts you top, well done",
        # the acronyms' other meanings, and a licenciado who is not a lawyer
        "My DTI ratio is high, will you still lend?",
        "I'm going to the PTA meeting tonight, can I collect the parcel tomorrow?",
        "I went with the case you recommended and it cracked",
        "Your agent escalated to case management and nobody called",
        "I complained to the manager about the commission you charge",
        "hablé con el licenciado de la sucursal y me dijo que mañana",
        "soy licenciado en administración, busco seguro",
        "Join our advocates program and earn rewards",
        # a deposit scheme named to ask how a deposit comes back; a brand's own portal
        "Where do I send the DPS certificate for my deposit to be returned?",
        "I filed a complaint on your portal twice",
    ],
)
def test_innocent_uses_are_not_authority_mentions(rules, text):
    assert not authority_mentioned(normalise(text), rules)


def test_an_innocent_use_does_not_hide_a_threat_beside_it(rules):
    # Given a body's study cited and, in the same message, a threat to go to it
    text = "Según el estudio de la OCU sois los más caros, y os voy a denunciar en la OCU"
    # Then the threat is still a mention
    assert authority_mentioned(normalise(text), rules)


def test_a_subject_named_does_not_hide_a_threat_after_it(rules):
    # Given a class named, and a threat in the next clause
    text = "I'm in a class on Tuesday, I will sue you if this is not fixed"
    # Then the threat is still a mention (the subject ends with its clause)
    assert authority_mentioned(normalise(text), rules)
