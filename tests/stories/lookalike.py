"""Two look-alike events (two earthquakes) that join one story at their first articles, when the
kind of event is all they tell, and part as their reports name their own places and people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babelwire.stories.wire import StoryArticle

T0 = datetime(2026, 3, 1, tzinfo=UTC)
COMMON = (
    "A strong earthquake struck the coast on Tuesday night, the seismology centre said.",
    "Rescue teams searched collapsed buildings as aftershocks shook the region.",
    "The government sent soldiers and doctors to the towns hit hardest by the quake.",
    "Schools stay closed while engineers inspect bridges, hospitals and roads.",
)
EVENTS = {
    "chile": ("Valparaiso", "Santiago", "Carolina Toha", "Vina del Mar", "Gabriel Boric", "Quilpue"),
    "turkey": ("Izmir", "Ankara", "Ali Yerlikaya", "Bayrakli", "Recep Erdogan", "Karsiyaka"),
}
# Other news before them, so the words of earthquakes are rare in the wire, as they are.
BACKGROUND = (
    "Markets in Tokyo fell as the yen rose against the dollar.",
    "Paris hosts a summit on climate and forests.",
    "Voters in Portugal elected a new parliament.",
    "The central bank kept interest rates unchanged.",
    "A new museum of modern art opened in Bilbao.",
    "The football league suspended a coach for a year.",
    "Farmers protested against fuel prices in Brussels.",
    "A court in Berlin jailed a former minister for fraud.",
    "Wildfires burned forests in Canada for a second week.",
    "The film festival in Venice gave its prize to a debut.",
)


def background() -> list[StoryArticle]:
    return [StoryArticle(f"news-{n}", text.split(" ")[0], text, T0) for n, text in enumerate(BACKGROUND)]


def reports(count: int = 7) -> list[StoryArticle]:
    """`count` reports of each event, taking turns, an hour apart: the first of each tells only
    the kind of event, the later ones their own names (keys "chile-3", "turkey-0", ...)."""
    articles = []
    for day in range(count):
        for event, names in EVENTS.items():
            a, b, c, d, e, f = names[day % 6 :] + names[: day % 6]
            common = " ".join(COMMON[k % 4] for k in range(day, day + 3))
            text = (
                f"{common}\nIn {a}, {c} visited {d} on day {day + 1}. {e} said {b} and {f} would be rebuilt."
                if day
                else f"{common}\n{a} counted its dead."
            )
            when = T0 + timedelta(hours=len(articles) + 1)
            articles.append(StoryArticle(f"{event}-{day}", f"Earthquake: {a}", text, when))
    return articles
