"""The compiled tagging dictionary: built once per process, rebuilt when the KB changes.

Every write to entities or aliases bumps a version stamp kept in the cache (shared by all
workers when the cache is Redis); a worker compares its dictionary's stamp with it before
tagging, one cache read per article, and rebuilds only when they differ.
"""

import logging
import threading
import uuid

from django.core.cache import cache

from .models import Alias, Entity
from .tagging import AliasRecord, Dictionary, EntityKind, EntityRecord
from .tagging.normalize import identity_key

logger = logging.getLogger(__name__)

VERSION_KEY = "entities:kb-version"

_lock = threading.Lock()
_compiled: tuple[str, Dictionary] | None = None


def kb_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() keeps the first stamp when two processes start at once.
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def kb_changed() -> None:
    """Tell every process that its compiled dictionary is out of date."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # The cache is down: the editor's change is saved all the same. The stamp went with
        # the cache (it keeps nothing on disk), so every worker rebuilds once it is back.
        logger.warning("Could not mark the knowledge base as changed", exc_info=True)


def get_dictionary() -> Dictionary:
    """Return the compiled dictionary for the current knowledge base.

    With the cache down or hung, the version cannot be read: the dictionary compiled last
    serves (the first one is compiled anyway), rather than the tagging failing.
    """
    global _compiled
    compiled = _compiled
    try:
        version = kb_version()
    except Exception:
        logger.warning("Knowledge base version unavailable", exc_info=True)
        if compiled is not None:
            return compiled[1]
        version = uuid.uuid4().hex
    if compiled is not None and compiled[0] == version:
        return compiled[1]
    with _lock:
        if _compiled is None or _compiled[0] != version:
            _compiled = (version, build_dictionary())
        return _compiled[1]


def build_dictionary() -> Dictionary:
    """Compile the whole knowledge base from the database."""
    return Dictionary(entity_records(), alias_records())


def entity_records() -> list[EntityRecord]:
    rows = Entity.objects.values_list(
        "id",
        "kind",
        "slug",
        "name",
        "maker_id",
        "affiliation_id",
        "parent_id",
        "variant_of_id",
        "provisional",
    )
    return [
        EntityRecord(
            id=pk,
            kind=EntityKind(kind),
            slug=slug,
            name=name,
            maker_id=maker_id,
            affiliation_id=affiliation_id,
            parent_id=parent_id,
            variant_of_id=variant_of_id,
            provisional=provisional,
        )
        for (
            pk,
            kind,
            slug,
            name,
            maker_id,
            affiliation_id,
            parent_id,
            variant_of_id,
            provisional,
        ) in rows.iterator()
    ]


def alias_records() -> list[AliasRecord]:
    rows = Alias.objects.values_list("entity_id", "text", "language", "case_sensitive", "ambiguous")
    return [
        AliasRecord(
            entity_id=entity_id,
            text=text,
            language=language,
            case_sensitive=case_sensitive,
            ambiguous=ambiguous,
        )
        for entity_id, text, language, case_sensitive, ambiguous in rows.iterator()
    ]


def entities_named(names) -> list[Entity]:
    """Return the entities already known by one of these names, nearly or exactly.

    A name or alias counts when it has the same identity key (case, accents, punctuation and
    legal forms aside), ambiguous aliases included: "Amazon" finds Amazon however its alias
    is marked.
    """
    keys = {identity_key(name) for name in names} - {""}
    if not keys:
        return []
    named = {
        pk
        for pk, name in Entity.objects.values_list("pk", "name").iterator()
        if identity_key(name) in keys
    }
    named.update(
        entity_id
        for entity_id, text in Alias.objects.values_list("entity_id", "text").iterator()
        if identity_key(text) in keys
    )
    return list(Entity.objects.filter(pk__in=named).order_by("name")) if named else []
