"""What editors may type: names without hidden characters, longer text cleaned of them.

A name shows in titles, links, feeds and JSON-LD: one holding a hidden character is refused,
so that the editor sees it and retypes it. Longer text (a description, a body) is pasted from
elsewhere: the characters are removed and the rest kept. The newsroom's forms use these too.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

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
