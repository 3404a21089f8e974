"""Bring entities into the knowledge base from files.

`starter_kb_load` upserts the starter knowledge base shipped in `entities/data/<kind folder>/`;
`entities_import` adds the records read from a Wikidata JSON dump (`wikidata_records`) or a
CSV file (`csv_records`), keeping what editors wrote.
"""

import csv
import dataclasses
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from entities.knowledge_base import kb_changed
from entities.models import Alias, Entity

DATA_DIR = Path(__file__).resolve().parent / "data"
FOLDERS = {
    Entity.Kind.COMPANY: "companies",
    Entity.Kind.PERSON: "people",
    Entity.Kind.PRODUCT: "products",
}
# A record's link field: the kind of record that has it, and the kind of record it names.
LINKS = {
    "parent": (Entity.Kind.COMPANY, Entity.Kind.COMPANY),
    "affiliation": (Entity.Kind.PERSON, Entity.Kind.COMPANY),
    "maker": (Entity.Kind.PRODUCT, Entity.Kind.COMPANY),
    "variant_of": (Entity.Kind.PRODUCT, Entity.Kind.PRODUCT),
}
# A record's key and the Entity field it fills.
FIELDS = {
    "name": "name",
    "description": "description",
    "domain": "website_domain",
    "wikidata": "wikidata_id",
    "sector": "sector",
    "role": "role",
}


class KnowledgeBaseDataError(ValueError):
    """The data files contradict themselves; nothing was loaded."""


def starter_rows(data_dir: Path | None = None) -> dict[str, list[dict]]:
    """Return every kind's records from its folder's `*.json` files, in file-name order.

    Raise KnowledgeBaseDataError listing every slug given twice within a kind, every record
    giving an alias twice, and every link naming a slug that no file of the linked kind holds
    (or its own record, or a loop).
    """
    data_dir = data_dir or DATA_DIR
    rows: dict[str, list[dict]] = {}
    problems = []
    for kind, folder in FOLDERS.items():
        rows[kind] = []
        found_in: dict[str, str] = {}
        for path in sorted((data_dir / folder).glob("*.json")):
            for row in json.loads(path.read_text("utf-8")):
                where = f"{folder}/{path.name}"
                if row["slug"] in found_in:
                    problems.append(
                        f"{kind} slug {row['slug']!r} is in {found_in[row['slug']]} and {where}"
                    )
                found_in[row["slug"]] = where
                aliases = [
                    (alias["text"], alias.get("lang", "")) for alias in row.get("aliases", [])
                ]
                if len(set(aliases)) < len(aliases):
                    problems.append(f"{kind} {row['slug']!r}: an alias is given twice")
                rows[kind].append(row)
    for field, (kind, target_kind) in LINKS.items():
        targets = {row["slug"]: row for row in rows[target_kind]}
        for row in rows[kind]:
            target = row.get(field)
            if not target:
                continue
            if target not in targets:
                problems.append(f"{kind} {row['slug']!r}: unknown {field} {target!r}")
            elif _links_back(row, field, targets):
                problems.append(f"{kind} {row['slug']!r}: its {field} chain comes back to it")
    if problems:
        raise KnowledgeBaseDataError("\n".join(problems))
    return rows


def _links_back(row: dict, field: str, targets: dict[str, dict]) -> bool:
    seen = set()
    slug = row.get(field)
    while slug and slug in targets and slug not in seen:
        if slug == row["slug"]:
            return True
        seen.add(slug)
        slug = targets[slug].get(field)
    return False


@transaction.atomic
def starter_kb_load(*, data_dir: Path | None = None) -> dict[str, int]:
    """Upsert the starter knowledge base (from data_dir, entities/data/ by default); return
    how many records each kind's files hold and how many entities and aliases were created
    and updated.

    Entities are matched by kind and slug, aliases by entity, text and language. Rows already
    as the files say are left untouched, so that running it again changes nothing. Aliases and
    entities that editors added are kept.
    """
    rows = starter_rows(data_dir)
    now = timezone.now()
    counts = {FOLDERS[kind]: len(kind_rows) for kind, kind_rows in rows.items()}
    entities: dict[tuple[str, str], Entity] = {}
    for kind, kind_rows in rows.items():
        entities.update(
            ((kind, entity.slug), entity)
            for entity in Entity.objects.filter(
                kind=kind, slug__in=[row["slug"] for row in kind_rows]
            )
        )

    new, changed = [], {}
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            entity = entities.get((kind, row["slug"]))
            if entity is None:
                entity = Entity(kind=kind, slug=row["slug"])
                entities[kind, row["slug"]] = entity
                new.append(entity)
            for key, field in FIELDS.items():
                if _set(entity, field, row.get(key) or "") and entity.pk:
                    changed[entity.pk] = entity
    Entity.objects.bulk_create(new)

    for field, (kind, target_kind) in LINKS.items():
        for row in rows[kind]:
            entity = entities[kind, row["slug"]]
            target = entities[target_kind, row[field]] if row.get(field) else None
            if _set(entity, f"{field}_id", target.pk if target else None):
                changed[entity.pk] = entity
    for entity in changed.values():
        entity.updated_at = now
    link_fields = [f"{field}_id" for field in LINKS]
    Entity.objects.bulk_update(
        changed.values(), [*FIELDS.values(), *link_fields, "updated_at"], batch_size=500
    )

    aliases = {
        (alias.entity_id, alias.text, alias.language): alias
        for alias in Alias.objects.filter(entity__in=[entity.pk for entity in entities.values()])
    }
    new_aliases, changed_aliases = [], []
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            entity = entities[kind, row["slug"]]
            for spec in row.get("aliases", []):
                key = (entity.pk, spec["text"], spec.get("lang", ""))
                alias = aliases.get(key)
                if alias is None:
                    alias = aliases[key] = Alias(entity=entity, text=key[1], language=key[2])
                    new_aliases.append(alias)
                flags = [
                    _set(alias, flag, spec.get(flag, False))
                    for flag in ("case_sensitive", "ambiguous")
                ]
                if any(flags) and alias.pk:
                    changed_aliases.append(alias)
    Alias.objects.bulk_create(new_aliases)
    Alias.objects.bulk_update(changed_aliases, ["case_sensitive", "ambiguous"], batch_size=500)

    counts |= {
        "entities_created": len(new),
        "entities_updated": len(changed.keys() - {entity.pk for entity in new}),
        "aliases_created": len(new_aliases),
        "aliases_updated": len(changed_aliases),
    }
    if new or changed or new_aliases or changed_aliases:
        kb_changed()
    return counts


def _set(instance, field: str, value) -> bool:
    """Give instance's field the value; return whether it was different."""
    if getattr(instance, field) == value:
        return False
    setattr(instance, field, value)
    return True


# The CSV columns import_entities reads: only kind and name are needed.
CSV_COLUMNS = (
    "kind",
    "name",
    "slug",
    "aliases",
    "maker",
    "parent",
    "affiliation",
    "variant_of",
    "sector",
    "role",
    "domain",
    "description",
    "wikidata",
)
# The kind of entity each link is allowed on; what it names is LINKS' second kind.
LINK_OWNER = {link: kind for link, (kind, _) in LINKS.items()}
# A person or product is kept only with an employer or maker the import keeps.
REQUIRED_LINK = {Entity.Kind.PERSON: "affiliation", Entity.Kind.PRODUCT: "maker"}
LINK_WORDS = {"affiliation": "employer", "maker": "maker"}
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
# Model field lengths (Entity.name and Alias.text 200, sector 32...).
MAX_LENGTH = {f.name: f.max_length for f in Entity._meta.get_fields() if f.concrete}


@dataclass
class ImportRecord:
    """One entity read from a file.

    Links name other entities by slug (CSV) or by Wikidata id (Wikidata), in order of
    preference: the first that the knowledge base or the file holds is taken.
    """

    line: int
    kind: str
    name: str
    slug: str = ""
    aliases: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (text, language)
    wikidata: str = ""
    domain: str = ""
    description: str = ""
    sector: str = ""
    role: str = ""
    links: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    # Wikidata records name their links by Wikidata id, CSV rows by slug.
    by_wikidata: bool = False
    # Companies only: the Wikidata ids of its subsidiaries, which it is the parent of.
    subsidiaries: list[str] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = dataclasses.field(default_factory=Counter)
    # The first few line numbers skipped for each reason, to look at.
    examples: dict[str, list[int]] = dataclasses.field(default_factory=lambda: defaultdict(list))

    def skip(self, line: int, reason: str) -> None:
        self.skipped[reason] += 1
        if len(self.examples[reason]) < 5:
            self.examples[reason].append(line)


def csv_records(lines: Iterable[bytes]) -> Iterator[ImportRecord | Skipped]:
    """Read CSV_COLUMNS rows (a header first, UTF-8, aliases separated by ";").

    Raise KnowledgeBaseDataError when the header is not understood; a bad row is Skipped.
    """
    rows = csv.reader(line.decode("utf-8-sig", errors="replace") for line in lines)
    header = [column.strip().lower() for column in next(rows, [])]
    unknown = set(header) - set(CSV_COLUMNS)
    if unknown or not {"kind", "name"} <= set(header):
        raise KnowledgeBaseDataError(
            f"The CSV header must name columns among {', '.join(CSV_COLUMNS)}, "
            f"including kind and name; it has {', '.join(header) or 'none'}."
        )
    for row in rows:
        line = rows.line_num  # where the row ends: a quoted cell may hold line breaks
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Skipped(line, "wrong number of columns")
            continue
        if any("\ufffd" in cell for cell in row):
            yield Skipped(line, "not UTF-8")
            continue
        cells = {column: cell.strip() for column, cell in zip(header, row, strict=True)}
        kind = cells["kind"].lower()
        if kind not in FOLDERS:
            yield Skipped(line, "unknown kind")
            continue
        if links := [link for link in LINKS if cells.get(link) and LINK_OWNER[link] != kind]:
            yield Skipped(line, f"{links[0]} given for a {kind}")
            continue
        if cells.get("wikidata") and not WIKIDATA_ID.match(cells["wikidata"]):
            yield Skipped(line, "not a Wikidata id")
            continue
        name = cells["name"]
        aliases = [text.strip() for text in cells.get("aliases", "").split(";")]
        yield ImportRecord(
            line=line,
            kind=kind,
            name=name,
            slug=cells.get("slug", ""),
            aliases=[(text, "") for text in dict.fromkeys([name, *aliases]) if text],
            wikidata=cells.get("wikidata", ""),
            domain=cells.get("domain", ""),
            description=cells.get("description", ""),
            sector=cells.get("sector", ""),
            role=cells.get("role", ""),
            links={link: [cells[link]] for link in LINKS if cells.get(link)},
        )


@cache
def wikidata_filter() -> dict:
    """The Wikidata ids that make an item a tech company, a person or an occupation."""
    return json.loads((DATA_DIR / "wikidata.json").read_text("utf-8"))


def wikidata_records(lines: Iterable[bytes]) -> Iterator[ImportRecord | Skipped]:
    """Read Wikidata's JSON dump format: one entity a line, in "[" ... "]" with a comma after
    each line but the last. Companies, people and products are yielded with their links still
    to check; any other line is Skipped.
    """
    for line, text in enumerate(lines, start=1):
        text = text.strip().rstrip(b",")
        if text in (b"", b"[", b"]"):
            continue
        try:
            item = json.loads(text)
        except ValueError:
            yield Skipped(line, "not JSON")
            continue
        if not isinstance(item, dict) or not WIKIDATA_ID.match(str(item.get("id", ""))):
            yield Skipped(line, "not a Wikidata item")
            continue
        yield _wikidata_record(line, item)


def _wikidata_record(line: int, item: dict) -> ImportRecord | Skipped:
    ids = wikidata_filter()
    claims = item.get("claims") or {}
    classes = _claim_values(claims, "P31")
    if ids["human"] in classes:
        occupations = [ids["occupations"].get(qid) for qid in _claim_values(claims, "P106")]
        record = ImportRecord(
            line=line,
            kind=Entity.Kind.PERSON,
            name="",
            role=next(filter(None, occupations), ""),
            links={"affiliation": _claim_values(claims, "P108", current_first=True)},
        )
    elif set(classes) & ids["company_classes"].keys() and (sectors := _tech_sectors(claims)):
        record = ImportRecord(
            line=line,
            kind=Entity.Kind.COMPANY,
            name="",
            sector=next(filter(None, sectors), ""),
            links={"parent": _claim_values(claims, "P749")},
            subsidiaries=_claim_values(claims, "P355"),
        )
    elif makers := _claim_values(claims, "P176"):
        record = ImportRecord(
            line=line,
            kind=Entity.Kind.PRODUCT,
            name="",
            links={"maker": makers, "variant_of": _claim_values(claims, "P179")},
        )
    else:
        return Skipped(line, "not a tech company, a person or a product")
    labels, aliases = _texts(item, "labels"), _texts(item, "aliases")
    english = [*labels.get("en", []), *aliases.get("en", [])]
    french = [
        text for text in [*labels.get("fr", []), *aliases.get("fr", [])] if text not in english
    ]
    names = english or french
    if not names:
        return Skipped(line, "no English or French label")
    descriptions = _texts(item, "descriptions")
    websites = _claim_values(claims, "P856")
    record.name = names[0]
    record.wikidata = item["id"]
    record.by_wikidata = True
    record.aliases = [(text, "") for text in dict.fromkeys(english)] + [
        (text, "fr") for text in dict.fromkeys(french)
    ]
    record.description = next(iter(descriptions.get("en") or descriptions.get("fr") or []), "")
    record.domain = _domain(websites[0]) if websites else ""
    return record


def _tech_sectors(claims: dict) -> list[str]:
    """Return the sectors of an item's tech classes and industries, empty if it has none."""
    ids = wikidata_filter()
    return [
        ids["tech_classes"][qid]["sector"]
        for qid in _claim_values(claims, "P31")
        if qid in ids["tech_classes"]
    ] + [
        ids["tech_industries"][qid]["sector"]
        for qid in _claim_values(claims, "P452")
        if qid in ids["tech_industries"]
    ]


def _claim_values(claims: dict, prop: str, *, current_first: bool = False) -> list[str]:
    """Return the values of an item's claims for prop, preferred ones first, deprecated left
    out; with current_first, those without an end time (P582) come before the others."""

    def order(claim):
        ended = current_first and bool((claim.get("qualifiers") or {}).get("P582"))
        return (ended, claim.get("rank") != "preferred")

    values = []
    for claim in sorted((c for c in claims.get(prop) or [] if isinstance(c, dict)), key=order):
        value = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value")
        if claim.get("rank") == "deprecated" or value is None:
            continue
        if isinstance(value, dict):
            value = value.get("id")
        if isinstance(value, str) and value not in values:
            values.append(value)
    return values


def _texts(item: dict, key: str) -> dict[str, list[str]]:
    """Return an item's English and French labels, aliases or descriptions as lists of text."""
    texts = {}
    for language in ("en", "fr"):
        entries = (item.get(key) or {}).get(language) or []
        entries = [entries] if isinstance(entries, dict) else entries
        texts[language] = [
            entry["value"].strip()
            for entry in entries
            if isinstance(entry, dict)
            and isinstance(entry.get("value"), str)
            and entry["value"].strip()
        ]
    return texts


def _domain(url: str) -> str:
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


def alias_flags(text: str) -> dict[str, bool]:
    """Flags for an alias read from a file: a single word may be an ordinary word or another
    firm's name too, so it counts only with its capitals and with support in the story; an
    editor can lift either flag."""
    single_word = len(text.split()) == 1
    return {"case_sensitive": single_word, "ambiguous": single_word}


@transaction.atomic
def entities_import(*, records: Iterable[ImportRecord | Skipped]) -> ImportSummary:
    """Add the records to the knowledge base; return what was created, updated and skipped.

    An entity is matched by Wikidata id, then by kind and slug, then by kind and name. A match
    keeps its name and every value an editor gave: only empty fields and links are filled and
    missing aliases added, so that importing the same file again changes nothing. A record is
    skipped when its name is taken by an entity with another Wikidata id, or when a link it
    needs names nothing that the knowledge base or the file holds.
    """
    summary = ImportSummary()
    entities = list(Entity.objects.all())
    by_key = {key: entity for entity in entities for key in _keys(entity.kind, entity)}
    in_file, matched = set(), []
    for record in records:
        if isinstance(record, Skipped):
            summary.skip(record.line, record.reason)
            continue
        if problem := _invalid(record):
            summary.skip(record.line, problem)
            continue
        keys = _keys(record.kind, record)
        if in_file.intersection(keys):
            summary.skip(record.line, "given twice in the file")
            continue
        entity = next((by_key[key] for key in keys if key in by_key), None)
        if entity is None:
            entity = by_key.get(("name", record.kind, record.name.casefold()))
        if entity and record.wikidata and entity.wikidata_id not in ("", record.wikidata):
            summary.skip(record.line, "name or slug taken by an entity with another Wikidata id")
            continue
        in_file.update(keys)
        matched.append((record, entity))
    _add_parents_from_subsidiaries([record for record, _ in matched])
    matched = _with_needed_links(matched, set(by_key), summary)

    new, changed, pairs = [], {}, []
    for record, entity in matched:
        if entity is None:
            entity = Entity(kind=record.kind, slug=record.slug, name=record.name)
            new.append(entity)
        for key, model_field in FIELDS.items():
            if getattr(record, key) and not getattr(entity, model_field):
                setattr(entity, model_field, getattr(record, key))
                changed[id(entity)] = entity
        by_key |= dict.fromkeys(_keys(record.kind, record), entity)
        pairs.append((record, entity))
    Entity.objects.bulk_create(new, batch_size=1000)

    for record, entity in pairs:
        for link, refs in record.links.items():
            target = _target(record, link, refs, by_key)
            if (
                target
                and getattr(entity, f"{link}_id") is None
                and entity.pk not in (target.pk, getattr(target, f"{link}_id"))  # no loop
            ):
                setattr(entity, link, target)
                changed[id(entity)] = entity
    now = timezone.now()
    created = {id(entity) for entity in new}
    updated = {key: entity for key, entity in changed.items() if key not in created}
    for entity in updated.values():
        entity.updated_at = now
    Entity.objects.bulk_update(
        changed.values(),
        [*FIELDS.values(), *(f"{link}_id" for link in LINKS), "updated_at"],
        batch_size=500,
    )

    known = set(Alias.objects.values_list("entity_id", "text", "language"))
    aliases = []
    for record, entity in pairs:
        for text, language in record.aliases:
            if {(entity.pk, text, language), (entity.pk, text, "")} & known:
                continue
            known.add((entity.pk, text, language))
            aliases.append(Alias(entity=entity, text=text, language=language, **alias_flags(text)))
            if id(entity) not in created:
                updated[id(entity)] = entity
    Alias.objects.bulk_create(aliases, batch_size=1000)

    summary.created, summary.updated = len(new), len(updated)
    summary.unchanged = len(matched) - summary.created - summary.updated
    if summary.created or summary.updated:
        kb_changed()
    return summary


def _keys(kind: str, source) -> list[tuple[str, str, str]]:
    """The keys an entity or a record is matched by, in this order: its Wikidata id, its slug
    and (an entity) its name, each within its kind."""
    if isinstance(source, Entity):
        wikidata, name = source.wikidata_id, ("name", kind, source.name.casefold())
    else:
        wikidata, name = source.wikidata, None
    keys = [("wikidata", kind, wikidata)] if wikidata else []
    return [*keys, ("slug", kind, source.slug), *filter(None, [name])]


def _invalid(record: ImportRecord) -> str:
    """Tidy the record; return why it cannot be imported, or "" if it can."""
    record.name = " ".join(record.name.split())
    if not record.name:
        return "no name"
    if len(record.name) > MAX_LENGTH["name"]:
        return "name too long"
    record.slug = record.slug or slugify(record.name)[: MAX_LENGTH["slug"]].strip("-")
    record.slug = record.slug or record.wikidata.lower()
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", record.slug) or len(record.slug) > MAX_LENGTH["slug"]:
        return "bad slug"
    if len(record.domain) > MAX_LENGTH["website_domain"]:
        record.domain = ""
    record.description = record.description[: MAX_LENGTH["description"]]
    record.role = record.role[: MAX_LENGTH["role"]]
    if len(record.sector) > MAX_LENGTH["sector"]:
        return "sector too long"
    # Tickers ("NASDAQ:NVDA"), one letter, or no letter at all make poor aliases.
    record.aliases = [
        (text, language)
        for text, language in record.aliases
        if len(text) <= MAX_LENGTH["name"]
        and ":" not in text
        and sum(character.isalpha() for character in text) >= 2
    ]
    return ""


def _add_parents_from_subsidiaries(records: list[ImportRecord]) -> None:
    """A company's subsidiaries (P355) are given that company as a parent when they have none."""
    companies = {r.wikidata: r for r in records if r.kind == Entity.Kind.COMPANY and r.wikidata}
    for record in companies.values():
        for child in filter(None, map(companies.get, record.subsidiaries)):
            child.links.setdefault("parent", [])
            if not child.links["parent"]:
                child.links["parent"].append(record.wikidata)


def _with_needed_links(matched, known_keys, summary):
    """Keep the records whose links name an entity of the knowledge base or of a kept record.

    A CSV row is skipped for any link naming nothing; a Wikidata person or product for having
    no employer or maker among the kept companies (its other links are dropped if unknown).
    Skipping a record may leave others without their link, hence the rounds.
    """
    while True:
        available = known_keys | {
            key for record, _ in matched for key in _keys(record.kind, record)
        }
        kept = []
        for record, entity in matched:
            if reason := _missing_link(record, available):
                summary.skip(record.line, reason)
            else:
                kept.append((record, entity))
        if len(kept) == len(matched):
            return kept
        matched = kept


def _missing_link(record: ImportRecord, available: set) -> str:
    space = "wikidata" if record.by_wikidata else "slug"
    for link, refs in record.links.items():
        target_kind = LINKS[link][1]
        needed = not record.by_wikidata or REQUIRED_LINK.get(record.kind) == link
        if needed and not any((space, target_kind, ref) in available for ref in refs):
            if record.by_wikidata:
                return f"no {LINK_WORDS[link]} among the kept companies"
            return f"unknown {link}"
    return ""


def _target(record: ImportRecord, link: str, refs: list[str], by_key: dict) -> Entity | None:
    space = "wikidata" if record.by_wikidata else "slug"
    target_kind = LINKS[link][1]
    return next((by_key[key] for ref in refs if (key := (space, target_kind, ref)) in by_key), None)
