"""Pairing the members of groups: the work behind every projection (cities sharing networks,
networks sharing members, countries sharing networks).

Members are numbered by their rank in string order and each group holds its members' ranks,
sorted; :func:`pair_rows` then takes each group's pairs (``itertools.combinations``, in rank
order) into a row per member of the members ranked after it, and the pairs come out sorted by
sorting each row, with the groups they share in the groups' order. At 100k memberships (317,878
city pairs, 454,828 pair-group incidences) that takes 0.14 s of CPU on a loaded machine, as long
as walking each member's groups in rank order did until 2026-12-05 (0.14-0.15 s, the same runs);
one dictionary of all pairs, sorted afterwards, took 2.8 s (wall clock, one run). The rows let
:func:`link_pairs` make each edge once, without a tuple and a list per pair in between.

>>> ranked = rank_groups([("n1", "b"), ("n1", "a"), ("n2", "a"), ("n2", "c"), ("n2", "b")])
>>> ranked.members, ranked.groups, ranked.ranks
(['a', 'b', 'c'], ['n1', 'n2'], [[0, 1], [0, 1, 2]])
>>> list(pair_ranks(ranked.ranks, len(ranked.members)))
[(0, 1, [0, 1]), (0, 2, [1]), (1, 2, [1])]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
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


def pair_rows(ranks: list[list[int]], count: int) -> list[dict[int, int | list[int]]]:
    """For each rank ``i``, the ranks ``j > i`` it shares a group with, each with the (index of
    the) group they share, or a list of them, ascending, where they share several; ``ranks``: each
    group's member ranks, sorted and distinct, all below ``count``.

    One pass over each group's pairs (``itertools.combinations``): the work is the number of
    (pair, group) incidences, 454,828 at 100k memberships.

    >>> pair_rows([[0, 2], [1, 2], [0, 1, 2]], 3)
    [{2: [0, 2], 1: 2}, {2: [1, 2]}, {}]
    """
    rows: list[dict[int, Any]] = [{} for _ in range(count)]
    for k, members in enumerate(ranks):
        for i, j in combinations(members, 2):
            row = rows[i]
            if j in row:
                found = row[j]
                if found.__class__ is int:
                    row[j] = [found, k]
                else:
                    found.append(k)
            else:
                row[j] = k
    return rows


def pair_ranks(ranks: list[list[int]], count: int) -> Iterator[tuple[int, int, list[int]]]:
    """Each pair of ranks ``i < j`` that share a group, in sorted order, with the (indices of
    the) groups they share in ascending order; ``ranks`` as for :func:`pair_rows`.

    >>> list(pair_ranks([[0, 2], [1, 2], [0, 1, 2]], 3))
    [(0, 1, [2]), (0, 2, [0, 2]), (1, 2, [1, 2])]
    """
    for i, row in enumerate(pair_rows(ranks, count)):
        for j in sorted(row):
            found = row[j]
            yield i, j, [found] if found.__class__ is int else found


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


def link_pairs(
    ranked: Ranked,
    labels: list[str],
    programmes: list[str | None],
    shared: str,
    min_weight: int,
    adjacency: dict[str, dict[str, dict[str, Any]]],
) -> None:
    """Link the members that share at least ``min_weight`` groups in ``adjacency`` (member ->
    neighbour -> the edge's attributes, one dict for both ends, as a networkx graph holds them),
    in sorted order (see :func:`sort_edges`), each neighbour's entry made as ``add_edges_from``
    of the sorted pairs would make it. An edge's attributes: ``weight``, ``shared`` (the shared
    groups' ``labels``, sorted: the groups are ranked in label order) and ``programmes`` (theirs,
    sorted, where they have one). The pairs that share one group alone share its one-item lists
    (as ``add_edges_from(pairs, networks=[...])`` would share them): most pairs share one group,
    and two lists fewer per edge made the 100k city-city graph a third quicker to make and free.
    Attribute values are read, not changed in place (copy one to change it).

    >>> ranked = rank_groups([("n1", "a"), ("n1", "b"), ("n2", "a"), ("n2", "b"), ("n2", "c")])
    >>> adjacency = {"a": {}, "b": {}, "c": {}}
    >>> link_pairs(ranked, ["N1", "N2"], ["P", None], "networks", 1, adjacency)
    >>> adjacency["a"]["b"], adjacency["a"]["c"]
    ({'weight': 2, 'networks': ['N1', 'N2'], 'programmes': ['P']}, {'weight': 1, 'networks': ['N2']})
    >>> adjacency["b"]["a"] is adjacency["a"]["b"]
    True
    >>> adjacency["b"]["c"]["networks"] is adjacency["a"]["c"]["networks"]  # both share n2 alone
    True
    """
    members = ranked.members
    links = [adjacency[member] for member in members]
    names = [[label] for label in labels]  # shared by the pairs that share that group alone
    named = [None if programme is None else [programme] for programme in programmes]
    for i, row in enumerate(pair_rows(ranked.ranks, len(members))):
        name, mine = members[i], links[i]
        for j in sorted(row):
            found = row[j]
            if found.__class__ is int:  # most pairs share one group: no sorting, no set
                if min_weight > 1:
                    continue
                programme = named[found]
                if programme is None:
                    data: dict[str, Any] = {"weight": 1, shared: names[found]}
                else:
                    data = {"weight": 1, shared: names[found], "programmes": programme}
            else:
                if len(found) < min_weight:
                    continue
                data = {"weight": len(found), shared: [labels[k] for k in found]}
                programmed = sorted({programmes[k] for k in found} - {None})
                if programmed:
                    data["programmes"] = programmed
            mine[members[j]] = data
            links[j][name] = data
