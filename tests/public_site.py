"""A small newsroom for the public-site tests: tagged stories, some public and some not.

Every story is our own short text. The public ones, newest first:

- 20 Mar 2024  nvidia-revenue      Nvidia is the subject; Meta Platforms is only named in passing
- 12 Mar 2024  meta-lg-fr          French: Meta Platforms and LG Electronics, partnership (xr)
- 29 Feb 2024  meta-lg             Meta Platforms and LG Electronics, partnership (xr)
- 15 Jan 2024  samsung-nvidia      Samsung Electronics buys from Nvidia (chips, cloud)
-  5 Dec 2023  apple-samsung       Apple and Samsung Electronics compete (xr)
- 10 Nov 2023  samsung-meta        Samsung Electronics and Meta Platforms partner (xr)

and the ones readers must never see, each with its own relationship evidence or mentions:
a draft (Apple invests in Nvidia), one in review (LG Corp acquires a Samsung unit), an
archived one (Apple Vision Pro) and an embargoed one (published, but a week from now: Meta
Platforms and LG Electronics extend their partnership).
"""

import datetime
import re
from html.parser import HTMLParser

from django.utils import timezone

from articles import tagging
from articles.models import Article
from entities.models import Entity
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory, OutletFactory

UTC = datetime.UTC


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


PUBLIC = {
    "nvidia-revenue": {
        "title": "Nvidia posts record revenue from data centres",
        "standfirst": "Accelerators for data centres sold faster than ever.",
        "body": "Nvidia posted record revenue as data centres bought its accelerators. "
        "Nvidia said demand would stay high.\n\n"
        "One analyst noted that Meta Platforms is among the buyers.",
        "outlet": "Chip Wire",
        "published_at": at(2024, 3, 20),
    },
    "meta-lg-fr": {
        "title": "Meta Platforms mise sur la réalité mixte avec LG Electronics",
        "standfirst": "Les deux groupes veulent un casque commun.",
        "body": "Meta Platforms et LG Electronics ont signé un partenariat pour concevoir des "
        "casques de réalité mixte.\n\nLe premier casque est attendu l'an prochain.",
        "outlet": "Le Journal Tech",
        "language": "fr",
        "byline": "Claire Auteur",
        "published_at": at(2024, 3, 12),
    },
    "meta-lg": {
        "title": "Meta Platforms and LG Electronics agree to build headsets together",
        "standfirst": "The two groups will share the work on a mixed-reality headset.",
        "body": "Meta Platforms and LG Electronics signed a partnership to build mixed-reality "
        "headsets. Mark Zuckerberg met William Cho in Seoul to seal it.\n\n"
        "The first headset is planned for next year.",
        "outlet": "Tech Ledger",
        "byline": "Ada Writer",
        "published_at": at(2024, 2, 29),
    },
    "samsung-nvidia": {
        "title": "Samsung Electronics buys H100 chips from Nvidia",
        "standfirst": "A three-year order for accelerators.",
        "body": "Samsung Electronics will buy H100 chips from Nvidia for its data centres, "
        "the two companies said.\n\nNvidia supplies the accelerators over three years.",
        "outlet": "Chip Wire",
        "published_at": at(2024, 1, 15),
    },
    "apple-samsung": {
        "title": "Apple and Samsung Electronics fight over headsets",
        "standfirst": "The premium headset market has two leaders.",
        "body": "Apple, maker of the Vision Pro, competes with Samsung Electronics for buyers "
        "of premium headsets, and the rivalry is heating up.\n\n"
        "Apple still leads in the United States.",
        "outlet": "Tech Ledger",
        "published_at": at(2023, 12, 5),
    },
    "samsung-meta": {
        "title": "Samsung Electronics and Meta Platforms team up on smart glasses",
        "standfirst": "A joint project for lighter glasses.",
        "body": "Samsung Electronics and Meta Platforms signed a partnership to build smart "
        "glasses.\n\nThe glasses should weigh less than a pair of sunglasses.",
        "outlet": "Tech Ledger",
        "published_at": at(2023, 11, 10),
    },
}

HIDDEN = {
    "draft": {
        "title": "Vision Pro maker Apple invests in Nvidia",
        "standfirst": "A stake in the chipmaker, still a draft.",
        "body": "Apple, which sells the Vision Pro, invested two billion dollars in Nvidia, "
        "taking a stake in the chipmaker.",
        "outlet": "Tech Ledger",
        "status": Article.Status.DRAFT,
        "published_at": None,
    },
    "in_review": {
        "title": "LG Corp acquires Samsung Electronics unit",
        "standfirst": "An acquisition waiting for review.",
        "body": "LG Corp agreed to acquire a unit of Samsung Electronics for an undisclosed sum.",
        "outlet": "Tech Ledger",
        "status": Article.Status.IN_REVIEW,
        "published_at": None,
    },
    "archived": {
        "title": "Apple Vision Pro sales slow down in Europe",
        "standfirst": "Fewer buyers than hoped, says an archived story.",
        "body": "Sales of the Apple Vision Pro slowed down in Europe this spring, "
        "according to shop owners.",
        "outlet": "Chip Wire",
        "status": Article.Status.ARCHIVED,
        "published_at": at(2024, 3, 1),
    },
    "embargoed": {
        "title": "Meta Platforms and LG Electronics extend their headset partnership",
        "standfirst": "An embargoed extension of the deal.",
        "body": "Meta Platforms and LG Electronics signed a partnership extension to build "
        "more mixed-reality headsets.",
        "outlet": "Tech Ledger",
        "status": Article.Status.PUBLISHED,
        "published_at": "next week",
    },
}


def make_story(**fields) -> Article:
    """Create an article and tag it the way the background task does."""
    fields = dict(fields)
    outlet = fields.pop("outlet", "Tech Ledger")
    language = fields.setdefault("language", "en")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields.get("published_at") == "next week":
        fields["published_at"] = timezone.now() + timezone.timedelta(days=7)
    article = ArticleFactory(
        outlet=OutletFactory(name=outlet, default_language=language),
        **fields,
    )
    tagging.article_tag(article_id=article.pk)
    article.refresh_from_db()
    return article


class Newsroom:
    def __init__(self):
        self.kb = make_small_kb()
        Entity.objects.filter(pk=self.kb["mark-zuckerberg"].pk).update(role="Chief executive")
        Entity.objects.filter(pk=self.kb["meta-platforms"].pk).update(
            description="Owner of Facebook and of mixed-reality headsets.", sector="internet"
        )
        Entity.objects.filter(pk=self.kb["samsung-electronics"].pk).update(sector="electronics")
        Entity.objects.filter(pk=self.kb["lg-electronics"].pk).update(sector="electronics")
        Entity.objects.filter(pk=self.kb["nvidia"].pk).update(sector="semiconductors")
        self.stories = {key: make_story(**spec) for key, spec in PUBLIC.items()}
        self.hidden = {key: make_story(**spec) for key, spec in HIDDEN.items()}

    @property
    def hidden_texts(self) -> list[str]:
        """Text that appears only in the stories readers may not see."""
        texts = []
        for story in self.hidden.values():
            texts += [story.title, story.standfirst, story.get_absolute_url()]
        return texts

    def outlet(self, name):
        return OutletFactory(name=name)


def build_newsroom() -> Newsroom:
    return Newsroom()


class _TagCollector(HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.found = name, []

    def handle_starttag(self, tag, attrs):
        if tag == self.name:
            self.found.append(dict(attrs))

    handle_startendtag = handle_starttag


def tags(html: str, name: str) -> list[dict]:
    """Return the attributes of every `name` element in the page, values unescaped."""
    collector = _TagCollector(name)
    collector.feed(html)
    return collector.found


def meta_content(html: str, **attribute) -> str | None:
    (key, value), *_ = attribute.items()
    for found in tags(html, "meta"):
        if found.get(key) == value:
            return found.get("content")
    return None


def text(response) -> str:
    return response.content.decode()


def chart(response) -> dict[str, int]:
    """Return the chart's bars as {"March 2024": stories}, {"Q1 2024": …} or {"2024": …}."""
    return {
        period: int(count)
        for period, count in re.findall(r"<title>((?:\w+ )?\d{4}): (\d+) stor", text(response))
    }


def position(html: str, *needles: str) -> list[int]:
    """Return where each needle first appears (it must appear)."""
    found = [html.find(needle) for needle in needles]
    assert -1 not in found, [n for n, i in zip(needles, found, strict=True) if i == -1]
    return found
