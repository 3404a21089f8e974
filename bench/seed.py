"""Seed the bench database with a public site at scale, generated on the server in SQL.

200,000 stories (short mixed English and French bodies), about 2,000,000 mentions of
20,000 entities drawn from a Zipf-like law (so a few companies are huge), 30,000+
relationships with their evidence sentences (one pair in eight of two kinds), and topics.
The denormalised fields are filled as the app keeps them: a mention's
article_published_at, is_subject, a relationship's first and last seen (from public
stories only). Seeding is skipped when the stories are already there.
"""

import time

from django.db import connection, transaction

from articles.tagging import relationships_refresh_seen
from entities.models import Relationship

from .knowledge_base import GENERATED_SLUG_REGEX

SEED_SOURCE_PREFIX = "https://seed.bench.example/story/"
STORIES = 200_000
CAST = 20_000
DRAWS_PER_STORY = 10
OUTLETS = 40
# A share of draws follows a log-uniform (Zipf, s=1) law over the cast ranks; the rest are
# uniform, so that the biggest company is in about a fifth of the stories, not all.
ZIPF_SHARE = 0.3
# One story in this many yields relationship evidence between its subject and the
# well-known companies it names (the top ranks).
EVIDENCE_EVERY = 10
EVIDENCE_PARTNER_RANKS = 3_000
# One pair in this many has a second kind of relationship, shown by the same sentences, as
# when a story says two companies both compete and supply each other.
SECOND_KIND_EVERY = 8
TOPICS = [
    ("ai", "AI"),
    ("xr", "XR"),
    ("chips", "chips"),
    ("cloud", "cloud"),
    ("5g", "5G"),
    ("ev", "EV"),
    ("security", "security"),
    ("robotics", "robotics"),
    ("quantum", "quantum"),
    ("payments", "payments"),
    ("streaming", "streaming"),
    ("satellites", "satellites"),
]


def _words(text: str) -> list[str]:
    return text.split()


KINDS = ["partnership", "supplier_customer", "competition", "investment", "acquisition"]
CUE_PHRASES = [
    "announced a partnership",
    "signed a supply deal",
    "compete head to head",
    "invested in",
    "agreed to acquire",
]
ENGLISH_WORDS = _words(
    "the a of to in and that for on with as at by from its has have said says will would"
    " market quarter revenue growth customers data cloud platform devices chips software"
    " investors analysts year week report plans new deal talks expected sources industry"
    " demand supply prices shares percent billion million launch partnership research team"
    " users service global sales strategy officials regulators europe privacy battery"
    " smartphone datacenter startup engineers model training security network"
)
FRENCH_WORDS = _words(
    "le la les de du des un une et en dans pour sur avec par que qui est a ont été selon"
    " marché trimestre chiffre croissance clients données cloud plateforme appareils puces"
    " logiciel investisseurs analystes semaine rapport projets accord discussions prévu"
    " industrie demande offre prix actions milliards millions lancement partenariat"
    " recherche équipe utilisateurs service ventes stratégie responsables sécurité réseau"
    " énergie économie développement société européenne téléphonie ingénieurs régulateurs"
)
# Each story has a small chance of one of these, for searches on a rarer word.
RARE_WORDS = ["réalité", "hyperscaler", "quantique", "souveraineté"]
RARE_WORD_CHANCE = 0.02

# Tables the seed fills; TRUNCATE ... CASCADE empties what hangs off them too.
SEEDED_TABLES = [
    "articles_article",
    "articles_historicalarticle",
    "articles_mention",
    "articles_relationshipevidence",
    "entities_relationship_topics",
    "entities_relationship",
    "articles_candidatesighting",
]
# Secondary indexes are dropped during the load and rebuilt after: much faster in bulk.
REBUILT_INDEX_TABLES = [
    "articles_article",
    "articles_mention",
    "articles_relationshipevidence",
    "entities_relationship",
    "entities_relationship_topics",
]


def is_seeded() -> bool:
    """Whether the bench database already holds the seeded stories."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE source_url LIKE %s",
            [f"{SEED_SOURCE_PREFIX}%"],
        )
        return cursor.fetchone()[0] == STORIES


def seed(*, force: bool = False) -> dict[str, float | bool]:
    """Seed unless already seeded (or when forced); return timings and whether it ran."""
    if not force and is_seeded():
        # A data set seeded before the second kinds were part of the seed gets them now.
        with transaction.atomic(), connection.cursor() as cursor:
            added = _insert_second_kinds(cursor)
        # Embargoes have lifted since the seed (and older seeds dated relationships from
        # embargoed stories too): date them from the stories public now, as the sweep does.
        dated = relationships_refresh_seen(Relationship.objects.values("pk"))
        if added or dated:
            _vacuum_analyze()
        return {"seeded": False, "seed_s": 0.0, "analyze_s": 0.0}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # The data is consistent by construction: skip the deferred foreign-key checks,
        # which would queue millions of trigger events until commit.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"TRUNCATE {', '.join(SEEDED_TABLES)} CASCADE")
        index_definitions = _drop_secondary_indexes(cursor)
        _insert_outlets_and_topics(cursor)
        _insert_stories(cursor)
        _insert_mentions(cursor)
        _insert_relationships(cursor)
        _insert_second_kinds(cursor)
        for definition in index_definitions:
            cursor.execute(definition)
    seed_s = time.perf_counter() - started
    started = time.perf_counter()
    _vacuum_analyze()
    return {"seeded": True, "seed_s": seed_s, "analyze_s": time.perf_counter() - started}


def _vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        # Outside the transaction: VACUUM sets the visibility map for index-only scans.
        for table in REBUILT_INDEX_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")


def data_set() -> dict[str, int]:
    """Return how many entities and relationships the bench database holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM entities_entity),"
            " (SELECT count(*) FROM entities_relationship)"
        )
        entities, relationships = cursor.fetchone()
    return {"entities": entities, "relationships": relationships}


def biggest_company_slugs(count: int = 2) -> list[str]:
    """Return the slugs of the companies with the most published stories, biggest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.slug FROM entities_entity e JOIN articles_mention m ON m.entity_id = e.id"
            " WHERE e.kind = 'company' AND m.entity_id IN (SELECT id FROM entities_entity"
            " WHERE kind = 'company' AND slug !~ %s ORDER BY id LIMIT 50)"
            " GROUP BY e.slug ORDER BY count(*) DESC LIMIT %s",
            [GENERATED_SLUG_REGEX, count],
        )
        return [slug for (slug,) in cursor.fetchall()]


def database_size_mb() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0] / 2**20


def _drop_secondary_indexes(cursor) -> list[str]:
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public'"
        " AND i.tablename = ANY(%s) AND NOT EXISTS ("
        " SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [REBUILT_INDEX_TABLES],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _insert_outlets_and_topics(cursor) -> None:
    cursor.execute(
        "INSERT INTO articles_outlet (name, homepage, default_language, trusted)"
        " SELECT 'Seed outlet ' || n, 'https://outlet' || n || '.bench.example/',"
        " CASE WHEN n %% 3 = 0 THEN 'fr' ELSE 'en' END, false FROM generate_series(1, %s) n"
        " ON CONFLICT (name) DO NOTHING",
        [OUTLETS],
    )
    for slug, name in TOPICS:
        cursor.execute(
            "INSERT INTO entities_topic (slug, name) VALUES (%s, %s) ON CONFLICT (slug) DO NOTHING",
            [slug, name],
        )


def _insert_stories(cursor) -> None:
    _create_word_function(cursor)
    # One story in three is French. Statuses: 2% drafts (no publication time), 2% in
    # review, 1% archived, the rest published, the newest two days' worth under embargo.
    cursor.execute(
        """
        INSERT INTO articles_article (
            title, slug, standfirst, body, source_url, outlet_id, byline, language,
            published_at, status, created_at, updated_at, fingerprint, tagging_status,
            tagging_error, tagged_at, tagged_fingerprint, version, canonical_url, origin,
            clustered_by_editor)
        SELECT title, 'seed-story-' || n, standfirst, body, %(prefix)s || n, outlet_id,
            'Reporter ' || (n %% 300), language,
            CASE WHEN status = 'draft' THEN NULL ELSE published_at END, status,
            published_at - interval '1 hour', published_at - interval '1 hour',
            encode(sha256(convert_to(title || E'\n\n' || body, 'UTF8')), 'hex'), 'done', '',
            published_at, encode(sha256(convert_to(title || E'\n\n' || body, 'UTF8')), 'hex'), 1,
            %(prefix)s || n, 'desk', false
        FROM (
            SELECT n, language, outlet_id, published_at, status,
                'Story ' || n || ': ' || pg_temp.bench_words(language, 7, n) AS title,
                pg_temp.bench_words(language, 18, n) || '.' AS standfirst,
                initcap(pg_temp.bench_words(language, 1, n)) || ' '
                    || pg_temp.bench_words(language, 59 + n %% 61, n)
                    || CASE WHEN random() < %(rare_chance)s
                        THEN ' ' || (%(rare)s::text[])[1 + floor(random() * %(rare_count)s)::int]
                        ELSE '' END || '.' AS body
            FROM (
                SELECT n, CASE WHEN n %% 3 = 0 THEN 'fr' ELSE 'en' END AS language,
                    (SELECT min(id) FROM articles_outlet) + n %% %(outlets)s AS outlet_id,
                    now() + interval '2 days' - n * interval '7 minutes' AS published_at,
                    CASE WHEN n %% 50 = 7 THEN 'draft' WHEN n %% 50 = 17 THEN 'in_review'
                        WHEN n %% 100 = 27 THEN 'archived' ELSE 'published' END AS status
                FROM generate_series(1, %(stories)s) n
            ) AS story
        ) AS written
        """,
        {
            "prefix": SEED_SOURCE_PREFIX,
            "outlets": OUTLETS,
            "stories": STORIES,
            "rare": RARE_WORDS,
            "rare_count": len(RARE_WORDS),
            "rare_chance": RARE_WORD_CHANCE,
        },
    )


def _create_word_function(cursor) -> None:
    # A temporary SQL function: `count` random words of the language's list. The unused
    # `salt` argument (the story number) makes each call a fresh draw.
    cursor.execute(
        """
        CREATE FUNCTION pg_temp.bench_words(language text, count int, salt int) RETURNS text
        LANGUAGE sql VOLATILE AS $$
            SELECT string_agg(
                CASE WHEN language = 'fr' THEN (%(fr)s::text[])[1 + floor(random() * %(fr_n)s)::int]
                    ELSE (%(en)s::text[])[1 + floor(random() * %(en_n)s)::int] END, ' ')
            FROM generate_series(1, count) WHERE salt IS NOT NULL
        $$
        """,
        {
            "fr": FRENCH_WORDS,
            "fr_n": len(FRENCH_WORDS),
            "en": ENGLISH_WORDS,
            "en_n": len(ENGLISH_WORDS),
        },
    )


def _insert_mentions(cursor) -> None:
    cursor.execute(
        """
        CREATE TEMP TABLE bench_cast ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY slug ~ %s, id) AS rank, id AS entity_id
        FROM entities_entity ORDER BY rank LIMIT %s
        """,
        [GENERATED_SLUG_REGEX, CAST],
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_cast (rank)")
    # The first draw is the story's subject; half the second draws are subjects too.
    cursor.execute(
        """
        INSERT INTO articles_mention (
            article_id, entity_id, count, offsets, snippet, confidence, salience, is_subject,
            article_published_at, origin, status)
        SELECT DISTINCT ON (draw.article_id, cast_member.entity_id)
            draw.article_id, cast_member.entity_id, 1 + (draw.roll * 4)::int, '[]'::jsonb,
            CASE WHEN draw.salience >= 0.5 THEN left(draw.body, 120) ELSE '' END,
            0.9, draw.salience, draw.salience >= 0.5,
            CASE WHEN draw.status = 'published' THEN draw.published_at END, 'auto',
            CASE WHEN draw.roll < 0.01 THEN 'rejected' WHEN draw.roll < 0.06 THEN 'confirmed'
                ELSE 'suggested' END
        FROM (
            SELECT a.id AS article_id, a.body, a.status, a.published_at, random() AS roll,
                CASE WHEN random() < %(zipf_share)s
                    THEN least(%(cast)s, floor(exp(random() * ln(%(cast)s)))::int)
                    ELSE 1 + floor(random() * %(cast)s)::int END AS rank,
                round((CASE WHEN d = 1 THEN 0.55 + random() * 0.4
                    WHEN d = 2 AND random() < 0.5 THEN 0.5 + random() * 0.3
                    ELSE 0.05 + random() * 0.44 END)::numeric, 3)::float AS salience
            FROM articles_article a CROSS JOIN generate_series(1, %(draws)s) d
        ) AS draw
        JOIN bench_cast cast_member ON cast_member.rank = draw.rank
        ORDER BY draw.article_id, cast_member.entity_id, draw.salience DESC
        """,
        {"zipf_share": ZIPF_SHARE, "cast": CAST, "draws": DRAWS_PER_STORY},
    )


def _insert_relationships(cursor) -> None:
    # Pairs: a story's subject company with each well-known company it names.
    cursor.execute(
        """
        CREATE TEMP TABLE bench_evidence ON COMMIT DROP AS
        SELECT DISTINCT
            CASE WHEN subject.slug < partner.slug THEN subject.id ELSE partner.id END AS a_id,
            CASE WHEN subject.slug < partner.slug THEN partner.id ELSE subject.id END AS b_id,
            m1.article_id, a.status, a.published_at
        FROM articles_mention m1
        JOIN entities_entity subject ON subject.id = m1.entity_id AND subject.kind = 'company'
        JOIN articles_mention m2 ON m2.article_id = m1.article_id AND m2.entity_id <> m1.entity_id
        JOIN bench_cast c2 ON c2.entity_id = m2.entity_id AND c2.rank <= %(partner_ranks)s
        JOIN entities_entity partner ON partner.id = m2.entity_id AND partner.kind = 'company'
        JOIN articles_article a ON a.id = m1.article_id
        WHERE m1.is_subject AND m1.article_id %% %(every)s = 0
        """,
        {"partner_ranks": EVIDENCE_PARTNER_RANKS, "every": EVIDENCE_EVERY},
    )
    cursor.execute(
        """
        INSERT INTO entities_relationship (
            company_a_id, company_b_id, kind, status, topics_edited, first_seen, last_seen,
            created_at, updated_at)
        SELECT a_id, b_id, (%(kinds)s::text[])[1 + (a_id + b_id) %% 5],
            CASE WHEN (a_id * 7 + b_id) %% 10 = 0 THEN 'confirmed'
                WHEN (a_id * 7 + b_id) %% 33 = 1 THEN 'rejected' ELSE 'detected' END,
            false,
            min(published_at) FILTER (WHERE status = 'published' AND published_at <= now()),
            max(published_at) FILTER (WHERE status = 'published' AND published_at <= now()),
            now(), now()
        FROM bench_evidence GROUP BY a_id, b_id
        """,
        {"kinds": KINDS},
    )
    cursor.execute(
        """
        INSERT INTO articles_relationshipevidence (
            relationship_id, article_id, sentence, start, "end", in_title, cues, confidence)
        SELECT r.id, ev.article_id, sentence, 0, length(sentence), false,
            jsonb_build_array(split_part(phrase, ' ', 2)), 0.8
        FROM bench_evidence ev
        JOIN entities_relationship r ON r.company_a_id = ev.a_id AND r.company_b_id = ev.b_id
        JOIN entities_entity ea ON ea.id = ev.a_id
        JOIN entities_entity eb ON eb.id = ev.b_id
        CROSS JOIN LATERAL (
            SELECT (%(phrases)s::text[])[array_position(%(kinds)s::text[], r.kind)] AS phrase
        ) AS cue
        CROSS JOIN LATERAL (
            SELECT ea.name || ' and ' || eb.name || ' ' || cue.phrase || '.' AS sentence
        ) AS written
        """,
        {"phrases": CUE_PHRASES, "kinds": KINDS},
    )
    cursor.execute(
        """
        INSERT INTO entities_relationship_topics (relationship_id, topic_id)
        SELECT r.id, t.id FROM entities_relationship r
        JOIN entities_topic t ON t.slug = (%(topics)s::text[])[1 + r.id %% %(topic_count)s]
        UNION ALL
        SELECT r.id, t.id FROM entities_relationship r
        JOIN entities_topic t ON t.slug = (%(topics)s::text[])[1 + (r.id + 5) %% %(topic_count)s]
        WHERE r.id %% 3 = 0
        """,
        {"topics": [slug for slug, _ in TOPICS], "topic_count": len(TOPICS)},
    )


def _insert_second_kinds(cursor) -> int:
    """Give one pair in SECOND_KIND_EVERY the next kind of relationship, with the evidence
    and topics of its first one; return how many were added (none once done)."""
    cursor.execute(
        """
        INSERT INTO entities_relationship (
            company_a_id, company_b_id, kind, status, topics_edited, first_seen, last_seen,
            created_at, updated_at)
        SELECT company_a_id, company_b_id,
            (%(kinds)s::text[])[1 + (array_position(%(kinds)s::text[], kind::text) %% 5)],
            status, false, first_seen, last_seen, now(), now()
        FROM entities_relationship
        WHERE (company_a_id * 3 + company_b_id) %% %(every)s = 0
            AND kind = (%(kinds)s::text[])[1 + (company_a_id + company_b_id) %% 5]
        ON CONFLICT (company_a_id, company_b_id, kind) DO NOTHING
        RETURNING id
        """,
        {"kinds": KINDS, "every": SECOND_KIND_EVERY},
    )
    added = [pk for (pk,) in cursor.fetchall()]
    if not added:
        return 0
    from_the_original = """
        FROM entities_relationship extra
        JOIN entities_relationship original ON original.company_a_id = extra.company_a_id
            AND original.company_b_id = extra.company_b_id AND original.id <> extra.id
        {join}
        WHERE extra.id = ANY(%(added)s)
    """
    cursor.execute(
        """
        INSERT INTO articles_relationshipevidence (
            relationship_id, article_id, sentence, start, "end", in_title, cues, confidence)
        SELECT extra.id, e.article_id, e.sentence, e.start, e."end", e.in_title, e.cues,
            e.confidence
        """
        + from_the_original.format(
            join="JOIN articles_relationshipevidence e ON e.relationship_id = original.id"
        ),
        {"added": added},
    )
    cursor.execute(
        "INSERT INTO entities_relationship_topics (relationship_id, topic_id)"
        " SELECT extra.id, t.topic_id"
        + from_the_original.format(
            join="JOIN entities_relationship_topics t ON t.relationship_id = original.id"
        ),
        {"added": added},
    )
    return len(added)
