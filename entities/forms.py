"""What editors may type: names without hidden characters, longer text cleaned of them.

A name shows in titles, links, feeds and JSON-LD: one holding a hidden character is refused,
so that the editor sees it and retypes it. Longer text (a description, a body) is pasted from
elsewhere: the characters are removed and the rest kept. The newsroom's forms use these too.
"""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from .knowledge_base import entities_named
from .models import Candidate, Entity

# C0/C1 control characters other than tab and newlines: invisible, and they break feeds.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Zero-width characters: a name made only of them looks empty, and is.
INVISIBLE_CHARACTERS = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Bidirectional overrides and isolates let text display as something other than it is.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def plain_name(value: str, *, label: str) -> str:
    """Return the name trimmed, or refuse it if it looks empty or hides control characters."""
    value = value.strip()
    if not INVISIBLE_CHARACTERS.sub("", value).strip():
        raise ValidationError(f"The {label} is empty.", code="empty")
    if CONTROL_CHARACTERS.search(value) or BIDI_CONTROLS.search(value):
        raise ValidationError(
            f"The {label} contains invisible control or text-direction characters: "
            "retype it or paste it as plain text.",
            code="hidden_characters",
        )
    return value


def without_hidden_characters(text: str) -> str:
    """Return the text without control or text-direction characters, trimmed."""
    return BIDI_CONTROLS.sub("", CONTROL_CHARACTERS.sub("", text)).strip()


def clean_search_term(term: str) -> str:
    """Return an admin search term with its control characters made spaces.

    PostgreSQL refuses NUL in a query; a control character between two words still parts them.
    """
    return CONTROL_CHARACTERS.sub(" ", term)


# The admin supplies each form's model and fields.


class EntityAdminForm(forms.ModelForm):
    def clean_name(self):
        return plain_name(self.cleaned_data["name"], label="name")

    def clean_description(self):
        return without_hidden_characters(self.cleaned_data["description"])

    def clean_website_domain(self):
        return without_hidden_characters(self.cleaned_data["website_domain"])

    def clean_sector(self):
        return without_hidden_characters(self.cleaned_data["sector"])

    def clean_role(self):
        return without_hidden_characters(self.cleaned_data["role"])


class AliasAdminForm(forms.ModelForm):
    def clean_text(self):
        return plain_name(self.cleaned_data["text"], label="alias")


class TopicAdminForm(forms.ModelForm):
    def clean_name(self):
        return plain_name(self.cleaned_data["name"], label="name")


def company_picker(field_name: str) -> forms.ModelChoiceField:
    """A company chosen through the entity autocomplete, as on the entity page."""
    field = Entity._meta.get_field(field_name)
    return forms.ModelChoiceField(
        Entity.objects.filter(kind=Entity.Kind.COMPANY),
        required=False,
        widget=AutocompleteSelect(field, admin.site),
        help_text=field.help_text,
    )


class CandidateReviewForm(forms.ModelForm):
    """A chief editor's decision on a candidate: a new entity, a new name of one, or neither.

    The button pressed says which (`decision`); only its own fields are read.
    """

    DECISIONS = {
        "accept": "Accept as a new entity",
        "link": "Link to an existing entity",
        "reject": "Reject",
    }
    # Which kind of entity may have each link to a company.
    RELATED_COMPANY_OF = {
        "maker": Entity.Kind.PRODUCT,
        "affiliation": Entity.Kind.PERSON,
        "parent": Entity.Kind.COMPANY,
    }

    decision = forms.ChoiceField(choices=DECISIONS.items())
    kind = forms.ChoiceField(choices=[("", "---------"), *Entity.Kind.choices], required=False)
    name = forms.CharField(max_length=200, required=False, help_text="Left blank: the candidate.")
    aliases = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Other ways stories write it, one a line. The name and the candidate are "
        "aliases already.",
    )
    maker = company_picker("maker")
    affiliation = company_picker("affiliation")
    parent = company_picker("parent")
    link_to = forms.ModelChoiceField(
        Entity.objects.all(),
        required=False,
        label="Existing entity",
        widget=AutocompleteSelect(Candidate._meta.get_field("entity"), admin.site),
        help_text="The candidate becomes one of its aliases.",
    )

    class Meta:
        model = Candidate
        fields = []

    class Media:
        js = ["admin/newsdesk_autocomplete_labels.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidate = self.instance
        self.fields["kind"].initial = candidate.likely_kind
        self.fields["name"].initial = candidate.text
        # What the knowledge base already calls by this name, offered as the link.
        self.known_entities = [] if self.is_bound else entities_named([candidate.text])
        if self.known_entities:
            self.fields["link_to"].initial = self.known_entities[0].pk

    def clean_name(self):
        name = self.cleaned_data["name"]
        return plain_name(name, label="name") if name.strip() else ""

    def clean_aliases(self):
        return [
            plain_name(line, label="alias")
            for line in self.cleaned_data["aliases"].splitlines()
            if line.strip()
        ]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "accept":
            self._check_new_entity(cleaned)
        elif decision == "link" and not cleaned.get("link_to"):
            self.add_error("link_to", "Choose the entity this candidate is another name of.")
        return cleaned

    def _check_new_entity(self, cleaned):
        kind = cleaned.get("kind")
        if not kind:
            self.add_error("kind", "Choose whether it is a company, a person or a product.")
        for field_name, kind_needed in self.RELATED_COMPANY_OF.items():
            if cleaned.get(field_name) and kind != kind_needed:
                self.add_error(
                    field_name, f"Only a {Entity.Kind(kind_needed).label.lower()} has one."
                )
        names = [cleaned.get("name") or self.instance.text, self.instance.text]
        known = entities_named([*names, *cleaned.get("aliases", [])])
        if known:
            self.known_entities = known
            listed = ", ".join(f"{e.name} ({e.get_kind_display().lower()})" for e in known)
            # Offered as the link instead: the picker below shows it, ready to submit.
            self.data = self.data.copy()
            self.data[self.add_prefix("link_to")] = str(known[0].pk)
            raise ValidationError(
                f"“{names[0]}” is already in the knowledge base as {listed}: link the "
                "candidate to it rather than create another.",
                code="already_known",
            )
