import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entities.tagging import (
    SUBJECT_THRESHOLD,
    AliasRecord,
    Dictionary,
    EntityKind,
    EntityRecord,
    TagResult,
    lexicons,
    tag,
)
from entities.tagging.dictionary import family_name
from entities.tagging.lexicons import word_list
from entities.tagging.normalize import name_forms

ENTITIES = [
    EntityRecord(1, EntityKind.COMPANY, "nvidia", "Nvidia"),
    EntityRecord(2, EntityKind.PRODUCT, "nvidia-h100", "Nvidia H100", maker_id=1),
    EntityRecord(3, EntityKind.COMPANY, "abc-corp", "ＡＢＣ Corp"),
    EntityRecord(4, EntityKind.COMPANY, "strasse-tech", "Straße Tech"),
    EntityRecord(5, EntityKind.COMPANY, "loreal", "L’Oréal"),
    EntityRecord(6, EntityKind.PERSON, "kwon-bong-seok", "Kwon Bong-seok"),
    EntityRecord(7, EntityKind.COMPANY, "istanbul-labs", "İstanbul Labs"),
    EntityRecord(8, EntityKind.COMPANY, "societe-generale", "Société Générale"),
    EntityRecord(9, EntityKind.PRODUCT, "finance-ai", "ﬁnance AI"),
    EntityRecord(10, EntityKind.COMPANY, "rocket", "🚀 Rocket"),
    EntityRecord(11, EntityKind.COMPANY, "ecole", "E\u0301cole 42"),
    EntityRecord(12, EntityKind.COMPANY, "meta", "Meta"),
    EntityRecord(13, EntityKind.PERSON, "sisyphus", "Σίσυφος Παππάς"),
]
ALIASES = [
    AliasRecord(1, "Nvidia"),
    AliasRecord(2, "Nvidia H100"),
    AliasRecord(2, "H100", case_sensitive=True),
    AliasRecord(3, "ＡＢＣ Corp"),
    AliasRecord(4, "Straße Tech"),
    AliasRecord(5, "L’Oréal"),
    AliasRecord(6, "Kwon Bong-seok"),
    AliasRecord(7, "İstanbul Labs"),
    AliasRecord(8, "Société Générale", case_sensitive=True),
    AliasRecord(8, "SocGen", language="fr"),
    AliasRecord(9, "ﬁnance AI"),
    AliasRecord(10, "🚀 Rocket"),
    AliasRecord(11, "E\u0301cole 42"),
    AliasRecord(12, "Meta", case_sensitive=True, ambiguous=True),
    AliasRecord(13, "Σίσυφος Παππάς"),
]
DICTIONARY = Dictionary(ENTITIES, ALIASES)


def _name_forms_of(entity_id: int) -> set[str]:
    names = [alias.text for alias in ALIASES if alias.entity_id == entity_id]
    entity = DICTIONARY.entities[entity_id]
    if entity.kind == EntityKind.PERSON:
        names.append(family_name(entity.name))
    return {name_forms(name)[1] for name in names}


NAME_FORMS = {entity_id: _name_forms_of(entity_id) for entity_id in DICTIONARY.entities}

ANY_CHARACTER = st.characters(exclude_categories=())
DECORATIONS = st.sampled_from(
    [
        lambda name: name,
        str.upper,
        str.lower,
        lambda name: name.replace(" ", "\u00a0"),
        lambda name: name.replace(" ", "  \n"),
        lambda name: name.replace("-", " "),
        lambda name: name.replace("’", "'"),
        lambda name: name[:2] + "\u200b" + name[2:],
        lambda name: name[:1] + "\u00ad" + name[1:],
        lambda name: f"d’{name}",
        lambda name: f"{name}’s",
        lambda name: f"({name}).",
        lambda name: f"{name}s",
        lambda name: f"Meta-{name}",
    ]
)
MENTIONS = st.builds(
    lambda name, decorate: decorate(name),
    st.sampled_from(
        [alias.text for alias in ALIASES]
        + ["Kwon", "Cho", "ＮＶＩＤＩＡ", "company said", "a déclaré", "Metaverse"]
    ),
    DECORATIONS,
)
SEPARATORS = st.sampled_from([" ", "\n\n", "\u00a0", "’", "-", ". ", ", ", "\u202f", "…", ""])
ARTICLE_TEXT = st.lists(
    st.one_of(st.text(ANY_CHARACTER, max_size=12), MENTIONS, SEPARATORS), max_size=40
).map("".join)
LANGUAGES = st.sampled_from(["", "en", "fr", "fr-FR", "xx"])


def assert_consistent(result: TagResult, text: str) -> None:
    version_spans = _version_spans(result)
    for match in result.entities:
        assert 0.0 <= match.salience <= 1.0
        assert 0.0 < match.confidence <= 1.0
        assert [span.start for span in match.mentions] == sorted(
            span.start for span in match.mentions
        )
        for span in match.mentions:
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == span.text
            if name_forms(span.text)[1] not in NAME_FORMS[match.entity_id]:
                # A product's name extended over a new version: the version is suggested.
                assert span in version_spans[match.entity_id]
    order = [(-match.salience, match.name) for match in result.entities]
    assert order == sorted(order)
    for new in result.new_entities:
        for span in new.mentions:
            assert text[span.start : span.end] == span.text
            # The name, perhaps with its legal form ("Acme Inc."), or a short form after it: a
            # surname, a company's first words, an acronym.
            words = " ".join(span.text.split())
            assert (
                words == new.name
                or words.startswith(f"{new.name} ")
                or set(words.split()) < set(new.name.split())
                or words.isupper()
            )


def _version_spans(result: TagResult) -> dict[int, set]:
    """Return the spans of each product's new versions, checking that each starts with one of
    the product's names (or, for a new model, its maker's), whole words, and goes on with more
    words."""
    spans: dict[int, set] = {}
    for new in result.new_entities:
        if new.kind != EntityKind.PRODUCT:
            continue
        named_after = new.maker_id if new.variant_of_id is None else new.variant_of_id
        for span in new.mentions:
            folded = name_forms(span.text)[1]
            assert any(folded.startswith(f"{name} ") for name in NAME_FORMS[named_after])
            spans.setdefault(new.variant_of_id, set()).add(span)
    return spans


@settings(max_examples=300, deadline=None)
@given(text=ARTICLE_TEXT, title=ARTICLE_TEXT, language=LANGUAGES)
def test_tag_spans_index_the_text_and_normalise_to_an_alias(text, title, language):
    result = tag(text, dictionary=DICTIONARY, title=title, language=language)
    assert result.language == language
    assert_consistent(result, text)


@settings(max_examples=200, deadline=None)
@given(text=st.text(ANY_CHARACTER, max_size=300), title=st.text(ANY_CHARACTER, max_size=40))
def test_tag_never_raises_on_arbitrary_unicode(text, title):
    assert_consistent(tag(text, dictionary=DICTIONARY, title=title), text)


FINDABLE_ALIASES = [alias for alias in ALIASES if not alias.ambiguous and not alias.language]
KEEPING_DECORATIONS = st.sampled_from(
    [
        lambda name: name,
        lambda name: name.replace(" ", "\u00a0"),
        lambda name: name.replace(" ", " \n "),
        lambda name: name.replace("-", " "),
        lambda name: name.replace("’", "'"),
        lambda name: name[:2] + "\u200b" + name[2:],
        lambda name: f"d’{name}",
        lambda name: f"{name}’s",
        lambda name: f"«\u202f{name}\u202f»",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(ANY_CHARACTER, max_size=30),
    alias=st.sampled_from(FINDABLE_ALIASES),
    decorate=KEEPING_DECORATIONS,
    after=st.text(ANY_CHARACTER, max_size=30),
)
def test_an_alias_between_spaces_is_found_whatever_surrounds_it(before, alias, decorate, after):
    text = f"{before} {decorate(alias.text)} {after}"
    result = tag(text, dictionary=DICTIONARY)
    assert alias.entity_id in {match.entity_id for match in result.entities}
    assert_consistent(result, text)


VERSION_WORDS = st.lists(
    st.sampled_from(
        [
            *("9", "3.5", "24H2", "S24", "Pro", "Max", "Ultra", "Gen", "2", "million"),
            *("128GB", "pro", "%", ",", "000", "Nvidia", "H100", "."),
        ]
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(ANY_CHARACTER, max_size=20),
    version=VERSION_WORDS,
    glue=st.sampled_from([" ", "\u00a0", "  ", ""]),
    after=st.text(ANY_CHARACTER, max_size=20),
    language=LANGUAGES,
)
def test_a_version_after_a_product_keeps_offsets_on_the_text(
    before, version, glue, after, language
):
    text = f"{before} Nvidia H100 {glue.join(version)} {after}"
    result = tag(text, dictionary=DICTIONARY, language=language)
    assert 2 in {match.entity_id for match in result.entities}
    assert_consistent(result, text)


NEWCOMER_PIECES = st.sampled_from(
    [
        *("chief executive", "CEO", "le PDG", "la directrice générale", "the start-up"),
        *("la société", "Inc.", "SA", "said in a statement", "a annoncé dans un communiqué"),
        *(", who heads", ", qui dirige", "Jane Doe", "Jean-Luc Ébrard", "Acme Labs", "Nvidia"),
        *("Ōtsuka", "İnan", "l’analyste", "’s", "\u00a0", "  ", "\n\n", ". ", "x"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.tuples(NEWCOMER_PIECES, st.sampled_from([" ", "", ", "])), max_size=20),
    language=LANGUAGES,
)
def test_new_names_keep_offsets_on_the_text(pieces, language):
    text = "".join(piece + glue for piece, glue in pieces)
    result = tag(text, dictionary=DICTIONARY, language=language)
    assert_consistent(result, text)
    taken = [(span.start, span.end) for match in result.entities for span in match.mentions]
    # A new person or company never covers an entity already tagged (a new product version
    # does: its family's mention covers the same words).
    for new in result.new_entities:
        if new.kind == EntityKind.PRODUCT:
            continue
        for span in new.mentions:
            assert not any(span.start < end and start < span.end for start, end in taken)


def test_tag_sorts_entities_by_salience_then_name():
    text = "Nvidia H100 et Nvidia.\n\nPlus tard, Kwon Bong-seok et L’Oréal."
    result = tag(text, dictionary=DICTIONARY, title="Nvidia", language="fr")
    assert [match.slug for match in result.entities] == [
        "nvidia",
        "nvidia-h100",
        "kwon-bong-seok",
        "loreal",
    ]
    assert result.entities[0].salience >= SUBJECT_THRESHOLD


def test_tag_marks_title_occurrences_without_making_them_spans():
    result = tag("Rien ici.", dictionary=DICTIONARY, title="L’Oréal grandit", language="fr")
    [match] = result.entities
    assert match.slug == "loreal"
    assert match.in_title
    assert match.mentions == []


def test_tag_of_an_empty_article_finds_nothing():
    assert tag("", dictionary=DICTIONARY) == TagResult(language="")


def test_tag_with_an_empty_dictionary_finds_nothing():
    assert tag("Nvidia", dictionary=Dictionary([], [])).entities == []


# --- word lists ---


def test_word_lists_are_read_from_the_data_files_once():
    assert "pdg" in word_list("context/company", ("fr",))
    assert "pdg" not in word_list("context/company", ("en",))
    assert word_list("discovery/places") is word_list("discovery/places")


def test_a_word_list_skips_comments_and_blank_lines(tmp_path, monkeypatch):
    (tmp_path / "any").mkdir()
    (tmp_path / "fr").mkdir()
    (tmp_path / "any" / "demo.txt").write_text("# For every language\nAI\n\n  tie  up  # a note\n")
    (tmp_path / "fr" / "demo.txt").write_text("s'associe\nC#\nR&D #2\n", encoding="utf-8")
    monkeypatch.setattr(lexicons, "DATA", tmp_path)

    # Unwrapped, so that the process-wide cache never maps "demo" to the test's files.
    read = lexicons.word_list.__wrapped__
    assert read("demo", ("fr",)) == ("AI", "tie up", "s'associe", "C#", "R&D")
    assert read("demo", ("en",)) == ("AI", "tie up")


def test_an_unknown_word_list_is_an_error():
    with pytest.raises(LookupError):
        word_list("discovery/no_such_list")


def test_no_word_list_repeats_an_entry_or_pads_it_with_spaces():
    for path in lexicons.DATA.rglob("*.txt"):
        name = path.relative_to(lexicons.DATA)
        entries = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line and line[0] != "#"
        ]
        assert len(entries) == len(set(entries)), name
        assert all(entry == " ".join(entry.split()) for entry in entries), name
