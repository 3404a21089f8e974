"""A small knowledge base for pipeline tests, built through the ORM."""

from entities.knowledge_base import kb_changed
from entities.models import Alias, Entity


def make_small_kb() -> dict[str, Entity]:
    def entity(kind, slug, name, aliases, **links):
        created = Entity.objects.create(kind=kind, slug=slug, name=name, **links)
        for text, options in aliases:
            Alias.objects.create(entity=created, text=text, **options)
        return created

    plain = {}
    word = {"case_sensitive": True, "ambiguous": True}
    lg_corp = entity("company", "lg-corp", "LG Corp", [("LG Corp", plain)])
    kb = {
        "lg-corp": lg_corp,
        "meta-platforms": entity(
            "company",
            "meta-platforms",
            "Meta Platforms",
            [("Meta Platforms", plain), ("Meta", word)],
        ),
        "lg-electronics": entity(
            "company",
            "lg-electronics",
            "LG Electronics",
            [("LG Electronics", plain), ("LG", {"case_sensitive": True})],
            parent=lg_corp,
        ),
        "apple": entity("company", "apple", "Apple", [("Apple", word)]),
        "nvidia": entity("company", "nvidia", "Nvidia", [("Nvidia", plain)]),
        "samsung-electronics": entity(
            "company",
            "samsung-electronics",
            "Samsung Electronics",
            [("Samsung Electronics", plain)],
        ),
    }
    kb["mark-zuckerberg"] = entity(
        "person",
        "mark-zuckerberg",
        "Mark Zuckerberg",
        [("Mark Zuckerberg", plain), ("Zuckerberg", {"case_sensitive": True})],
        affiliation=kb["meta-platforms"],
    )
    kb["william-cho"] = entity(
        "person",
        "william-cho",
        "William Cho",
        [("William Cho", plain)],
        affiliation=kb["lg-electronics"],
    )
    kb["apple-vision-pro"] = entity(
        "product",
        "apple-vision-pro",
        "Apple Vision Pro",
        [("Apple Vision Pro", plain), ("Vision Pro", plain)],
        maker=kb["apple"],
    )
    kb["nvidia-h100"] = entity(
        "product",
        "nvidia-h100",
        "Nvidia H100",
        [("Nvidia H100", plain), ("H100", plain)],
        maker=kb["nvidia"],
    )
    kb_changed()  # as the services do after an editor's change
    return kb
