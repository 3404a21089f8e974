"""Benchmark the tagging engine on a generated knowledge base and generated articles.

Run it alone with `.venv/bin/python -m bench.engine`; `run()` returns the same
figures as a dict for a shared table. Everything is generated from a fixed seed, so two
runs on one machine tag the same articles with the same dictionary.
"""

from __future__ import annotations

import gc
import math
import os
import random
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script: make the repository root importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from entities.tagging import AliasRecord, Dictionary, EntityKind, EntityRecord, tag
from entities.tagging.matcher import find_entities
from entities.tagging.salience import assign_salience

SEED = 20240227


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SYLLABLES = _words(
    "ar bel cor dex el fin gal hex in jun kor lum mar nex or pix quo ran sol tek ul vor wen"
    " xan yor zen bri cal dra fo gri hal ith jo kel lin mo nu pra ros tri ve"
)
_COMPANY_SUFFIXES = (
    "Systems",
    "Technologies",
    "Labs",
    "Networks",
    "Semiconductor",
    "Robotics",
    "Software",
    "Group",
    "Electronics",
    "Inc.",
    "Corp",
    "SA",
    "AI",
)
_COMMON_WORD_BRANDS = _words("Orange Apple Square Block Arm Mercury Oracle Amazon Shell Snap")
_FIRST_NAMES = _words(
    "Mark William Sarah Jensen Satya Sundar Lisa Tim Elon Jean Marie Pierre Sophie Camille"
    " Lucas Emma Hiroshi Yuki Wei Min Ji-hoon Anna Paul Julie Thomas Claire Omar Fatima Raj"
    " Priya Carlos Ana Luca Giulia Hans Greta Ivan Olga Kofi Amara David Rachel Noah Mia"
)
_SURNAMES = _words(
    "Smith Johnson Martin Bernard Dubois Durand Leroy Moreau Laurent Simon Michel Garcia"
    " Nguyen Tanaka Suzuki Sato Kim Lee Park Choi Cho Kwon Li Wang Zhang Liu Chen Huang Wu"
    " Patel Singh Kumar Rossi Russo Ferrari Müller Schmidt Schneider Ivanov Petrov Mensah"
    " Okafor Cohen Levy Silva Santos Costa Novak Horvat Jansen Visser Berg Lindqvist Nakamura"
    " Kobayashi Yamamoto Takahashi Fontaine Rousseau Blanc Guerin Faure Andre Mercier Girard"
)
_KOREAN_GIVEN_NAMES = _words("Bong-seok Ji-hoon Min-jun Seo-yeon Jae-yong Eui-sun Kwang-mo")
_PRODUCT_LINES = _words(
    "Nova Pulse Vision Quest Edge Orbit Astra Flux Prism Zenith Core Spark Aero Blaze Cinder"
    " Delta Echo Fable Glide Halo Ion Jet Karma Lyra Matrix Nimbus Onyx Pixel Quasar Rift Sonic"
    " Terra Umbra Vortex Wave Xeno Yonder Zest Arc Bolt Comet Dune Ember Forge Gem Helix"
)
_PRODUCT_SUFFIXES = ("Pro", "Max", "Ultra", "Mini", "X", "Air", "")

_ENGLISH_FILLER = _words(
    "the a of to in and that for on with as at by from its it’s has have said says will would"
    " market quarter revenue growth customers data cloud platform devices chips software"
    " investors analysts year week report plans new deal talks expected sources people familiar"
    " matter according statement company’s industry demand supply prices shares percent billion"
    " million launch partnership research team users service global sales strategy officials"
)
_FRENCH_FILLER = _words(
    "le la les de du des un une et en dans pour sur avec par que qui est a ont été selon"
    " l’entreprise l’année d’ici aujourd’hui qu’il n’est s’est c’est jusqu’à marché trimestre"
    " chiffre d’affaires croissance clients données nuage plateforme appareils puces logiciel"
    " investisseurs analystes semaine rapport projets accord discussions prévu sources proches"
    " dossier communiqué industrie demande offre prix actions milliards millions lancement"
    " partenariat recherche équipe utilisateurs service ventes stratégie responsables"
)


@dataclass(frozen=True, slots=True)
class _GeneratedEntity:
    record: EntityRecord
    aliases: tuple[AliasRecord, ...]


def _unique_brand(rng: random.Random, used: set[str]) -> str:
    while True:
        brand = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3)))).title()
        if brand not in used:
            used.add(brand)
            return brand


def _generate_entities(alias_target: int, rng: random.Random) -> list[_GeneratedEntity]:
    entities: list[_GeneratedEntity] = []
    used_names: set[str] = set()
    company_ids: list[int] = []
    alias_count = 0
    next_id = 1
    for brand in _COMMON_WORD_BRANDS:
        used_names.add(brand)
        record = EntityRecord(next_id, EntityKind.COMPANY, brand.lower(), brand)
        aliases = (AliasRecord(next_id, brand, case_sensitive=True, ambiguous=True),)
        entities.append(_GeneratedEntity(record, aliases))
        company_ids.append(next_id)
        alias_count += len(aliases)
        next_id += 1
    while alias_count < alias_target:
        roll = rng.random()
        if roll < 0.45 or not company_ids:
            brand = _unique_brand(rng, used_names)
            name = f"{brand} {rng.choice(_COMPANY_SUFFIXES)}"
            record = EntityRecord(next_id, EntityKind.COMPANY, f"company-{next_id}", name)
            aliases = (
                AliasRecord(next_id, name),
                AliasRecord(next_id, brand, case_sensitive=rng.random() < 0.5),
            )
            company_ids.append(next_id)
        elif roll < 0.75:
            if rng.random() < 0.1:
                name = f"{rng.choice(_SURNAMES)} {rng.choice(_KOREAN_GIVEN_NAMES)}"
            else:
                name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
            if name in used_names:
                name = f"{name[0]}. {_unique_brand(rng, used_names)}"
            used_names.add(name)
            record = EntityRecord(
                next_id,
                EntityKind.PERSON,
                f"person-{next_id}",
                name,
                affiliation_id=rng.choice(company_ids),
            )
            aliases = (AliasRecord(next_id, name),)
        else:
            maker = entities[rng.choice(company_ids) - 1].record
            line, number = rng.choice(_PRODUCT_LINES), rng.randint(1, 999)
            model = f"{line} {number} {rng.choice(_PRODUCT_SUFFIXES)}".strip()
            maker_brand = maker.name.split()[0]
            name = f"{maker_brand} {model}"
            if name in used_names:
                continue
            used_names.add(name)
            record = EntityRecord(
                next_id, EntityKind.PRODUCT, f"product-{next_id}", name, maker_id=maker.id
            )
            aliases = (AliasRecord(next_id, name), AliasRecord(next_id, model, ambiguous=True))
        entities.append(_GeneratedEntity(record, aliases))
        alias_count += len(aliases)
        next_id += 1
    return entities


def knowledge_base_records(
    *,
    alias_count: int = 50_000,
    seed: int = SEED,
    extra_records: Iterable[EntityRecord | AliasRecord] = (),
) -> tuple[list[EntityRecord], list[AliasRecord]]:
    """Return generated entity and alias records, about alias_count aliases, plus extras.

    Extra records (a real knowledge base's) must use entity ids above the generated ones,
    which count up from 1 to at most alias_count.
    """
    entities = _generate_entities(alias_count, random.Random(seed))
    entity_records = [entity.record for entity in entities]
    alias_records = [alias for entity in entities for alias in entity.aliases]
    for record in extra_records:
        if isinstance(record, AliasRecord):
            alias_records.append(record)
        else:
            entity_records.append(record)
    return entity_records, alias_records


def build_dictionary(
    *,
    alias_count: int = 50_000,
    seed: int = SEED,
    extra_records: Iterable[EntityRecord | AliasRecord] = (),
) -> Dictionary:
    """Build the benchmark dictionary: generated records plus any extra records."""
    entity_records, alias_records = knowledge_base_records(
        alias_count=alias_count, seed=seed, extra_records=extra_records
    )
    return Dictionary(entity_records, alias_records)


def _decorate(alias: str, language: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.002:
        # Zero-width space left inside a name by a content management system.
        return alias[:2] + "\u200b" + alias[2:]
    if language == "fr" and roll < 0.25:
        return rng.choice(("d’", "l’", "qu’", "jusqu’")) + alias
    if language == "en" and roll < 0.15:
        return alias + "’s"
    return alias


def _sentence_end(language: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return " — " if language == "en" else "\u202f: "
    if roll < 0.08:
        return "…"
    return "."


def generate_articles(
    entity_records: list[EntityRecord],
    alias_records: list[AliasRecord],
    *,
    count: int,
    words: int,
    seed: int,
) -> list[tuple[str, str, str]]:
    """Return count (title, body, language) articles of about `words` words each.

    Each article names six entities from the records, a few times each, among English or
    French filler words, with curly apostrophes, elisions, possessives, surnames after full
    names, French narrow no-break spaces, and now and then a zero-width space inside a name
    or (one article in fifty) accents decomposed as macOS copy-paste leaves them.
    """
    rng = random.Random(seed)
    aliases_by_entity: dict[int, list[str]] = {}
    for alias in alias_records:
        aliases_by_entity.setdefault(alias.entity_id, []).append(alias.text)
    articles = []
    for _ in range(count):
        language = rng.choice(("en", "fr"))
        filler = _ENGLISH_FILLER if language == "en" else _FRENCH_FILLER
        cast = rng.sample(entity_records, 6)
        title_words = [rng.choice(filler) for _ in range(8)]
        title_words.insert(rng.randrange(8), cast[0].name)
        paragraphs: list[str] = []
        paragraph: list[str] = []
        sentence: list[str] = []
        sentence_length = rng.randint(12, 25)
        for index in range(words):
            if rng.random() < 0.035:
                entity = rng.choice(cast)
                alias = rng.choice(aliases_by_entity.get(entity.id, [entity.name]))
                if entity.kind == EntityKind.PERSON and index > words // 4 and rng.random() < 0.5:
                    alias = entity.name.split()[-1]
                sentence.append(_decorate(alias, language, rng))
            else:
                sentence.append(rng.choice(filler))
            if len(sentence) >= sentence_length:
                paragraph.append(" ".join(sentence) + _sentence_end(language, rng))
                sentence = []
                sentence_length = rng.randint(12, 25)
                if len(paragraph) >= rng.randint(3, 5):
                    paragraphs.append(" ".join(paragraph))
                    paragraph = []
        paragraphs.append(" ".join([*paragraph, *sentence]))
        body = "\n\n".join(paragraphs)
        if rng.random() < 0.02:
            body = unicodedata.normalize("NFD", body)
        articles.append((" ".join(title_words), body, language))
    return articles


def _resident_bytes() -> int:
    # Resident memory counts all the build allocates, the automaton's C structures included.
    # Linux only, like the machines the project runs on.
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _timings(
    articles: list[tuple[str, str, str]], tag_article: Callable[[str, str, str], object]
) -> dict[str, float]:
    per_article = []
    cpu_started = time.process_time()
    started = time.perf_counter()
    for title, body, language in articles:
        article_started = time.perf_counter()
        tag_article(title, body, language)
        per_article.append(time.perf_counter() - article_started)
    elapsed = time.perf_counter() - started
    cpu_elapsed = time.process_time() - cpu_started
    per_article.sort()
    return {
        "articles_per_s": len(articles) / elapsed,
        # On a busy machine wall time counts other processes' turns; CPU time does not.
        "articles_per_cpu_s": len(articles) / cpu_elapsed,
        "median_ms": statistics.median(per_article) * 1000,
        "p99_ms": per_article[max(0, math.ceil(len(per_article) * 0.99) - 1)] * 1000,
    }


def run(
    *,
    articles: int = 1000,
    words: int = 1000,
    alias_count: int = 50_000,
    seed: int = SEED,
    extra_records: Iterable[EntityRecord | AliasRecord] = (),
) -> dict[str, float | int]:
    """Build the dictionary, tag the generated articles and return the figures."""
    entity_records, alias_records = knowledge_base_records(
        alias_count=alias_count, seed=seed, extra_records=extra_records
    )
    gc.collect()
    resident_before = _resident_bytes()
    started = time.perf_counter()
    dictionary = Dictionary(entity_records, alias_records)
    build_s = time.perf_counter() - started
    gc.collect()
    build_mb = (_resident_bytes() - resident_before) / 2**20
    generated = generate_articles(
        entity_records, alias_records, count=articles, words=words, seed=seed + 1
    )

    def tag_article(title: str, body: str, language: str) -> None:
        tag(body, dictionary=dictionary, title=title, language=language)

    def match_article(title: str, body: str, language: str) -> None:
        found = find_entities(body, dictionary=dictionary, title=title, language=language)
        assign_salience(found.matches, body=body, implied_by=found.implied_by)

    tag_article(*generated[0])
    matching = _timings(generated, match_article)
    tagging = _timings(generated, tag_article)
    return {
        "aliases": dictionary.alias_count,
        "entities": len(dictionary.entities),
        "build_s": build_s,
        "build_mb": build_mb,
        "articles": len(generated),
        "mean_words": statistics.fmean(len(body.split()) for _, body, _ in generated),
        **{f"tag_{name}": value for name, value in tagging.items()},
        **{f"match_{name}": value for name, value in matching.items()},
    }


def main() -> None:
    """Print the benchmark figures as a table."""
    figures = run()
    print(
        f"dictionary: {figures['aliases']:,} aliases, {figures['entities']:,} entities, "
        f"built in {figures['build_s']:.2f} s, {figures['build_mb']:.0f} MB resident"
    )
    print(f"public: {figures['articles']:,} of {figures['mean_words']:.0f} words on average")
    print(f"{'':26} {'articles/s':>10} {'per CPU s':>10} {'median ms':>10} {'p99 ms':>10}")
    for label, prefix in (("tag (with relationships)", "tag"), ("match + salience", "match")):
        print(
            f"{label:26} {figures[f'{prefix}_articles_per_s']:10.0f} "
            f"{figures[f'{prefix}_articles_per_cpu_s']:10.0f} "
            f"{figures[f'{prefix}_median_ms']:10.3f} {figures[f'{prefix}_p99_ms']:10.3f}"
        )


if __name__ == "__main__":
    main()
