"""Which language a text is in, among the EU's official languages, Catalan and Norwegian.

Identification is py3langid's naive Bayes model, which ships inside its wheel
(``py3langid/data/model.npz.xz``, 140 labels, ga and mt among them; Norwegian as ``no`` and ``nn``,
no ``nb``). The model is loaded once, on first use. Unpacking it (LZMA) takes about 1 s, so the
unpacked arrays are kept in the found project's ``.citynet/cache/langid-<key>.npz`` (68 MB; the key
covers py3langid's version and its model file) and later runs load them in under 0.1 s; they are
the same arrays, read the same way (numpy, no pickle), so every identification is the same. When
the cache cannot be written the model is read as py3langid reads it.

One pass gives two answers. The text's probabilities over *all* the model's labels say whether it is
in a language of :data:`LANGUAGES` at all; the same probabilities renormalised over the listed
labels are exactly what ``set_languages(LANGUAGES)`` gives (the softmax of a subset of the same
scores), and their best label is the answer. A text is *outside the list* when its best label
overall is not listed, holds at least :data:`OUTSIDE` of the probability and is not a close
neighbour of the best listed label (:data:`NEIGHBOURS`: Bosnian and Serbian next to Croatian, which
the model confuses), so Russian or Turkish is an error, not a forced guess at Bulgarian or Hungarian;
so are Galician and Luxembourgish (give ``--lang pt`` or ``--lang de`` to read them anyway).

Catalan (``ca``) is on the list although it is not an official EU language: the issue measures
extraction on Catalan pages (a co-official language in Spain).

>>> identify("Miasto Łódź jest liderem projektu, a partnerami są miasta z Hiszpanii i Wielkiej Brytanii.")[0]
'pl'
>>> normalise_code("nb")
'no'
"""

from __future__ import annotations

import lzma
import shutil
import zipfile
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from citynet import diskcache as disk
from citynet.errors import ExtractError

# ISO 639-1: the 24 official languages of the EU, Catalan and Norwegian (nb and nn map to no).
LANGUAGES = frozenset({
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "ca", "no",
})  # fmt: skip
LISTED = ", ".join(sorted(LANGUAGES))
ALIASES = {"nb": "no", "nn": "no"}
# Labels outside the list that the model gives to texts in a listed language next to them: the text
# is taken as that listed language when it is also the best listed one. Measured on the sentences of
# the development pages, the model's only such confusion is Croatian taken for Bosnian (5 of 199
# sentences of 40 to 150 characters), so only the Serbo-Croatian labels are neighbours: Bosnian in
# Latin script is read as Croatian, Serbian in Cyrillic (best listed: Bulgarian) is refused.
NEIGHBOURS = {"bs": {"hr"}, "sr": {"hr"}}
NO_LANGUAGE = "zxx"  # the model's label for numbers and codes: not a reason to refuse
OUTSIDE = 0.5  # share of the probability a non-listed best label needs for the text to be refused
CACHE_FORMAT = 1  # the cached file: the model's npz, unpacked
SAMPLE = 20_000  # characters read for identification: the start of a long text is enough


@cache
def load_identifier() -> Any:
    """py3langid's identifier over all its labels, with probabilities; loaded once, from the cache
    of the found project when it is there."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = MODEL_DIR / MODEL_FILE
    folder = disk.find_cache_dir()
    try:
        key = disk.digest_key(
            CACHE_FORMAT, version("py3langid"), model.stat().st_size, model.stat().st_mtime_ns
        )
    except (OSError, PackageNotFoundError):
        folder = None
    arrays = load_model(folder, key, model) if folder else None
    if arrays is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ptc, pc, classes, nextmove, row, output = arrays
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


def load_model(folder: Path, key: str, model: Path) -> tuple[Any, ...] | None:
    """The model's arrays from the cache folder, unpacked there first when they are not (or not
    readable); None when they cannot be written."""
    path = disk.name_file(folder, "langid", key, "npz")
    arrays = read_model(path) if path.is_file() else None
    if arrays is None:
        written = disk.write_cached(folder, "langid", key, "npz", lambda out: unpack_model(model, out))
        arrays = read_model(written) if written else None
    return arrays


def unpack_model(model: Path, out: IO[bytes]) -> None:
    """Write the model's npz unpacked, as py3langid's ``load_model`` does into a temporary file."""
    with lzma.open(model) as packed:
        shutil.copyfileobj(packed, out, length=1 << 20)


def read_model(path: Path) -> tuple[Any, ...] | None:
    """The model's arrays from its unpacked npz, as py3langid's ``load_model`` gives them (ptc, pc,
    classes, nextmove, nextmove_row, out_feat); None when the file is not such an npz."""
    import numpy as np
    from py3langid.modelio import _to_array

    try:
        with np.load(path, allow_pickle=False) as data:
            return (
                np.asarray(data["ptc"]),
                np.asarray(data["pc"]),
                data["classes"].tolist(),
                _to_array(data["nextmove"]),
                _to_array(data["nextmove_row"]),
                data["out_feat"].tolist(),
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # corrupt: read the model
        return None


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


def find_outsider(ranked: list[tuple[str, float]], listed: str) -> tuple[str, float] | None:
    """The best label overall when it is outside the list, not a neighbour of ``listed`` (the best
    listed label) and holds at least OUTSIDE of the probability; else None.

    >>> find_outsider([("sr", 0.9), ("bg", 0.1)], "bg"), find_outsider([("bs", 0.6), ("hr", 0.4)], "hr")
    (('sr', 0.9), None)
    """
    label, p = ranked[0]
    if normalise_code(label) in LANGUAGES or label == NO_LANGUAGE or p < OUTSIDE:
        return None
    return None if listed in NEIGHBOURS.get(label, ()) else (label, p)


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
    found = pick_listed(ranked)
    outsider = find_outsider(ranked, found[0])
    if outsider is not None:
        raise ExtractError(
            f"the text is in a language citynet does not extract from ({outsider[0]}, probability "
            f"{outsider[1]:.2f}) - expected one of {LISTED}; give --lang if it is one of them"
        )
    return found
