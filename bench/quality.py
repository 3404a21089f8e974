"""`make quality`: tagging precision, recall and F1 on our own annotated stories.

Each story of `bench/quality/*.jsonl` was written by us, with what a careful editor would tag:
its companies, people and products (each with the forms the text uses), the relationships it
states, and traps (a word that looks like a name but is not one here). The stories go through
`tag_text`, as a user runs it, against a fresh SQLite database holding the starter knowledge
base; an entity counts as found when one of its mentions is one of the gold forms.

`dev` files are for looking at mistakes (`--errors`); `test` files are only scored, so that
the figures say how the engine does on news it was not tuned on.
"""

import argparse
import io
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from entities.tagging.normalize import identity_key

DATA = Path(__file__).with_name("quality")
KINDS = {"company": "companies", "person": "people", "product": "products"}


def fold(text: str) -> str:
    """Compare forms as a reader would: case, accents, punctuation and legal forms ("Corp")
    do not matter."""
    return identity_key(text)


def tagged(story: dict) -> dict:
    """Return tag_text's JSON output for one story."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "tag_text",
        lang=story["language"],
        title=story["title"],
        stdin=io.BytesIO(story["text"].encode()),
        stdout=out,
    )
    return json.loads(out.getvalue())


def context(story: dict, forms: set[str]) -> str:
    """Return the words around a form's first occurrence, to see why it was missed."""
    text = story["text"]
    starts = [text.find(form) for form in forms]
    start = min((at for at in starts if at >= 0), default=0)
    return " ".join(text[max(0, start - 70) : start + 50].split())


def best_matching(candidates: list[list[str]]) -> dict[int, str]:
    """Return a maximum matching of tagged entities (by index) to gold names, by augmenting
    paths (Kuhn's algorithm): a story has a few dozen entities at most."""
    owner: dict[str, int] = {}

    def assign(index: int, seen: set[str]) -> bool:
        for name in candidates[index]:
            if name not in seen:
                seen.add(name)
                if name not in owner or assign(owner[name], seen):
                    owner[name] = index
                    return True
        return False

    for index in range(len(candidates)):
        assign(index, set())
    return {index: name for name, index in owner.items()}


def score(story: dict, output: dict) -> dict:
    """Return the story's counts and mistakes, by kind, relationships and traps."""
    result = {"counts": Counter(), "mistakes": []}
    counts, mistakes = result["counts"], result["mistakes"]
    gold_of_slug = {}
    for kind, key in KINDS.items():
        gold = [
            (entity["name"], {fold(form) for form in [entity["name"], *entity["forms"]]})
            for entity in story[key]
        ]
        tagged = [entity for entity in output["entities"] if entity["kind"] == kind]
        candidates = [
            [
                name
                for name, gold_forms in gold
                if gold_forms
                & ({fold(m["text"]) for m in entity["mentions"]} | {fold(entity["name"])})
            ]
            for entity in tagged
        ]
        # One gold entity to one tagged entity, as many pairs as can be: a family and its
        # suggested version share a mention, and either may be what the gold names.
        match_of = best_matching(candidates)
        found = set(match_of.values())
        for index, entity in enumerate(tagged):
            if index in match_of:
                gold_of_slug[entity["slug"]] = match_of[index]
                counts[f"{kind} tp"] += 1
            else:
                counts[f"{kind} fp"] += 1
                forms = sorted({m["text"] for m in entity["mentions"]})
                mistakes.append(f"{kind} tagged wrongly: {entity['name']} {forms}")
        for name, _ in gold:
            if name not in found:
                counts[f"{kind} fn"] += 1
                raw_forms = next(e["forms"] for e in story[key] if e["name"] == name)
                mistakes.append(f"{kind} missed: {name} … {context(story, raw_forms)}")
    gold_pairs = {(r["kind"], frozenset(r["companies"])) for r in story["relationships"]}
    found_pairs = set()
    for relationship in output["relationships"]:
        names = frozenset(gold_of_slug.get(slug, slug) for slug in relationship["companies"])
        found_pairs.add((relationship["kind"], names))
    for kind_pair in found_pairs | gold_pairs:
        kind, pair = kind_pair
        outcome = (
            "tp"
            if kind_pair in found_pairs & gold_pairs
            else "fp"
            if kind_pair in found_pairs
            else "fn"
        )
        for measure in (kind, "relationship"):
            counts[f"{measure} {outcome}"] += 1
        if outcome != "tp":
            verb = "found wrongly" if outcome == "fp" else "missed"
            mistakes.append(f"{kind} {verb}: {' / '.join(sorted(pair))}")
    mentioned = {fold(m["text"]) for e in output["entities"] for m in e["mentions"]}
    for trap in story["traps"]:
        counts["traps"] += 1
        if fold(trap["form"]) in mentioned:
            counts["traps tagged"] += 1
            mistakes.append(f"trap tagged: {trap['form']} ({trap['why']})")
    return result


def figures(counts: Counter, measure: str) -> tuple[float, float, float, int]:
    tp, fp, fn = (counts[f"{measure} {outcome}"] for outcome in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp + fn


def table(totals: dict[str, Counter]) -> str:
    measures = [*KINDS, "partnership", "supplier_customer", "acquisition", "relationship"]
    lines = [f"{'set':<10} {'measure':<18} {'P':>5} {'R':>5} {'F1':>5} {'gold':>5}"]
    for name, counts in totals.items():
        for measure in measures:
            precision, recall, f1, gold = figures(counts, measure)
            lines.append(
                f"{name:<10} {measure:<18} {precision:5.2f} {recall:5.2f} {f1:5.2f} {gold:5d}"
            )
        lines.append(
            f"{name:<10} {'traps tagged':<18} {counts['traps tagged']} of {counts['traps']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="default: bench/quality/*.jsonl")
    parser.add_argument("--errors", action="store_true", help="list each story's mistakes")
    arguments = parser.parse_args()
    files = arguments.files or sorted(DATA.glob("*.jsonl"))
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/quality.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_starter_kb", stdout=io.StringIO())
        totals: dict[str, Counter] = {}
        for path in files:
            set_name = path.stem
            totals[set_name] = Counter()
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                story = json.loads(line)
                result = score(story, tagged(story))
                totals[set_name] += result["counts"]
                if arguments.errors and result["mistakes"]:
                    print(f"\n## {story['id']}: {story['title']}")
                    print("\n".join(f"- {mistake}" for mistake in result["mistakes"]))
        totals["all"] = sum(totals.values(), Counter())
        print()
        print(table(totals))


if __name__ == "__main__":
    sys.exit(main())
