"""Names that translations legitimately translate, in English, Spanish and Catalan (and a few
French, German, Italian and Portuguese forms): one line per entity, its forms separated by "|"
(a line that starts with "|" continues the one above).

The entities check matches any form on one side with any form on the other, so "Casa Blanca"
~ "White House" ~ "Casa Blanca", "Londres" ~ "London". Only names whose forms the spelling
comparison cannot match belong here ("Japón" ~ "Japan" needs no line); matching ignores the case
of the first letter, because Spanish and Catalan write some of them in lower case ("l'edat
mitjana", "las cruzadas"). Entities with acronyms and inflected forms (U.S., EU, UN, MPs ...)
are regular expressions, in EQUIVALENTS.
"""

from __future__ import annotations

import functools

from babelwire.review.checks._text import WORD, fold

# Well-known entities whose forms differ by language: any form on one side matches any on the other.
EQUIVALENTS = (
    r"U\.S\.A?\.?|USA|US|EE\. ?UU\.?|E\.E\. ?U\.U\.?|EEUU|EUA|Estados Unidos|Estats Units|United States"
    r"|États-Unis"
    r"|Vereinigten? Staaten|Stati Uniti|США|Соедин[её]нн\w+ Штат\w*|Сполучен\w+ Штат\w*|[Aa]merikanisch\w*"
    r"|[Аа]мерикан\w+|America|Amerika\w*|Америк\w+|Amérique|Amèrica|estadounidense\w*|nord-americ\w+"
    r"|norteamerican\w+|américain\w*|statunitens\w+|estatunidenc\w*",
    r"EU|UE|European Union|Unión Europea|Unió Europea|Union européenne|Europäischen? Union|Unione europea"
    r"|União Europeia|ЕС|Евросоюз\w*|Европейск\w+ союз\w*|ЄС|Євросоюз\w*|Європейськ\w+ союз\w*",
    r"UN|UNO|ONU|U\.N\.|United Nations|Naciones Unidas|Nacions Unides|Nations unies|Vereinten? Nationen"
    r"|Nazioni Unite|Nações Unidas|ООН|Организаци\w+ Объедин[её]нных Наций|Організаці\w+ Об'єднаних Націй",
    r"UK|U\.K\.|United Kingdom|Britain|Reino Unido|Regne Unit|Royaume-Uni|Vereinigte\w* Königreich\w*"
    r"|Großbritannien|Regno Unito|Великобритани\w+|Британи\w+|Велик\w+ Британі\w+|Британі\w+|[Bb]ritisch\w*"
    r"|[Бб]ританск\w+|[Бб]ританськ\w+|británic\w+|britànic\w+|britanni\w+|britânic\w+",
    r"WHO|OMS|Weltgesundheitsorganisation|ВОЗ|ВООЗ",
    r"USSR|URSS|UdSSR|СССР|СРСР|Soviet Union|Unión Soviética|Unió Soviètica|Union soviétique|Sowjetunion"
    r"|Unione Sovietica|União Soviética|Советск\w+ Союз\w*|Радянськ\w+ Союз\w*",
    r"IMF|FMI|IWF|МВФ",
    r"GDP|PIB|BIP|ВВП|[Bb]ruttoinlandsprodukt\w*|[Gg]ross [Dd]omestic [Pp]roduct"
    r"|[Pp]roducto [Ii]nterior [Bb]ruto|[Pp]roducte [Ii]nterior [Bb]rut|[Pp]roduit [Ii]ntérieur [Bb]rut"
    r"|[Pp]rodotto [Ii]nterno [Ll]ordo"
    r"|[Pp]roduto [Ii]nterno [Bb]ruto|[Вв]алов\w+ внутренн\w+ продукт\w*|[Вв]алов\w+ внутрішн\w+ продукт\w*",
    r"AIDS|SIDA|Aids|СПИД|СНІД",
    r"HIV|VIH|ВИЧ|ВІЛ",
    r"DNA|ADN|DNS|ДНК",
    r"CEO|chief executive|director ejecutivo|director general|PDG|consejero delegado"
    r"|[Vv]orstandsvorsitzend\w*|[Vv]orstandschef\w*|[Gg]eschäftsführer\w*|amministratore delegato"
    r"|генеральн\w+ директор\w*",
    r"AI|KI|IA|ИИ|ШІ|[Aa]rtificial [Ii]ntelligence|[Ii]nteligencia [Aa]rtificial"
    r"|[Ii]ntel·ligència [Aa]rtificial|[Ii]ntelligence [Aa]rtificielle|[Kk]ünstliche\w* [Ii]ntelligenz"
    r"|[Ii]ntelligenza [Aa]rtificiale"
    r"|[Ii]nteligência [Aa]rtificial|[Ии]скусственн\w+ интеллект\w*|[Шш]тучн\w+ інтелект\w*",
    r"TV|ТВ|televisi\w+|télévision|Fernseh\w*|телевиден\w+|телебачен\w+",
    r"MPs?|[Aa]bgeordnete\w*|[Dd]iputad\w+|[Dd]iputat\w*|[Dd]éputé\w*|[Dd]eputat\w*|[Pp]arlamentari\w*|[Дд]епутат\w*"
    r"|[Mm]embers? of [Pp]arliament|miembros? del [Pp]arlamento|membres? del [Pp]arlament",
    r"AUD|A\$|Australian dollars?|dólar(?:es)? australianos?|dòlars? australians?",
    r"BCE|BC|B\.C\.|a\. ?C\.|aC|av\. J\.-C\.|v\. ?Chr\.",
    r"FBI|ФБР",
    r"CIA|ЦРУ",
    r"Middle East|Mideast|Oriente Medio|Orient Mitjà|Moyen-Orient|Nahen Osten|Nahe Osten|Medio Oriente"
    r"|Médio Oriente"
    r"|Ближн\w+ Восток\w*|Близьк\w+ Сход\w*|Близьк\w+ Схід",
)

# Names translated word by word, matched as written (case of the first letter aside).
TRANSLATED_NAMES = """
White House|Casa Blanca|Maison Blanche|Weißen Haus|Weiße Haus|Casa Bianca
Pentagon|Pentágono|Pentàgon
Kremlin|Kremlin|Kremlin
Downing Street|Downing Street
Security Council|Consejo de Seguridad|Consell de Seguretat|Conseil de sécurité|Sicherheitsrat
European Parliament|Parlamento Europeo|Parlament Europeu|Parlement européen|Europäische Parlament
European Commission|Comisión Europea|Comissió Europea|Commission européenne|Europäische Kommission
World Bank|Banco Mundial|Banc Mundial|Banque mondiale|Weltbank
Supreme Court|Tribunal Supremo|Corte Suprema|Tribunal Suprem|Cour suprême|Oberste Gerichtshof
Red Cross|Cruz Roja|Creu Roja|Croix-Rouge|Rote Kreuz|Croce Rossa
Amnesty International|Amnistía Internacional|Amnistia Internacional
Doctors Without Borders|Médicos Sin Fronteras|Metges Sense Fronteres|Médecins Sans Frontières
|Medecines Sans Frontiere
Olympic Games|Olympics|Juegos Olímpicos|Jocs Olímpics|Jeux olympiques|Olympischen Spiele
World Cup|Copa del Mundo|Copa Mundial|Mundial|Copa del Món|Coupe du monde
World War II|Second World War|Segunda Guerra Mundial|Segona Guerra Mundial|Seconde Guerre mondiale
World War I|First World War|Primera Guerra Mundial|Première Guerre mondiale
Cold War|Guerra Fría|Guerra Freda|Guerre froide|Kalten Krieg
Middle Ages|Edad Media|Edat Mitjana|Moyen Âge|Mittelalter
High Middle Ages|Plena Edad Media|Alta Edad Media|Plena Edat Mitjana|Alta Edat Mitjana
Crusades|Cruzadas|Croades|Croisades
Renaissance|Renacimiento|Renaixement|Rinascimento
Declaration of Independence|Declaración de Independencia|Declaración de la Independencia
|Declaració d'Independència|Declaració de la Independència
Holy See|Santa Sede
Vatican|Vaticano|Vaticà
Pope|Papa
Christmas|Navidad|Nadal|Noël|Weihnachten|Natale
Easter|Holy Week|Semana Santa|Pascua|Setmana Santa|Pasqua|Pâques|Ostern
Earth|Tierra|Terra|Terre|Erde
Moon|Luna|Lluna|Lune|Mond
Sun|Sol|Soleil|Sonne
Milky Way|Vía Láctea|Via Làctia|Voie lactée|Milchstraße
Mediterranean|Mediterráneo|Mediterrani|Méditerranée|Mittelmeer
Atlantic|Atlántico|Atlàntic|Atlantique
Pacific|Pacífico|Pacífic|Pacifique|Pazifik
Antarctica|Antártida|Antàrtida|Antarctique|Antarktis
Arctic|Ártico|Àrtic|Arctique|Arktis
Caribbean|Caribe|Carib|Caraïbes|Karibik
Netherlands|Holland|Países Bajos|Holanda|Països Baixos|Pays-Bas|Niederlande|Paesi Bassi
Germany|Alemania|Alemanya|Allemagne|Deutschland|Germania|Alemanha
Switzerland|Suiza|Suïssa|Suisse|Schweiz|Svizzera|Suíça
Greece|Grecia|Grècia|Grèce|Griechenland
Turkey|Türkiye|Turquía|Turquia|Turquie|Türkei
Egypt|Egipto|Egipte|Égypte|Ägypten|Egitto
Hungary|Hungría|Hongria|Hongrie|Ungarn
Denmark|Dinamarca|Danemark|Dänemark|Danimarca
Sweden|Suecia|Suècia|Suède|Schweden|Svezia
Norway|Noruega|Norvège|Norwegen|Norvegia
Finland|Finlandia|Finlàndia|Finlande|Finnland
Poland|Polonia|Polònia|Pologne|Polen
Belgium|Bélgica|Bèlgica|Belgique|Belgien|Belgio
England|Inglaterra|Anglaterra|Angleterre|Inghilterra
Scotland|Escocia|Escòcia|Écosse|Schottland|Scozia
Wales|Gales|Gal·les|Pays de Galles
Ireland|Irlanda|Irlande|Irland
Spain|España|Espanya|Espagne|Spanien|Spagna|Espanha
Morocco|Marruecos|Marroc|Maroc|Marokko|Marocco|Marrocos
Lebanon|Líbano|Líban|Liban|Libanon
Jordan|Jordania|Jordània|Jordanie|Jordanien
Saudi Arabia|Arabia Saudí|Arabia Saudita|Aràbia Saudita|Arabie saoudite
United Arab Emirates|Emiratos Árabes Unidos|Emirats Àrabs Units|Émirats arabes unis
South Africa|Sudáfrica|Sud-àfrica|Afrique du Sud|Südafrika
New Zealand|Nueva Zelanda|Nova Zelanda|Nouvelle-Zélande|Neuseeland
South Korea|Corea del Sur|Corea del Sud|Corée du Sud|Südkorea
North Korea|Corea del Norte|Corea del Nord|Corée du Nord|Nordkorea
Philippines|Filipinas|Filipines|Philippinen
Ivory Coast|Costa de Marfil|Costa d'Ivori|Côte d'Ivoire
Czech Republic|Czechia|República Checa|Txèquia|República Txeca|Tchéquie
Croatia|Croacia|Croàcia|Croatie|Kroatien
Nova Scotia|Nueva Escocia|Nova Escòcia|Nouvelle-Écosse
Newfoundland|Terranova|Terranova
British Columbia|Columbia Británica|Colúmbia Britànica|Colombie-Britannique
London|Londres|Londra
New York|Nueva York|Nova York
New Orleans|Nueva Orleans|Nova Orleans|Nouvelle-Orléans
New Delhi|Nueva Delhi|Nova Delhi
Mexico City|Ciudad de México|Ciutat de Mèxic
Beijing|Peking|Pekín|Pequín|Pékin
Moscow|Moscú|Moscou|Moskau|Mosca
Geneva|Ginebra|Genève|Genf|Ginevra
Brussels|Bruselas|Brussel·les|Bruxelles|Brüssel
Lisbon|Lisboa|Lisbonne|Lissabon
Warsaw|Varsovia|Varsòvia|Varsovie|Warschau
Vienna|Viena|Vienne|Wien
Athens|Atenas|Atenes|Athènes|Athen|Atene
Munich|Múnich|Munic|München|Monaco di Baviera
Cologne|Colonia|Colònia|Köln
Florence|Florencia|Florència|Firenze|Florenz
Venice|Venecia|Venècia|Venise|Venedig|Venezia
Naples|Nápoles|Nàpols|Napoli|Neapel
Turin|Turín|Torí|Torino
Milan|Milán|Milà|Milano|Mailand
Rome|Roma|Rom
Cairo|El Cairo|el Caire|Le Caire|Kairo
Jerusalem|Jerusalén|Jerusalem|Jérusalem|Gerusalemme
Havana|La Habana|l'Havana|La Havane
Istanbul|Estambul|Istanbul|Istamboul
Constantinople|Constantinopla|Constantinoble|Konstantinopel
Seoul|Seúl|Seül
Tokyo|Tokio|Tòquio
St. Peter's Square|Saint Peter's Square|Plaza de San Pedro|Plaça de Sant Pere|Place Saint-Pierre|Petersplatz
Seven Sisters|Siete Hermanas|Set Germanes
"""


@functools.lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """Each form as its folded words, filed under its first word, longest first."""
    table: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for kind, line in enumerate(TRANSLATED_NAMES.strip().replace("\n|", "|").splitlines()):
        for form in line.split("|"):
            words = tuple(fold(w) for w in WORD.findall(form))
            if words:
                table.setdefault(words[0], []).append((words, kind))
    for forms in table.values():
        forms.sort(key=lambda entry: -len(entry[0]))
    return table


def translated_names(text: str) -> list[tuple[int, int, int]]:
    """(start, end, entity) of every form of a translated name in `text`, longest match first."""
    table = _by_first_word()
    matches = list(WORD.finditer(text))
    folded = [fold(m.group(0)) for m in matches]
    starts = [m.start() for m in matches]
    for k, word in enumerate(folded):  # "l'edat mitjana", "d'Alemanya": the name after the article
        head, apostrophe, tail = word.replace("’", "'").partition("'")
        if apostrophe and len(head) <= 2 and tail:
            folded[k], starts[k] = tail, starts[k] + len(head) + 1
    found: list[tuple[int, int, int]] = []
    k = 0
    while k < len(matches):
        for words, kind in table.get(folded[k], ()):
            if tuple(folded[k : k + len(words)]) == words:
                found.append((starts[k], matches[k + len(words) - 1].end(), kind))
                k += len(words) - 1
                break
        k += 1
    return found
