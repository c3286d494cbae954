"""Dates, money, co-financing rates and declared counts in a text: the typed values of a page.

One finder per kind of value, each over a text and its language (ISO 639-1), each returning
:class:`~citynet.extract.model.Value` objects whose span quotes the text exactly
(``text[v.span.start:v.span.end] == v.span.quote``), names the rule that matched and a confidence:

- :func:`find_dates` (:mod:`~citynet.extract.dates`): ``date`` and ``period`` at the stated precision;
- :func:`find_money` and :func:`find_rates` (:mod:`~citynet.extract.money`): ``money`` as
  ``(Decimal, currency)``, ``rate`` in [0, 1] with ``up_to`` and ``fund``;
- :func:`find_counts` (:mod:`~citynet.extract.counts`): ``partners``, ``countries``, ``cities``,
  ``networks``, ``organisations`` with the head noun.

>>> text = "Piedalās 14 partneri no 11 valstīm. No 2013.gada jūnija līdz 2015.gada 31.maijam. EUR 99 000"
>>> [(v.kind, v.value) for v in find_values(text, "lv")]  # doctest: +NORMALIZE_WHITESPACE
[('partners', 14), ('countries', 11), ('period', ('2013-06', '2015-05-31')),
 ('money', (Decimal('99000'), 'EUR'))]
"""

from __future__ import annotations

from citynet.extract.counts import find_counts
from citynet.extract.dates import find_dates
from citynet.extract.model import Value
from citynet.extract.money import find_money, find_rates

__all__ = ["find_counts", "find_dates", "find_money", "find_rates", "find_values"]


def find_values(text: str, lang: str) -> list[Value]:
    """Every date, period, amount, rate and count in ``text``, in text order.

    >>> [(v.kind, str(v.value)) for v in find_values("85% ERDF, 10 partner cities, 2016-2018", "en")]
    [('rate', '0.85'), ('partners', '10'), ('period', "('2016', '2018')")]
    """
    found = find_dates(text, lang) + find_money(text, lang) + find_rates(text, lang) + find_counts(text, lang)
    return sorted(found, key=lambda value: (value.span.start, value.span.end))
