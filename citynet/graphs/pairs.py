"""Pairing the members of groups: the work behind every projection (cities sharing networks,
networks sharing members, countries sharing networks).

Members are numbered by their rank in string order and each group holds its members' ranks,
sorted; :func:`pair_ranks` then walks the members in rank order, pairing each with the members
ranked after it in each of its groups. The pairs come out sorted, with the groups they share in
the groups' order, without a dictionary of all pairs and without sorting them all: at 100k
memberships (317,878 city pairs) 0.73 s against 2.8 s (one run each, wall clock, on a loaded
machine) for ``itertools.combinations`` within each group into one dictionary of pairs, sorted
afterwards.

>>> ranked = rank_groups([("n1", "b"), ("n1", "a"), ("n2", "a"), ("n2", "c"), ("n2", "b")])
>>> ranked.members, ranked.groups, ranked.ranks
(['a', 'b', 'c'], ['n1', 'n2'], [[0, 1], [0, 1, 2]])
>>> list(pair_ranks(ranked.ranks, len(ranked.members)))
[(0, 1, [0, 1]), (0, 2, [1]), (1, 2, [1])]
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass
class Ranked:
    """Groups of members by rank: ``members`` in string order (a member's rank is its position),
    ``groups`` in the order given, ``ranks[k]`` the sorted ranks of the members of ``groups[k]``."""

    members: list[str]
    groups: list[Hashable]
    ranks: list[list[int]]


def rank_groups(pairs: Iterable[tuple[Hashable, str]], order: Iterable[Hashable] = ()) -> Ranked:
    """The groups of (group, member) ``pairs`` (a pair given twice counts once), in ``order``
    first, then in the order the pairs first name them.

    >>> rank_groups([("n1", "b"), ("n2", "a"), ("n1", "b")], order=["n2"]).ranks
    [[0], [1]]
    """
    found: dict[Hashable, dict[str, None]] = {group: {} for group in order}
    for group, member in pairs:
        members = found.get(group)
        if members is None:
            members = found[group] = {}
        members[member] = None
    everyone = sorted({member for members in found.values() for member in members}, key=str)
    rank = {member: i for i, member in enumerate(everyone)}
    ranks = [sorted(rank[member] for member in members) for members in found.values()]
    return Ranked(everyone, list(found), ranks)


def pair_ranks(ranks: list[list[int]], count: int) -> Iterator[tuple[int, int, list[int]]]:
    """Each pair of ranks ``i < j`` that share a group, in sorted order, with the (indices of
    the) groups they share in ascending order; ``ranks``: each group's member ranks, sorted and
    distinct, all below ``count``.

    >>> list(pair_ranks([[0, 2], [1, 2], [0, 1, 2]], 3))
    [(0, 1, [2]), (0, 2, [0, 2]), (1, 2, [1, 2])]
    """
    groups_of: list[list[int]] = [[] for _ in range(count)]
    for k, members in enumerate(ranks):
        for i in members:
            groups_of[i].append(k)
    for i, groups in enumerate(groups_of):
        row: defaultdict[int, list[int]] = defaultdict(list)
        for k in groups:
            members = ranks[k]
            for j in members[bisect_right(members, i) :]:
                row[j].append(k)
        for j in sorted(row):
            yield i, j, row[j]


def list_pairs(pairs: Iterable[tuple[Hashable, str]]) -> dict[tuple[str, str], list[Hashable]]:
    """Each pair of members (in string order) that share a group, with the groups they share, from
    (group, member) pairs: the projection of a two-mode graph given as its edges.

    >>> list_pairs([("n1", "b"), ("n1", "a"), ("n2", "a"), ("n2", "c")])
    {('a', 'b'): ['n1'], ('a', 'c'): ['n2']}
    """
    ranked = rank_groups(pairs)
    members, groups = ranked.members, ranked.groups
    return {
        (members[i], members[j]): [groups[k] for k in shared]
        for i, j, shared in pair_ranks(ranked.ranks, len(members))
    }


def describe_pairs(
    ranked: Ranked, labels: list[str], programmes: list[str | None], shared: str, min_weight: int
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """The projection's edges, in sorted order (see :func:`sort_edges`): ``weight``, ``shared``
    (the shared groups' ``labels``, sorted: the groups are ranked in label order) and
    ``programmes`` (theirs, sorted, where they have one).

    >>> ranked = rank_groups([("n1", "a"), ("n1", "b"), ("n2", "a"), ("n2", "b")])
    >>> list(describe_pairs(ranked, ["N1", "N2"], ["P", None], "networks", 1))
    [('a', 'b', {'weight': 2, 'networks': ['N1', 'N2'], 'programmes': ['P']})]
    """
    members = ranked.members
    for i, j, common in pair_ranks(ranked.ranks, len(members)):
        if len(common) < min_weight:
            continue
        if len(common) == 1:  # most pairs share one group: no sorting, no set
            k = common[0]
            programme = programmes[k]
            if programme is None:
                data: dict[str, Any] = {"weight": 1, shared: [labels[k]]}
            else:
                data = {"weight": 1, shared: [labels[k]], "programmes": [programme]}
        else:
            data = {"weight": len(common), shared: [labels[k] for k in common]}
            found = sorted({programmes[k] for k in common} - {None})
            if found:
                data["programmes"] = found
        yield members[i], members[j], data
