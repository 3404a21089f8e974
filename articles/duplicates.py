"""Recognising a story reached twice: by its canonical URL, then by near-copy text.

Near-copies are found with MinHash signatures and locality-sensitive hashing (datasketch).
The signature of an article's word shingles is cut into bands as datasketch's `MinHashLSH`
cuts it, and each band's key is stored in `ArticleShingleBand`, indexed on (band, key).
Looking an incoming text up is then one indexed query for the few articles sharing a band
key, whatever the size of the corpus, instead of comparing it with every article; keeping
the index in the database rather than in a `MinHashLSH` held by one process means every web
process and worker sees the same index, it survives restarts, and it is written in the same
transaction as the article. The few candidates found are confirmed by the Jaccard similarity
of their signatures, and only articles of the last `NEWSDESK_DUPLICATE_WINDOW_DAYS` are kept.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from datasketch import MinHash, MinHashLSH
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import source_urls
from .models import Article, ArticleShingleBand, Outlet

NUM_PERM = 64
# Words per shingle: three keeps a rewrite apart from a copy with a few edits.
SHINGLE_WORDS = 3
# Estimated Jaccard similarity of shingles from which a text counts as a copy: a wire copy
# with a new headline and a trimmed sentence scores about 0.8, a rewrite of the same news
# under 0.1.
NEAR_COPY_THRESHOLD = 0.5
# The bands are cut for a lower similarity, so that a copy near the threshold is rarely
# missed: at 0.5 it shares a band with its original two times in three, at 0.6 nine in ten.
LSH_THRESHOLD = 0.4
# At most this many articles sharing a band are compared, the most recent first.
MAX_CANDIDATES = 20
WORD = re.compile(r"\w+")


@dataclass
class Duplicate:
    article: Article
    reason: str
    syndicated: bool


def find_duplicate(
    *, url: str, canonical_url: str = "", title: str, body: str, outlet: Outlet | None = None
) -> Duplicate | None:
    """Return the article already holding this story, or None if it is new.

    A near-copy of an article on another outlet is `syndicated`: to be linked to it, not
    dropped.
    """
    addresses = {source_urls.canonical_url(address) for address in (url, canonical_url)} - {""}
    if addresses:
        same_url = Article.objects.filter(canonical_url__in=addresses).order_by("pk").first()
        if same_url is not None:
            return Duplicate(article=same_url, reason="same canonical URL", syndicated=False)
    minhash = text_minhash(title, body)
    original = _near_copy(minhash)
    if original is None:
        return None
    syndicated = outlet is not None and original.outlet_id != outlet.pk
    return Duplicate(article=original, reason="near-copy of the text", syndicated=syndicated)


def article_index_text(*, article_id: int) -> None:
    """Store the band keys of an article's text, so that later copies of it are found.

    Safe to run twice: the article's keys are replaced, and left as they are when its text
    has not changed since (a feed's story is indexed at intake, then again once tagged).
    """
    article = Article.objects.filter(pk=article_id).only("title", "body").first()
    if article is None:
        return
    keys = band_keys(text_minhash(article.title, article.body))
    stored = dict(
        ArticleShingleBand.objects.filter(article_id=article_id).values_list("band", "key")
    )
    if stored == dict(enumerate(keys)):
        return
    with transaction.atomic():
        ArticleShingleBand.objects.filter(article_id=article_id).delete()
        ArticleShingleBand.objects.bulk_create(
            ArticleShingleBand(article_id=article_id, band=band, key=key)
            for band, key in enumerate(keys)
        )


def text_minhash(title: str, body: str) -> MinHash:
    """Return the MinHash signature of a text's word shingles, case and accents folded."""
    words = text_words(f"{title}\n{body}")
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(shingles)
    return minhash


def band_keys(minhash: MinHash) -> list[int]:
    """Return one 64-bit key per LSH band of the signature, bands as datasketch cuts them."""
    return [
        int.from_bytes(
            hashlib.blake2b(minhash.hashvalues[start:end].tobytes(), digest_size=8).digest(),
            "big",
            signed=True,
        )
        for start, end in _bands()
    ]


@cache
def _bands() -> list[tuple[int, int]]:
    # datasketch picks the number of bands and rows that best separate the threshold.
    return MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges


def _near_copy(minhash: MinHash) -> Article | None:
    window_start = timezone.now() - timezone.timedelta(days=settings.NEWSDESK_DUPLICATE_WINDOW_DAYS)
    sharing = Q()
    for band, key in enumerate(band_keys(minhash)):
        sharing |= Q(band=band, key=key)
    candidate_ids = (
        ArticleShingleBand.objects.filter(sharing)
        .filter(
            Q(article__published_at__gte=window_start)
            | Q(article__published_at__isnull=True, article__created_at__gte=window_start)
        )
        .order_by("-article_id")
        .values_list("article_id", flat=True)
        .distinct()[:MAX_CANDIDATES]
    )
    best, best_similarity = None, 0.0
    for candidate in Article.objects.filter(pk__in=list(candidate_ids)).order_by("pk"):
        similarity = minhash.jaccard(text_minhash(candidate.title, candidate.body))
        if similarity >= NEAR_COPY_THRESHOLD and similarity > best_similarity:
            best, best_similarity = candidate, similarity
    # A copy of a copy leads back to the original.
    if best is not None and best.syndicated_from_id:
        return best.syndicated_from
    return best


def text_words(text: str) -> list[str]:
    """Return a text's words, case and accents folded, so that "Réalité" matches "realite"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))
