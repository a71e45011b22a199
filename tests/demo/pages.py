"""What the demo-paper tests share: each paper rendered at one address and extracted as the wire does."""

from __future__ import annotations

from dataclasses import dataclass

from babelwire.demo.papers import Paper
from babelwire.demo.site import DemoArticle, load_articles, render_site
from babelwire.domain import Document, Page
from babelwire.extract import extract_document

BASE = "http://127.0.0.1:8999"


@dataclass(frozen=True)
class Extracted:
    """One article of a paper: as written in its data file, and as extraction read its page."""

    paper: Paper
    article: DemoArticle
    document: Document

    @property
    def key(self) -> str:
        return f"{self.paper.key}/{self.article.slug}"

    @property
    def text(self) -> str:
        """The text the stories stage fingerprints: the extracted title and body."""
        return f"{self.document.title}\n{self.document.body_text}"


def extracted(paper: Paper) -> list[Extracted]:
    """Every article page of `paper`, newest first, through the real extractor."""
    articles = load_articles(paper)
    routes = render_site(BASE, articles, paper=paper)
    out = []
    for article in articles:
        url = BASE + article.path
        html = routes[article.path].body.decode("utf-8")
        page = Page(url=url, final_url=url, status=200, content_type="text/html; charset=utf-8", html=html)
        out.append(Extracted(paper, article, extract_document(page)))
    return out
