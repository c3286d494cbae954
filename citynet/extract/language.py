"""Which language a text is in, among the EU's official languages, Catalan and Norwegian.

Identification is py3langid's naive Bayes model, which ships inside its wheel
(``py3langid/data/model.npz.xz``, 140 labels, ga and mt among them; Norwegian as ``no`` and ``nn``,
no ``nb``). The model is loaded once, on first use (about 1 s).

One pass gives two answers. The text's probabilities over *all* the model's labels say whether it is
in a language of :data:`LANGUAGES` at all; the same probabilities renormalised over the listed
labels are exactly what ``set_languages(LANGUAGES)`` gives (the softmax of a subset of the same
scores), and their best label is the answer. A text is *outside the list* when its best label
overall is neither listed nor a close neighbour of a listed language (:data:`NEIGHBOURS`: Bosnian
and Serbian in Latin script next to Croatian, Galician next to Portuguese …, which the model confuses
on short texts) and holds at least :data:`OUTSIDE` of the probability, so Russian or Turkish is an
error, not a forced guess at Bulgarian or Hungarian.

Catalan (``ca``) is on the list although it is not an official EU language: the issue measures
extraction on Catalan pages (co-official in Spain, used with the EU's institutions).

>>> identify("Miasto Łódź jest liderem projektu, a partnerami są miasta z Hiszpanii i Wielkiej Brytanii.")[0]
'pl'
>>> normalise_code("nb")
'no'
"""

from __future__ import annotations

from functools import cache
from typing import Any

from citynet.errors import ExtractError

# ISO 639-1: the 24 official languages of the EU, Catalan and Norwegian (nb and nn map to no).
LANGUAGES = frozenset({
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "ca", "no",
})  # fmt: skip
LISTED = ", ".join(sorted(LANGUAGES))
ALIASES = {"nb": "no", "nn": "no"}
# Labels of the model that stand for a listed language, or that the model gives to short texts in one.
NEIGHBOURS = {
    "nn": "no",
    "bs": "hr",
    "sr": "hr",
    "gl": "pt",
    "an": "es",
    "ext": "es",
    "oc": "ca",
    "ltg": "lv",
    "lb": "de",
    "fy": "nl",
    "vec": "it",
    "lij": "it",
    "wa": "fr",
    "la": "it",
    "zxx": None,  # "no language" (numbers, codes): not a reason to refuse
}
OUTSIDE = 0.5  # share of the probability a non-listed best label needs for the text to be refused
SAMPLE = 20_000  # characters read for identification: the start of a long text is enough


@cache
def load_identifier() -> Any:
    """py3langid's identifier over all its labels, with probabilities; loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalise_code(code: str) -> str:
    """The list's code for a language code (``nb``/``nn`` → ``no``), lower-cased.

    >>> normalise_code("PL")
    'pl'
    """
    code = code.strip().lower()
    return ALIASES.get(code, code)


def check_code(code: str) -> str:
    """A given language code, normalised; :class:`ExtractError` when it is not on the list.

    >>> check_code("nn")
    'no'
    >>> check_code("ru")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    citynet.errors.ExtractError: language "ru" is not one citynet extracts from - expected one of bg, ca, ...
    """
    normal = normalise_code(code)
    if normal not in LANGUAGES:
        raise ExtractError(f'language "{code}" is not one citynet extracts from - expected one of {LISTED}')
    return normal


def rank_all(text: str) -> list[tuple[str, float]]:
    """Every label of the model with its probability for ``text``, best first.

    >>> rank_all("Das Netzwerk wird von der Stadt Altena geleitet.")[0][0]
    'de'
    """
    return load_identifier().rank(text[:SAMPLE])


def pick_listed(ranked: list[tuple[str, float]]) -> tuple[str, float]:
    """The best listed language of a ranking and its probability among the listed labels only."""
    listed = [(normalise_code(label), p) for label, p in ranked if normalise_code(label) in LANGUAGES]
    total = sum(p for _, p in listed)
    merged: dict[str, float] = {}
    for label, p in listed:
        merged[label] = merged.get(label, 0.0) + p
    best = max(merged, key=merged.__getitem__)
    return best, (merged[best] / total if total > 0 else 0.0)


def find_outsider(ranked: list[tuple[str, float]]) -> tuple[str, float] | None:
    """The best label overall when it is a language outside the list that holds ≥ OUTSIDE, or None."""
    label, p = ranked[0]
    if normalise_code(label) in LANGUAGES or label in NEIGHBOURS or p < OUTSIDE:
        return None
    return label, p


def identify(text: str) -> tuple[str, float]:
    """The language of ``text`` among :data:`LANGUAGES` and the model's probability for it (0..1).

    Raises :class:`ExtractError` when the text has no letters or is in a language outside the list.

    >>> identify("Der Stadtrat hat beschlossen, dem Netzwerk als Partner beizutreten.")[0]
    'de'
    >>> identify("Belediye meclisi, şehrin Avrupa projesine ortak olarak girmesine karar verdi.")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    citynet.errors.ExtractError: the text is in a language citynet does not extract from (tr, ...
    """
    if not any(char.isalpha() for char in text[:SAMPLE]):
        raise ExtractError("the text has no letters, so no language - expected a text in words")
    ranked = rank_all(text)
    outsider = find_outsider(ranked)
    if outsider is not None:
        raise ExtractError(
            f"the text is in a language citynet does not extract from ({outsider[0]}, probability "
            f"{outsider[1]:.2f}) - expected one of {LISTED}; give --lang if it is one of them"
        )
    return pick_listed(ranked)
