"""Site chrome in a translation: "Skip to content", share buttons, cookie banners, "Read more".

Extraction should have removed it (seed defect #1 opened the article with "Skip to content");
when some gets through, translated or not, it must not be published as part of the story. The
phrases are listed per language below and looked for in every language at once, since chrome
often passes the engine untranslated. Whole phrases only, case-insensitively, on word
boundaries: "cookies" alone is food, "we use cookies to" is a banner.

Two kinds of phrase. Site-voice phrases ("sign up for our newsletter", "all rights reserved")
are chrome wherever they stand. Generic ones ("read more", "comments", "advertisement") are
chrome only when they make up the sentence ("Advertisement", "Read more: ...", "12 comments");
inside a sentence of news they are words ("he declined to make comments"). Neither kind counts
when it is quoted: a story about a cookie banner may quote one. A source sentence made of the
same chrome in its own language is still chrome, so the source does not excuse the target.
"""

from __future__ import annotations

import functools
import re

from babelwire.review.checks._text import finding, pairs, plain, quoted, words
from babelwire.review.checks._words import word_set
from babelwire.review.findings import Finding, ReviewContext, Severity

CHECK = "boilerplate"
# Chrome wherever it appears: the site talking about itself. "|" separates phrases.
_SITE_VOICE = {
    "en": "skip to content|skip to main content|skip to navigation|share on facebook|share on twitter"
    "|share on whatsapp|share on linkedin|share this article|share this story|sign up for our newsletter"
    "|subscribe to our newsletter|we use cookies|this website uses cookies|this site uses cookies"
    "|accept all cookies|accept cookies|cookie settings|all rights reserved|follow us on|click here to"
    "|you may also like|leave a comment|log in to comment|related stories|related articles",
    "es": "saltar al contenido|ir al contenido|compartir en facebook|compartir en twitter"
    "|compartir en whatsapp|comparte este artículo|suscríbete a nuestro boletín"
    "|suscríbete a nuestra newsletter|utilizamos cookies"
    "|usamos cookies|este sitio web utiliza cookies|este sitio utiliza cookies|aceptar cookies"
    "|todos los derechos reservados|síguenos en|haz clic aquí|te puede interesar|también te puede interesar"
    "|deja un comentario|noticias relacionadas|artículos relacionados",
    "ca": "salta al contingut|ves al contingut|comparteix a facebook|comparteix a twitter"
    "|comparteix a whatsapp|subscriu-te al butlletí|utilitzem galetes|utilitzem cookies"
    "|aquest web utilitza galetes"
    "|aquest lloc web utilitza cookies|acceptar galetes|tots els drets reservats|segueix-nos a|fes clic aquí"
    "|et pot interessar|deixa un comentari|notícies relacionades",
    "fr": "aller au contenu|passer au contenu|partager sur facebook|partager sur twitter"
    "|partager sur whatsapp|partager cet article|inscrivez-vous à notre newsletter"
    "|abonnez-vous à notre newsletter"
    "|nous utilisons des cookies|ce site utilise des cookies|accepter les cookies|tous droits réservés"
    "|suivez-nous sur|cliquez ici|vous aimerez aussi|laisser un commentaire|articles similaires|à lire aussi",
    "de": "zum inhalt springen|direkt zum inhalt|auf facebook teilen|auf twitter teilen|auf whatsapp teilen"
    "|artikel teilen|newsletter abonnieren|melden sie sich für unseren newsletter an|wir verwenden cookies"
    "|diese website verwendet cookies|cookies akzeptieren|alle rechte vorbehalten|folgen sie uns auf"
    "|hier klicken|das könnte sie auch interessieren|kommentar schreiben|ähnliche artikel",
    "it": "vai al contenuto|salta al contenuto|condividi su facebook|condividi su twitter"
    "|condividi su whatsapp|iscriviti alla nostra newsletter|utilizziamo i cookie"
    "|questo sito utilizza cookie|usiamo i cookie"
    "|accetta i cookie|tutti i diritti riservati|seguici su|clicca qui|potrebbe interessarti"
    "|lascia un commento|articoli correlati",
    "pt": "saltar para o conteúdo|ir para o conteúdo|pular para o conteúdo|compartilhar no facebook"
    "|partilhar no facebook|compartilhar no twitter|compartilhar no whatsapp|assine nossa newsletter"
    "|subscreva a nossa newsletter|utilizamos cookies|usamos cookies|este site utiliza cookies"
    "|aceitar cookies|todos os direitos reservados|siga-nos no|clique aqui|você também pode gostar"
    "|deixe um comentário|notícias relacionadas|artigos relacionados",
    "ru": "перейти к содержанию|поделиться в facebook|поделиться в twitter|поделиться в telegram"
    "|подпишитесь на нашу рассылку|подписаться на рассылку|мы используем файлы cookie|мы используем cookie"
    "|этот сайт использует файлы cookie|принять cookie|все права защищены|подписывайтесь на нас"
    "|нажмите здесь|вам также может понравиться|оставить комментарий|похожие новости",
    "uk": "перейти до вмісту|поділитися у facebook|поділитися в facebook|поділитися в telegram"
    "|підпишіться на нашу розсилку|ми використовуємо файли cookie|ми використовуємо cookie"
    "|цей сайт використовує файли cookie|прийняти cookie|всі права захищені|усі права захищені"
    "|підписуйтесь на нас|натисніть тут|вам також може сподобатися|залишити коментар|схожі новини",
}
# Chrome only when it is (nearly) the whole sentence: as words of a sentence they are news.
_GENERIC = {
    "en": "read more|read also|see also|comments|comment|advertisement|sponsored|share|print|related"
    "|newsletter|subscribe|menu|search|home|next article|previous article|tags|follow us|most read"
    "|back to top|print this page|copy link|terms of use|privacy policy|cookie policy",
    "es": "leer más|lee también|ver también|comentarios|comentario|publicidad|anuncio|patrocinado"
    "|compartir|imprimir|relacionado|suscríbete|menú|buscar|inicio|etiquetas|síguenos|volver arriba"
    "|aviso legal|política de privacidad|lo más leído|política de cookies|aceptar todas",
    "ca": "llegeix més|llegiu més|vegeu també|comentaris|comentari|publicitat|anunci|patrocinat"
    "|comparteix|imprimeix|relacionat|subscriu-te|menú|cerca|inici|etiquetes|segueix-nos|el més llegit"
    "|torna amunt|avís legal|política de privadesa|política de galetes",
    "fr": "lire la suite|lire aussi|voir aussi|commentaires|commentaire|publicité|sponsorisé|partager"
    "|imprimer|s'abonner|abonnez-vous|menu|rechercher|accueil|suivez-nous|les plus lus|retour en haut"
    "|mentions légales|politique de confidentialité|tout accepter|politique de cookies",
    "de": "weiterlesen|mehr lesen|lesen sie auch|siehe auch|kommentare|kommentar|anzeige|werbung"
    "|gesponsert|teilen|drucken|abonnieren|menü|suche|startseite|folgen sie uns|meistgelesen|nach oben"
    "|datenschutzerklärung|alle akzeptieren|cookie-richtlinie",
    "it": "leggi di più|leggi anche|vedi anche|commenti|commento|pubblicità|sponsorizzato|condividi"
    "|stampa|iscriviti|menu|cerca|seguici|i più letti|torna su|accetta tutti|informativa sui cookie",
    "pt": "leia mais|ler mais|leia também|veja também|comentários|comentário|publicidade|patrocinado"
    "|compartilhar|partilhar|imprimir|assine|menu|pesquisar|início|siga-nos|mais lidas|voltar ao topo"
    "|política de cookies",
    "ru": "читать далее|подробнее|читайте также|см. также|комментарии|комментарий|реклама|поделиться"
    "|печать|подписаться|меню|поиск|главная|самое читаемое|наверх",
    "uk": "читати далі|детальніше|читайте також|див. також|коментарі|коментар|реклама|поділитися|друк"
    "|підписатися|меню|пошук|головна|найпопулярніше",
}
_QUOTED = re.compile(r"[\"“«„‘]([^\"”»“‘’]{1,200})[\"”»“’]")
# Words that may stand beside a generic phrase without making the sentence news.
_FILLER = word_set("and or y i e et und o и і та the a an on in en à sur su no em auf в у на")
_MAX_REST = 2


def check_boilerplate(context: ReviewContext) -> list[Finding]:
    """Report translated sentences holding site chrome rather than news."""
    findings: list[Finding] = []
    for pair in pairs(context):
        target = plain(pair.target)
        if not target.strip():
            continue
        unquoted = _QUOTED.sub(" ", target)
        voice = [m.group(0) for m in _pattern(site_voice=True).finditer(unquoted)]
        chrome = voice
        if not voice:
            generic = [m.group(0) for m in _pattern(site_voice=False).finditer(unquoted)]
            if generic and _only_chrome(unquoted, generic):
                chrome = generic
        if chrome:
            listed = ", ".join(quoted(phrase) for phrase in dict.fromkeys(chrome))
            message = f"translation holds site chrome, not news: {listed}"
            findings.append(finding(CHECK, pair, Severity.ERROR, message))
    return findings


def _only_chrome(text: str, phrases: list[str]) -> bool:
    """Is the sentence nothing but these phrases (and a little filler, numbers, a title after ':')?"""
    head = text
    for separator in (":", "»", "→", "|", "›"):
        before, found, _ = text.partition(separator)
        if found and _pattern(site_voice=False).fullmatch(before.strip()):
            return True  # "Read more: Biden and Putin speak" — a link to another story
    for phrase in phrases:
        head = re.sub(re.escape(phrase), " ", head, flags=re.IGNORECASE)
    rest = [w for w in words(head) if w.lower() not in _FILLER]
    return len(rest) <= _MAX_REST and len(rest) < len(words(text))


@functools.lru_cache(maxsize=2)
def _pattern(*, site_voice: bool) -> re.Pattern[str]:
    table = _SITE_VOICE if site_voice else _GENERIC
    phrases = sorted({p for lang in table.values() for p in lang.split("|")}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
