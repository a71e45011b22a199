"""schema.org NewsArticle JSON-LD for an article page, with its provenance as data.

`isBasedOn` (and `translationOfWork`) name the original, `translator` the engine and model, so a
crawler learns what a reader learns from the notice. The element is a data block: browsers do not
execute `type="application/ld+json"`, so the CSP's `script-src 'self'` neither blocks nor needs to
allow it. It is still parsed by the HTML tokenizer, which ends it at the first `</script`: every
`<`, `>` and `&` in the JSON is written as a \\u escape, so no title can close the element early.
"""

from __future__ import annotations

import json
from datetime import datetime

from markupsafe import Markup

from babelwire.config import Settings
from babelwire.store.articles import PublishedArticle
from babelwire.web.dates import iso_datetime, last_change, publication_date
from babelwire.web.rendering import web_url

# JSON allows these escapes anywhere in a string; HTML then never sees a tag, entity or comment.
# U+2028/9 are escaped too: harmless in JSON, line breaks to a JavaScript consumer.
_HTML_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)

LOGO_PATH = "/static/logo.png"  # made by scripts/make_logo.py: Google wants a raster publisher logo
LOGO_SIZE = 192


def _date(value: datetime | None) -> str | None:
    return iso_datetime(value) or None


def _without_empty(data: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def news_article_data(article: PublishedArticle, settings: Settings) -> dict[str, object]:
    """The NewsArticle as a dict (the API or tests may want it without the <script> wrapper)."""
    base = settings.base_url.rstrip("/")
    url = f"{base}/{article.language}/articles/{article.id}"
    source = _without_empty(
        {"@type": "Organization", "name": article.source_name, "url": web_url(article.source_url)}
    )
    original_url = web_url(article.original_url)
    original = _without_empty(
        {
            "@type": "NewsArticle",
            "@id": original_url,
            "url": original_url,
            "headline": article.original_title,
            "name": article.original_title,
            "inLanguage": article.source_language,
            "datePublished": _date(article.published),
            "author": {"@type": "Person", "name": article.author} if article.author else None,
            "publisher": source,
        }
    )
    author = {"@type": "Person", "name": article.author} if article.author else source
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title,
        "inLanguage": article.language,
        # The same dates as the page's "Published" and the feeds; the translation's own is dateModified.
        "datePublished": _date(publication_date(article)),
        "dateModified": _date(last_change(article)),
        "author": author,
        "publisher": {
            "@type": "Organization",
            "name": settings.site_title,
            "url": f"{base}/",
            "logo": {
                "@type": "ImageObject",
                "url": f"{base}{LOGO_PATH}",
                "width": LOGO_SIZE,
                "height": LOGO_SIZE,
            },
        },
        "isBasedOn": original,
        "image": web_url(article.lead_image),
    }
    if article.is_machine_translated:
        data["translationOfWork"] = {"@id": original_url} if original_url else original
        # schema.org's translator is a Person or an Organization; the engine is software, said twice.
        data["translator"] = {
            "@type": "Organization",
            "additionalType": "https://schema.org/SoftwareApplication",
            "name": article.engine,
            "identifier": article.model_version,
            "description": f"Machine translation: {article.engine}, model {article.model_version}",
        }
    return _without_empty(data)


def json_for_html(data: object) -> str:
    """JSON that is inert inside an HTML <script> element (no `</script>`, no `<!--`)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_HTML_SAFE)


def news_article_jsonld(article: PublishedArticle, settings: Settings) -> Markup:
    """The complete `<script type="application/ld+json">` element, to put in the page head as is."""
    body = json_for_html(news_article_data(article, settings))
    return Markup('<script type="application/ld+json">{}</script>').format(Markup(body))  # noqa: S704 - escaped above
