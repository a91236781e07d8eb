"""A citizen's search text, checked and turned into index terms and exact phrases."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from disclosure.search.tokens import QueryTerm, normalize, query_terms

MAX_QUERY_LENGTH = 200
# Quotes that mark an exact phrase: ASCII, Chinese curly quotes, corner brackets.
_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')


class SearchQueryError(ValueError):
    """The search text cannot be searched; the message says why, in the user's language."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class ParsedQuery:
    """What to search for: index terms (ANDed) and quoted phrases (each must occur as is)."""

    terms: tuple[QueryTerm, ...]
    phrases: tuple[str, ...]


def parse_query(q: str | None) -> ParsedQuery | None:
    """Parse search text; None when there is nothing to search for (empty or blank).

    Raises SearchQueryError beyond MAX_QUERY_LENGTH characters after normalisation (NFKC,
    lower case, runs of spaces as one): longer text is not a search, and a 10,000-character
    query must give the citizen a clear message, not a slow page or an error 500.
    """
    if q is None:
        return None
    if not isinstance(q, str):
        raise SearchQueryError(_("Search terms must be text."))
    # Cheap guard before normalising: NFKC never shrinks text by more than a few times.
    if len(q) > MAX_QUERY_LENGTH * 20:
        raise SearchQueryError(
            _("Search terms are limited to %(limit)s characters."), limit=MAX_QUERY_LENGTH
        )
    text = normalize(q)
    if not text:
        return None
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            _("Search terms are limited to %(limit)s characters."), limit=MAX_QUERY_LENGTH
        )
    phrases = []
    for match in _PHRASE.finditer(text):
        phrase = next((group for group in match.groups() if group is not None), "").strip()
        if phrase:
            phrases.append(phrase)
    return ParsedQuery(terms=tuple(query_terms(text)), phrases=tuple(dict.fromkeys(phrases)))
