from django.dispatch import Signal

# Sent after commit when an article's title or body changed, or an editor asks for re-tagging;
# the entities app answers by enqueuing the tagging task. Argument: article_id.
tagging_requested = Signal()

# Sent inside the saving transaction whenever an article's status or publication time may
# have changed, so that data kept for public lists follows. Argument: article.
publication_changed = Signal()
