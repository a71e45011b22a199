"""Reader pages: home per language and article pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from babelwire.store.articles import count_articles, get_article, latest_articles
from babelwire.web.deps import AppSettings, DbSession, check_language, render

PAGE_SIZE = 20
router = APIRouter()


@router.get("/{lang}/", response_class=HTMLResponse)
def home(
    request: Request,
    lang: str,
    session: DbSession,
    settings: AppSettings,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    check_language(settings, lang)
    total = count_articles(session, lang)
    articles = latest_articles(session, lang, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(request, "home.html", lang=lang, articles=articles, page=page, pages=pages, total=total)


@router.get("/{lang}/articles/{article_id}", response_class=HTMLResponse)
def article(
    request: Request, lang: str, article_id: int, session: DbSession, settings: AppSettings
) -> HTMLResponse:
    check_language(settings, lang)
    found = get_article(session, lang, article_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such article in this language")
    others = [
        code for code in settings.target_languages if code != lang and get_article(session, code, article_id)
    ]
    return render(request, "article.html", lang=lang, article=found, other_languages=others)
