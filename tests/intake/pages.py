"""Feeds and story pages written by us for the intake tests, in English and French.

The outlets, companies and events are invented. `serve_site` puts them on the test's local
HTTP server (pytest-httpserver) with a robots.txt that lets every robot in.
"""

import datetime as dt
from email.utils import format_datetime

from werkzeug import Response

ROBOTS_ALLOW_ALL = "User-agent: *\nAllow: /\n"

STORY_EN_TEXT = [
    "Harbourline Semiconductors said on Tuesday that it will open a chip design centre in "
    "Leeds next spring, its first outside the Netherlands.",
    "The centre will employ about two hundred engineers working on low-power processors for "
    "data centres, the company's chief executive told reporters at a briefing.",
    "Analysts said the move would bring Harbourline closer to British universities, where "
    "much of the research on efficient accelerators now takes place.",
]
STORY_FR_TEXT = [
    "La société Bleu Cobalt a annoncé mardi l'ouverture d'un centre de recherche consacré aux "
    "batteries à Grenoble, où travailleront cent cinquante ingénieurs.",
    "Selon sa directrice générale, le site doit réduire de moitié le coût des cellules "
    "destinées aux véhicules utilitaires d'ici à trois ans.",
    "Plusieurs laboratoires universitaires de la région participeront aux premiers travaux, "
    "financés en partie par des fonds publics.",
]
# Around the story: what extraction must leave out.
NAVIGATION = "Home Business Science Subscribe"
ADVERT = "Buy the new Quickpad tablet today with free delivery"
COMMENT = "First! Great article, I always knew they would do it."


def story_page(
    *, title: str, paragraphs: list[str], lang: str = "en", canonical: str = "", author: str = ""
) -> str:
    """Return a story page with navigation, an advert and reader comments around the text."""
    text = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    head = f"<title>{title} | The Test Wire</title>"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if author:
        head += f'<meta name="author" content="{author}">'
    head += '<meta property="article:published_time" content="2026-03-03T09:30:00+00:00">'
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">{head}</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/business">Business</a></li>
<li><a href="/science">Science</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>
</header>
<aside class="advert"><p>{ADVERT}</p></aside>
<main><article><h1>{title}</h1>{text}</article></main>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>{COMMENT}</p></div></section>
<footer><p>Copyright The Test Wire. Terms and privacy.</p></footer>
</body></html>"""


def rss(items: list[dict], *, language: str = "en") -> str:
    """Return an RSS 2.0 feed; an item gives title, link, summary, content, date, author."""
    entries = []
    for item in items:
        parts = []
        if "title" in item:
            parts.append(f"<title>{item['title']}</title>")
        if "link" in item:
            parts.append(f"<link>{item['link']}</link>")
        if "summary" in item:
            parts.append(f"<description>{item['summary']}</description>")
        if "content" in item:
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append(f"<pubDate>{item.get('date', an_hour_ago())}</pubDate>")
        if "author" in item:
            parts.append(f"<dc:creator>{item['author']}</dc:creator>")
        entries.append(f"<item>{''.join(parts)}</item>")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>The Test Wire</title><link>http://localhost/</link>
<description>Invented news for tests</description><language>{language}</language>
{"".join(entries)}
</channel></rss>"""


def atom(entries: list[dict], *, language: str = "fr") -> str:
    """Return an Atom feed; an entry gives title, link, content (HTML) and updated."""
    items = "".join(
        f"""<entry><title>{entry["title"]}</title><link href="{entry["link"]}"/>
<id>{entry["link"]}</id><updated>2026-03-03T10:00:00Z</updated>
<author><name>{entry.get("author", "Rédaction")}</name></author>
<content type="html"><![CDATA[{entry["content"]}]]></content></entry>"""
        for entry in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">
<title>Le Fil d'essai</title><id>urn:test:fil</id><updated>2026-03-03T10:00:00Z</updated>
{items}</feed>"""


def an_hour_ago() -> str:
    """Return an RFC 822 date an hour ago: recent enough for the duplicate window."""
    return format_datetime(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), usegmt=True)


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def serve_site(httpserver, *, robots: str = ROBOTS_ALLOW_ALL) -> None:
    """Serve robots.txt for the whole test (every fetch asks for it first)."""
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")


def serve(httpserver, path: str, body: str, *, content_type: str = "text/html", **kwargs):
    httpserver.expect_request(path).respond_with_response(
        Response(body, content_type=f"{content_type}; charset=utf-8", **kwargs)
    )


def english_feed_items(httpserver) -> list[dict]:
    """Three items: one with its text, one with only a summary (its page is served), one
    without a link (broken)."""
    serve(
        httpserver,
        "/2026/03/harbourline-leeds",
        story_page(
            title="Harbourline Semiconductors to open a design centre in Leeds",
            paragraphs=STORY_EN_TEXT,
            author="Ada Reporter",
        ),
    )
    return [
        {
            "title": "Quarry Robotics raises money for warehouse arms",
            "link": httpserver.url_for("/2026/03/quarry-robotics?utm_source=rss"),
            "content": paragraphs_html(
                [
                    "Quarry Robotics, a start-up that builds arms for warehouse shelves, raised "
                    "forty million euros from investors led by a pension fund.",
                    "The company plans to double its staff in Rotterdam this year.",
                ]
            ),
            "author": "Ben Writer",
            "date": "Tue, 03 Mar 2026 09:30:00 GMT",
        },
        {
            "title": "Harbourline Semiconductors to open a design centre in Leeds",
            "link": httpserver.url_for("/2026/03/harbourline-leeds"),
            "summary": "The Dutch chip designer picks Leeds.",
        },
        {"title": "An item whose link the feed forgot", "summary": "Nothing to follow."},
    ]


def serve_english_feed(httpserver, path: str = "/feed.xml") -> None:
    """Serve an RSS feed of `english_feed_items` (and the page its summary-only item needs)."""
    serve(httpserver, path, rss(english_feed_items(httpserver)), content_type="application/rss+xml")
