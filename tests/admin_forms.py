"""What the admin's article form posts, for tests that save articles through it."""


def article_form(outlet, **fields) -> dict:
    """Return the article form's data: an English article."""
    return {
        "title": "Arm and Qualcomm settle their licensing dispute",
        "slug": "",
        "standfirst": "",
        "body": "The two chip designers ended their court fight over licences.",
        "source_url": "https://news.example/arm-qualcomm",
        "outlet": outlet.pk,
        "byline": "",
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
        **fields,
    }
