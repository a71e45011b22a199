"""Story clustering on real news: babelwire's online clusterer against TF-IDF + average linkage.

    .venv/bin/python benchmarks/stories.py [--sizes 10000,100000]

- ECB+ (772 English articles, gold story ids; each topic holds two look-alike events):
  B-cubed precision/recall/F1 and pairwise F1, articles processed once, in file order, as the
  wire would; the baseline clusters the whole set at once (scikit-learn, cosine distance 0.8).
- ECB+ en+es: every other article translated into Spanish with Apertium, then clustered as the
  wire would on an English site (the Spanish ones translated back into English first);
- SemEval-2022 Task 8 training pairs: Pearson between each method's similarity and the
  annotators' "same story" score (5 - overall), per language pair and overall; the baseline's
  cosine also under the square root that babelwire's score takes.
- Throughput and peak memory of the clusterer at N stored articles (new versions of ECB+ texts,
  half their sentences each, with dates spread over N/500 days, so the story window holds a
  wire's worth of recent news; the copies column says how many the copy detector caught).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
import tracemalloc
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from babelwire.stories.terms import story_terms
from babelwire.stories.vectors import DocumentFrequencies
from babelwire.stories.wire import StoryArticle, StoryClusterer, final_stories, same_story_score

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "clustering-dev"
BASELINE_DISTANCE = 0.8


def bcubed(predicted: list[str], gold: list[str]) -> tuple[float, float, float]:
    by_predicted: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for index, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_predicted[p].add(index)
        by_gold[g].add(index)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        shared = len(by_predicted[p] & by_gold[g])
        precision += shared / len(by_predicted[p])
        recall += shared / len(by_gold[g])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def pairwise_f1(predicted: list[str], gold: list[str]) -> float:
    true_positive = predicted_pairs = gold_pairs = 0
    for (p1, g1), (p2, g2) in itertools.combinations(zip(predicted, gold, strict=True), 2):
        predicted_pairs += p1 == p2
        gold_pairs += g1 == g2
        true_positive += p1 == p2 and g1 == g2
    precision, recall = true_positive / predicted_pairs, true_positive / gold_pairs
    return 2 * precision * recall / (precision + recall)


def ours(rows: list[dict[str, str]]) -> list[str]:
    clusterer = StoryClusterer()
    stories = final_stories(clusterer.place(article(r)) for r in rows)
    return [str(stories[r["id"]]) for r in rows]


def article(row: dict[str, str]) -> StoryArticle:
    """A row as the wire sees it: translated ones keep their original as the source."""
    source = (row["source_title"], row["source_text"]) if "source_text" in row else None
    return StoryArticle(row["id"], row["title"], row["text"], source=source)


def baseline(rows: list[dict[str, str]]) -> list[str]:
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(r["text"] for r in rows)
    clustering = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=BASELINE_DISTANCE
    )
    return [str(label) for label in clustering.fit_predict(matrix.toarray())]


def apertium(texts: list[str], source: str, target: str) -> list[str]:
    """Each text's lines through Apertium, in one batch (the engine babelwire runs)."""
    from html import escape, unescape

    from babelwire.translate.engines.apertium import ApertiumEngine

    lines = [text.splitlines() or [""] for text in texts]
    flat = [escape(line, quote=False) for group in lines for line in group]
    translated = iter(unescape(t) for t in ApertiumEngine().translate(flat, source, target))
    return ["\n".join(next(translated) for _ in group) for group in lines]


def mixed(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """ECB+ with every other article in Spanish, brought back to English as the wire would (the
    Spanish kept as the source, whose names and numbers the wire compares)."""
    spanish = rows[1::2]
    there = apertium([f"{r['title']}\n{r['text']}" for r in spanish], "en", "es")
    back = apertium(there, "es", "en")
    mix = list(rows)
    for index, text, original in zip(range(1, len(rows), 2), back, there, strict=True):
        title, _, body = text.partition("\n")
        source_title, _, source_text = original.partition("\n")
        mix[index] = {
            **rows[index],
            "title": title,
            "text": body,
            "source_title": source_title,
            "source_text": source_text,
        }
    return mix


def semeval(pairs: list[dict[str, object]]) -> dict[str, tuple[int, float, float, float]]:
    """Per pair group: n, Pearson of babelwire's score, of TF-IDF's cosine and of its root (the
    transform babelwire's score applies, so the baseline gets it too)."""
    texts = [str(p[k]) for p in pairs for k in ("text1", "text2")]
    frequencies = DocumentFrequencies()
    for text in texts:
        frequencies.add(story_terms("", text))
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    plain = np.asarray(matrix[0::2].multiply(matrix[1::2]).sum(axis=1)).ravel()
    scores = np.array([same_story_score(str(p["text1"]), str(p["text2"]), frequencies) for p in pairs])
    groups: dict[str, list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        groups[f"{pair['lang1']}-{pair['lang2']}"].append(index)
        groups["all"].append(index)
    gold = np.array([5 - float(str(p["overall"])) for p in pairs])

    def pearson(values: np.ndarray, ix: list[int]) -> float:
        return float(np.corrcoef(values[ix], gold[ix])[0, 1])

    return {
        name: (len(ix), pearson(scores, ix), pearson(plain, ix), pearson(np.sqrt(plain), ix))
        for name, ix in sorted(groups.items())
    }


def versions(rows: list[dict[str, str]], size: int) -> list[StoryArticle]:
    """`size` arrivals, each a new version of a random ECB+ article: half its sentences, in order,
    under one of them as title. Few are copies (estimated Jaccard under 0.8), so nearly every
    arrival is placed in a story by the clusterer, the costly path."""
    chance = random.Random(size)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    span = timedelta(days=size / 500)
    arrivals = []
    for index in range(size):
        lines = chance.choice(rows)["text"].splitlines() or [""]
        kept = sorted(chance.sample(range(len(lines)), max(1, len(lines) // 2)))
        text = "\n".join(lines[k] for k in kept)
        arrivals.append(StoryArticle(f"a{index}", lines[kept[0]], text, start + span * (index / size)))
    return arrivals


def throughput(rows: list[dict[str, str]], size: int) -> tuple[float, float, int]:
    """Articles/s, peak traced MB and copies found by the clusterer over `size` arrivals."""
    articles = versions(rows, size)
    clusterer = StoryClusterer()
    began = time.perf_counter()
    copies = sum(clusterer.place(article).copy_of is not None for article in articles)
    elapsed = time.perf_counter() - began
    tracemalloc.start()  # a second run for memory: tracing slows the first one's clock
    clusterer = StoryClusterer()
    for article in articles:
        clusterer.place(article)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return size / elapsed, peak, copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="stored-article counts for throughput")
    args = parser.parse_args()
    console = Console()
    ecb = [json.loads(line) for line in (DATA / "ecbplus-dev.jsonl").open()]
    gold = [r["story"] for r in ecb]
    table = Table("set", "method", "B3 P", "B3 R", "B3 F1", "pairwise F1", title="ECB+ story clusters")
    for label, articles in (("ECB+ en", ecb), ("ECB+ en+es (Apertium)", mixed(ecb))):
        for name, method in (("babelwire (online)", ours), ("TF-IDF + average linkage", baseline)):
            predicted = method(articles)
            p, r, f = bcubed(predicted, gold)
            pairwise = pairwise_f1(predicted, gold)
            table.add_row(label, name, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", f"{pairwise:.3f}")
    console.print(table)
    pairs = [json.loads(line) for line in (DATA / "semeval2022-task8-train.jsonl").open()]
    table = Table(
        "pairs", "n", "babelwire Pearson", "TF-IDF cosine", "TF-IDF √cosine", title="SemEval-2022 Task 8"
    )
    for name, (count, mine, plain, root) in semeval(pairs).items():
        table.add_row(name, str(count), f"{mine:.3f}", f"{plain:.3f}", f"{root:.3f}")
    console.print(table)
    table = Table(
        "stored articles", "articles/s", "peak MB (tracemalloc)", "copies", title="clusterer throughput"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        rate, peak, copies = throughput(ecb, size)
        table.add_row(f"{size:,}", f"{rate:,.0f}", f"{peak:,.0f}", f"{copies:,}")
    console.print(table)


if __name__ == "__main__":
    main()
