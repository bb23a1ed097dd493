"""Knowledge-base benchmark: help-center search over N articles and workspace suggestions on
a database of a million tickets (in-process, through the same selectors and view the pages use).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated copy of csops_bench_1m> \\
        .venv/bin/python bench/helpcenter.py [--articles 10000] [--runs 300]

1. Loads ``--articles`` public articles (once: a re-run finds them) in bulk: documents, one
   published version each and the article rows with their search vectors, in one UPDATE.
   The text comes from a fixed vocabulary of customer-service words (seeded, reproducible).
2. Times ``selectors.search`` over the help center's public articles for queries of one to
   three words (some matching nothing), and the whole ``/help/search/`` view through the
   test client (template included). Goal (issue 17): p95 ≤ 50 ms.
3. Times ``tickets.knowledge.selectors.suggested_articles`` (the workspace panel: the ticket's
   subject and the customer's latest message, then the ranked article search) for random
   tickets of the database. Goal: ≤ 50 ms at 1,000,000 tickets.

Writes go only to the database named by DATABASE_URL; use a copy, not a shared bench database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.postgres.search import SearchVector  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from policies.knowledge import selectors  # noqa: E402
from policies.knowledge.models import Article, ArticleCategory, ArticleSection  # noqa: E402
from policies.markup import render_markdown  # noqa: E402
from policies.models import PolicyDocument, PolicyVersion  # noqa: E402
from tickets.knowledge.selectors import suggested_articles  # noqa: E402
from tickets.models import Ticket  # noqa: E402

WORDS = [
    "refund",
    "order",
    "delivery",
    "parcel",
    "tracking",
    "invoice",
    "payment",
    "card",
    "declined",
    "password",
    "account",
    "login",
    "address",
    "change",
    "cancel",
    "return",
    "exchange",
    "warranty",
    "damaged",
    "missing",
    "item",
    "courier",
    "shipping",
    "customs",
    "duty",
    "voucher",
    "gift",
    "discount",
    "subscription",
    "renewal",
    "billing",
    "receipt",
    "vat",
    "email",
    "verification",
    "security",
    "privacy",
    "data",
    "delete",
    "export",
    "mobile",
    "app",
    "notification",
    "store",
    "pickup",
    "locker",
    "size",
    "fit",
    "colour",
    "stock",
    "backorder",
    "preorder",
    "price",
    "match",
    "bank",
    "transfer",
    "paypal",
    "installment",
    "credit",
    "chargeback",
    "dispute",
    "label",
    "printer",
    "packaging",
    "recycle",
    "battery",
    "charger",
    "screen",
    "repair",
    "replacement",
    "manual",
    "setup",
    "install",
    "update",
    "firmware",
    "bluetooth",
    "wifi",
]
# Made-up words (consonant-vowel syllables) for the rest of each text: a large vocabulary, as
# real articles have, so that each topic word is found in a few percent of the articles.
FILLER = [
    a + b + c
    for a in ("ba", "ko", "mi", "tu", "re", "sa", "lo", "ne", "fi", "du")
    for b in ("ran", "mel", "tos", "pik", "dur", "sen", "vol", "gar", "lim", "hux")
    for c in ("a", "o", "is", "um", "et", "an", "ik", "ot", "es", "ur")
]
QUERIES = [
    "refund", "parcel tracking", "password reset", "change delivery address", "card declined",
    "warranty repair", "gift voucher", "vat invoice", "bluetooth setup", "chargeback dispute",
    "return label printer", "holographic unicorn",  # the last finds nothing
]  # fmt: skip


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def load_articles(n: int, rng: random.Random) -> int:
    have = Article.objects.filter(slug__startswith="bench-").count()
    if have >= n:
        return 0
    author = User.objects.filter(groups__name="Manager").first() or User.objects.first()
    now = timezone.now()
    with transaction.atomic():
        category, _ = ArticleCategory.objects.get_or_create(
            slug="bench", defaults={"name": "Bench"}
        )
        sections = [
            ArticleSection.objects.get_or_create(
                category=category, slug=f"bench-{i}", defaults={"name": f"Bench {i}"}
            )[0]
            for i in range(20)
        ]
        for start in range(have, n, 1000):
            size = min(1000, n - start)
            texts = []
            for i in range(start, start + size):
                topic = rng.sample(WORDS, 3)
                title = " ".join(topic).capitalize()
                paragraphs = []
                for _ in range(6):
                    words = rng.choices(FILLER, k=36) + rng.choices(topic, k=4)
                    rng.shuffle(words)
                    paragraphs.append(" ".join(words) + ".")
                texts.append((i, title, "\n\n".join(paragraphs)))
            docs = PolicyDocument.objects.bulk_create(
                PolicyDocument(title=t, kind="article", owner=author, created_at=now,
                               updated_at=now)
                for _, t, _ in texts
            )  # fmt: skip
            versions = PolicyVersion.objects.bulk_create(
                PolicyVersion(document=d, number=1, state="published", body=b,
                              body_html=render_markdown(b), effective_date=now.date(),
                              author=author, created_at=now, updated_at=now, published_at=now)
                for d, (_, _, b) in zip(docs, texts, strict=True)
            )  # fmt: skip
            Article.objects.bulk_create(
                Article(document=d, section=sections[i % 20], visibility="public",
                        slug=f"bench-{i}", current_version=v, title=t, body_text=b,
                        body_html=v.body_html, published_at=now)
                for d, v, (i, t, b) in zip(docs, versions, texts, strict=True)
            )  # fmt: skip
        Article.objects.filter(slug__startswith="bench-", search_vector__isnull=True).update(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("body_text", weight="B", config="english")
        )
    with connection.cursor() as cur:  # as autovacuum would: the GIN pending list merged
        cur.execute("VACUUM ANALYZE policies_article")
    return n - have


def timed(fn, runs: int) -> list[float]:
    samples = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def report(name: str, samples: list[float], goal_ms: float) -> dict:
    p50, p95 = pct(samples, 50), pct(samples, 95)
    verdict = "meets" if p95 <= goal_ms else "MISSES"
    show(f"{name:<38} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({verdict} p95 ≤ {goal_ms:g} ms)")
    return {"name": name, "p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "goal_ms": goal_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    made = load_articles(args.articles, rng)
    live = selectors.public_articles().count()
    tickets = Ticket.objects.count()
    show(f"articles: {live} live public ({made} loaded in {time.perf_counter() - t0:.0f} s); "
         f"tickets: {tickets:,}")  # fmt: skip
    results = []
    public = selectors.public_articles()
    for q in QUERIES[:3]:  # warm the caches
        selectors.search(public, q)
    results.append(report(
        "help-center search (selector)",
        timed(lambda i: selectors.search(public, QUERIES[i % len(QUERIES)]), args.runs), 50,
    ))  # fmt: skip

    setup_test_environment()
    client = Client()
    os.environ.setdefault("HELP_SEARCH_RATE", "100000/m")

    def view(i: int) -> None:
        response = client.get("/help/search/", {"q": QUERIES[i % len(QUERIES)]})
        assert response.status_code == 200, response.status_code

    from django.conf import settings

    settings.HELP_SEARCH_RATE = "100000/m"
    results.append(report("help-center search (/help/search/)", timed(view, args.runs), 50))

    rep = User.objects.filter(groups__name="Rep").first()
    max_pk = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = [rng.randint(1, max_pk) for _ in range(args.runs * 2)]
    ids = list(Ticket.objects.filter(pk__in=picks).values_list("pk", flat=True))[: args.runs]

    def suggest(i: int) -> None:
        ticket = Ticket.objects.get(pk=ids[i % len(ids)])
        suggested_articles(ticket, rep)

    suggest(0)
    results.append(report(f"workspace suggestions ({tickets:,} tickets)",
                          timed(suggest, len(ids)), 50))  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "helpcenter.json").write_text(
        json.dumps({"articles": live, "tickets": tickets, "results": results}, indent=2)
    )


if __name__ == "__main__":
    main()
