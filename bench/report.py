"""The one table `make bench` prints: every figure with its target."""

import os

ENGINE_TARGET_PER_S = 1_000
TASK_TARGET_MEDIAN_MS = 15


def table(*, kb, seed, engine=None, task=None, pages=()) -> str:
    """Return the aligned plain-text table of the figures of the sections that ran."""
    rows = [("section", "measure", "figure: p95 (median)", "target", "notes")]
    if engine:
        rows += _engine_rows(engine)
    if task:
        rows += _task_rows(kb, task)
    rows += _seed_rows(seed)
    rows += [_page_row(page) for page in pages]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    lines.insert(0, f"load average (1, 5, 15 min) at the end: {load}; {os.cpu_count()} cores")
    return "\n".join(line.rstrip() for line in lines)


def _meets(value: float, target: float, *, at_least: bool = False) -> str:
    return "met" if (value >= target if at_least else value <= target) else "MISSED"


def _engine_rows(figures) -> list[tuple[str, ...]]:
    tag_per_s = figures["tag_articles_per_s"]
    match_per_s = figures["match_articles_per_s"]
    relationships_ms = (1 / tag_per_s - 1 / match_per_s) * 1000
    return [
        (
            "engine",
            "dictionary build",
            f"{figures['build_s']:.2f} s, {figures['build_mb']:.0f} MB",
            "",
            f"{figures['aliases']:,} aliases, {figures['entities']:,} entities",
        ),
        (
            "engine",
            "tag, with relationships",
            f"{tag_per_s:,.0f} articles/s",
            f">= {ENGINE_TARGET_PER_S:,}/s",
            f"{_meets(tag_per_s, ENGINE_TARGET_PER_S, at_least=True)}; "
            f"{figures['tag_articles_per_cpu_s']:,.0f}/CPU s; median "
            f"{figures['tag_median_ms']:.2f} ms, p99 {figures['tag_p99_ms']:.2f} ms; "
            f"{figures['articles']:,} articles of {figures['mean_words']:.0f} words",
        ),
        (
            "engine",
            "tag, without relationships",
            f"{match_per_s:,.0f} articles/s",
            f">= {ENGINE_TARGET_PER_S:,}/s",
            f"{_meets(match_per_s, ENGINE_TARGET_PER_S, at_least=True)}; "
            f"{figures['match_articles_per_cpu_s']:,.0f}/CPU s; median "
            f"{figures['match_median_ms']:.2f} ms, p99 {figures['match_p99_ms']:.2f} ms",
        ),
        (
            "engine",
            "relationship detection",
            f"{relationships_ms:.2f} ms/article",
            "keeps >= 1,000/s",
            f"{_meets(tag_per_s, ENGINE_TARGET_PER_S, at_least=True)}; mean added per article; "
            f"median added {figures['tag_median_ms'] - figures['match_median_ms']:.2f} ms",
        ),
    ]


def _task_rows(kb_counts, figures) -> list[tuple[str, ...]]:
    return [
        (
            "task",
            "knowledge base in the database",
            f"{kb_counts['aliases']:,} aliases",
            "",
            f"{kb_counts['entities']:,} entities; compiled by the task in "
            f"{figures['dictionary_load_s']:.2f} s",
        ),
        (
            "task",
            "article_tag (PostgreSQL, with writes)",
            f"median {figures['tag_median_ms']:.1f} ms",
            f"median <= {TASK_TARGET_MEDIAN_MS} ms",
            f"{_meets(figures['tag_median_ms'], TASK_TARGET_MEDIAN_MS)}; "
            f"p99 {figures['tag_p99_ms']:.1f} ms; {figures['articles']:,} articles",
        ),
        (
            "task",
            "article_discover, English",
            f"median {figures['discover_en_median_ms']:.1f} ms",
            "reported apart",
            f"{figures['discover_en_articles']} articles",
        ),
        (
            "task",
            "article_discover, French",
            f"median {figures['discover_fr_median_ms']:.1f} ms",
            "reported apart",
            f"{figures['discover_fr_articles']} articles",
        ),
        (
            "task",
            "worker RSS, dictionary loaded",
            f"{figures['worker_rss_mb']:.0f} MB",
            "",
            f"{figures['worker_rss_before_mb']:.0f} MB before loading "
            f"{figures['worker_aliases']:,} aliases",
        ),
    ]


def _seed_rows(figures) -> list[tuple[str, ...]]:
    if figures["seeded"]:
        seeding = f"{figures['seed_s']:.0f} s + {figures['analyze_s']:.0f} s VACUUM ANALYZE"
    else:
        seeding = "skipped: already seeded"
    held = (
        f"database {figures['database_mb']:,.0f} MB: {figures['entities']:,} entities, "
        f"{figures['relationships']:,} relationships"
    )
    return [("site", "seed", seeding, "minutes", held)]


def _page_row(page) -> tuple[str, ...]:
    target, cached_target = page["target_ms"], page["cached_target_ms"]
    drawn = f"{page['drawn_p95_ms']:.1f} ms ({page['drawn_median_ms']:.1f})"
    notes = [f"from nothing: {_meets(page['drawn_p95_ms'], target)}"]
    if cached_target is not None:
        cached = f"cached {page['cached_p95_ms']:.2f} ms ({page['cached_median_ms']:.2f})"
        notes.append(f"cached: {_meets(page['cached_p95_ms'], cached_target)}")
        targets = f"<= {target} ms; cached <= {cached_target} ms"
    else:
        cached, targets = "never cached", f"<= {target} ms"
    return (
        "admin" if page["url"].startswith("/admin/") else "site",
        page["label"],
        f"{drawn}; {cached}",
        targets,
        f"{', '.join(notes)}; HTTP {page['status']}; {page['queries']} queries, "
        f"slowest {page['slowest_query_ms']:.1f} ms",
    )
