"""Pairing the members of groups: the work behind every projection (cities sharing networks,
networks sharing members, countries sharing networks).

Members are numbered by their rank in string order and each group holds its members' ranks,
sorted. :func:`pair_groups` lists every (pair, group) incidence with numpy (each group's pairs of
positions at once, then one sort of the pairs' keys), so the pairs come out sorted with the groups
they share in the groups' order; :func:`link_pairs` then makes each edge's attribute dict and
writes each member's neighbours in one go (``dict.copy``, ``dict.update`` and ``map``: loops in C),
as ``add_edges_from`` of the sorted pairs would write them. The pairs that share several groups
(48,057 of 317,878 at 100k memberships) have their labels and programmes cut from flat lists
(:func:`slice_runs`), so no Python loop runs pair by pair.

At 100k memberships (454,828 pair-group incidences): the city-city graph took 0.46 s built pair
by pair in Python (CPU; pairing 0.08 s, edges 0.2 s, and 0.11 s for the cycle collector's pass
over the edges' lists); it takes 0.29-0.31 s here (median of 7, wall clock, taking turns with
networkx alone on a quiet machine; pairing 0.01 s), against 0.21-0.23 s for networkx's
``add_weighted_edges_from`` of the same weighted pairs alone. At 1M memberships (3,676,509 pairs):
5.5 s against 4.2 s. Edge values are tuples, made before the dicts that hold them, so that no edge
is tracked by the cycle collector (see :func:`make_edges`).

>>> ranked = rank_groups(["n1", "n1", "n2", "n2", "n2"], ["b", "a", "a", "c", "b"])
>>> ranked.members, ranked.groups, ranked.ranks
(['a', 'b', 'c'], ['n1', 'n2'], [[0, 1], [0, 1, 2]])
>>> list(list_groups(pair_groups(ranked)))
[(0, 1, [0, 1]), (0, 2, [1]), (1, 2, [1])]
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np


@dataclass
class Ranked:
    """Groups of members by rank: ``members`` in string order (a member's rank is its position),
    ``groups`` in the order given; ``flat`` the groups' member ranks one group after another, each
    group's sorted, and ``sizes`` how many each group has."""

    members: list[str]
    groups: list[Hashable]
    flat: np.ndarray
    sizes: np.ndarray

    @property
    def ranks(self) -> list[list[int]]:
        """The sorted member ranks of each group, as lists."""
        ends = np.cumsum(self.sizes).tolist()
        flat = self.flat.tolist()
        return [flat[end - size : end] for end, size in zip(ends, self.sizes.tolist(), strict=True)]


@dataclass
class Pairs:
    """Pairs of ranks ``first[p] < second[p]``, sorted, that share ``weights[p]`` groups: the
    group indices ``groups[starts[p] : starts[p] + weights[p]]``, ascending."""

    first: np.ndarray
    second: np.ndarray
    weights: np.ndarray
    starts: np.ndarray
    groups: np.ndarray

    def keep(self, wanted: np.ndarray) -> Pairs:
        """The pairs where ``wanted`` (a boolean array, one a pair) holds."""
        return Pairs(
            self.first[wanted], self.second[wanted], self.weights[wanted], self.starts[wanted], self.groups
        )


def rank_groups(named: list[Hashable], members: list[str], order: Iterable[Hashable] = ()) -> Ranked:
    """The groups of the (``named[k]``, ``members[k]``) pairs of group and member (a pair given
    twice counts once), in ``order`` first, then in the order the pairs first name them. Two lists,
    not a list of pairs: a tuple a pair would be hundreds of thousands of objects more to make.

    >>> rank_groups(["n1", "n2", "n1"], ["b", "a", "b"], order=["n2"]).ranks
    [[0], [1]]
    """
    groups = list(dict.fromkeys(chain(order, named)))
    everyone = sorted(set(members), key=str)
    width = max(len(everyone), 1)
    group_index = {group: k for k, group in enumerate(groups)}
    member_index = {member: i for i, member in enumerate(everyone)}
    keys = np.fromiter(map(group_index.__getitem__, named), np.int64, len(named))
    keys *= width
    keys += np.fromiter(map(member_index.__getitem__, members), np.int64, len(members))
    keys.sort()  # by group, then by member
    keys = keys[np.diff(keys, prepend=-1) != 0]  # each pair once
    return Ranked(everyone, groups, keys % width, np.bincount(keys // width, minlength=len(groups)))


def unzip(pairs: Iterable[tuple[Hashable, str]]) -> tuple[list[Hashable], list[str]]:
    """(group, member) pairs as the two lists :func:`rank_groups` takes.

    >>> unzip([("n1", "a"), ("n2", "b")])
    (['n1', 'n2'], ['a', 'b'])
    """
    pairs = list(pairs)
    return list(map(itemgetter(0), pairs)), list(map(itemgetter(1), pairs))


def pair_groups(ranked: Ranked) -> Pairs:
    """The pairs of members that share a group, by rank. The work is the number of (pair, group)
    incidences, in numpy.

    >>> pairs = pair_groups(rank_groups(["g0", "g0", "g1", "g1", "g2", "g2", "g2"], list("acbcabc")))
    >>> pairs.first.tolist(), pairs.second.tolist(), pairs.weights.tolist(), pairs.groups.tolist()
    ([0, 0, 1], [1, 2, 2], [1, 2, 2], [2, 0, 2, 1, 2])
    """
    flat, sizes, count = ranked.flat, ranked.sizes, len(ranked.members)
    local = np.arange(len(flat)) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # position in its group
    after = np.repeat(sizes, sizes) - local - 1  # the members after it in its group: its partners
    left = np.repeat(np.arange(len(flat)), after)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(after) - after, after)
    keys = flat[left] * count + flat[right]
    groups = np.repeat(np.arange(len(sizes)), sizes)[left]
    if count * count * len(sizes) < 2**62:  # one key for pair and group: numpy's quickest sort
        keys = np.sort(keys * len(sizes) + groups)
        keys, groups = np.divmod(keys, len(sizes))
    else:
        order = np.argsort(keys, kind="stable")  # stable: each pair's groups stay in the groups' order
        keys, groups = keys[order], groups[order]
    starts = np.flatnonzero(np.diff(keys, prepend=-1))
    weights = np.diff(starts, append=len(keys))
    unique = keys[starts]
    return Pairs(unique // max(count, 1), unique % max(count, 1), weights, starts, groups)


def list_groups(pairs: Pairs) -> Iterator[tuple[int, int, list[int]]]:
    """Each pair ``(i, j, groups)`` of :func:`pair_groups`, as plain Python values.

    >>> list(list_groups(pair_groups(rank_groups(["g0", "g0", "g1", "g1"], list("abba")))))
    [(0, 1, [0, 1])]
    """
    groups = pairs.groups.tolist()
    for i, j, start, weight in zip(
        pairs.first.tolist(),
        pairs.second.tolist(),
        pairs.starts.tolist(),
        pairs.weights.tolist(),
        strict=True,
    ):
        yield i, j, groups[start : start + weight]


def list_pairs(pairs: Iterable[tuple[Hashable, str]]) -> dict[tuple[str, str], list[Hashable]]:
    """Each pair of members (in string order) that share a group, with the groups they share, from
    (group, member) pairs: the projection of a two-mode graph given as its edges.

    >>> list_pairs([("n1", "b"), ("n1", "a"), ("n2", "a"), ("n2", "c")])
    {('a', 'b'): ['n1'], ('a', 'c'): ['n2']}
    """
    ranked = rank_groups(*unzip(pairs))
    members, groups = ranked.members, ranked.groups
    return {
        (members[i], members[j]): [groups[k] for k in shared]
        for i, j, shared in list_groups(pair_groups(ranked))
    }


def spread(pairs: Pairs, chosen: np.ndarray) -> np.ndarray:
    """The group indices of the ``chosen`` pairs (indices into ``pairs``), one pair's after another.

    >>> pairs = pair_groups(rank_groups(["g0", "g0", "g1", "g1", "g2", "g2"], list("abbcac")))
    >>> pairs.weights.tolist(), spread(pairs, np.array([2, 0])).tolist()
    ([1, 1, 1], [1, 0])
    """
    weights = pairs.weights[chosen]
    firsts = np.repeat(pairs.starts[chosen] - np.cumsum(weights) + weights, weights)
    return pairs.groups[np.arange(len(firsts)) + firsts]


def slice_runs(flat: list[Any], counts: np.ndarray) -> list[tuple[Any, ...]]:
    """``flat`` cut into tuples of ``counts`` items each, in order (``map`` of C calls: no Python
    loop over the runs).

    >>> slice_runs(["a", "b", "c"], np.array([2, 0, 1]))
    [('a', 'b'), (), ('c',)]
    """
    ends = np.cumsum(counts)
    runs = map(slice, (ends - counts).tolist(), ends.tolist())
    return list(map(tuple, map(flat.__getitem__, runs)))


def list_programmes(
    groups: np.ndarray, weights: np.ndarray, programmes: list[str | None]
) -> list[tuple[str, ...]]:
    """For each pair, the distinct programmes (in string order; None is none) of its ``weights[p]``
    groups, the pairs' ``groups`` one pair's after another (:func:`spread`): one sort of the
    (pair, programme) keys in numpy, then :func:`slice_runs`.

    >>> list_programmes(np.array([0, 1, 2, 2]), np.array([3, 1]), ["Q", "P", None])
    [('P', 'Q'), ()]
    """
    names = sorted({p for p in programmes if p is not None})
    rank = {name: r for r, name in enumerate(names)}
    ranks = np.array([len(names) if p is None else rank[p] for p in programmes], dtype=np.int64)
    width = len(names) + 1
    owner = np.repeat(np.arange(len(weights)), weights)  # each incidence's pair
    keys = np.sort(owner * width + ranks[groups])  # (np.unique hashes first: twice as long here)
    keys = keys[(np.diff(keys, prepend=-1) != 0) & (keys % width != len(names))]  # each once, no None
    counts = np.bincount(keys // width, minlength=len(weights))
    return slice_runs(np.array(names, dtype=object)[keys % width].tolist(), counts)


def make_edges(
    pairs: Pairs, labels: list[str], programmes: list[str | None], shared: str
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Each pair's edge attributes (see :func:`link_pairs`) and the pairs in the order they are
    listed: those sharing one group first, each a copy of its group's dict (``dict.copy`` mapped
    in C), then those sharing several, their labels and programmes cut from flat lists
    (:func:`slice_runs`).

    Every tuple is made before any dict; tuples of strings are untracked by the cycle collector's
    next pass (run here when the collector is paused), and a dict holding only such values is not
    tracked either: the collector then need not walk the hundreds of thousands of edges (that
    pass took 0.11 s of the 100k city-city graph's 0.46 s when the edges held lists).

    >>> pairs = pair_groups(rank_groups(["g0", "g0", "g0", "g1", "g1"], list("abcbc")))
    >>> make_edges(pairs, ["N1", "N2"], ["P", None], "networks")
    ([{'weight': 1, 'networks': ('N1',), 'programmes': ('P',)}, \
{'weight': 1, 'networks': ('N1',), 'programmes': ('P',)}, \
{'weight': 2, 'networks': ('N1', 'N2'), 'programmes': ('P',)}], array([0, 1, 2]))
    >>> gc.disable()  # as the graphs' builders pause it
    >>> [gc.is_tracked(edge) for edge in make_edges(pairs, ["N1", "N2"], ["P", None], "networks")[0]]
    [False, False, False]
    >>> gc.enable()
    """
    single = pairs.weights == 1
    alone, several = np.flatnonzero(single), np.flatnonzero(~single)
    weights = pairs.weights[several]
    groups = spread(pairs, several)
    listed = slice_runs(np.array(labels, dtype=object)[groups].tolist(), weights)
    programmed = list_programmes(groups, weights, programmes)
    names = [(label,) for label in labels]  # one a group, shared by the pairs that share it alone
    named = [None if programme is None else (programme,) for programme in programmes]
    if not gc.isenabled():
        gc.collect(0)
    templates = [
        {"weight": 1, shared: name, "programmes": programme} if programme else {"weight": 1, shared: name}
        for name, programme in zip(names, named, strict=True)
    ]
    edges = list(map(dict.copy, map(templates.__getitem__, pairs.groups[pairs.starts[alone]].tolist())))
    edges += [
        {"weight": weight, shared: found, "programmes": programme}
        if programme
        else {"weight": weight, shared: found}
        for weight, found, programme in zip(weights.tolist(), listed, programmed, strict=True)
    ]
    return edges, np.concatenate((alone, several))


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
    each member's neighbours in string order, as ``add_edges_from`` of the sorted pairs would
    write them. An edge's attributes: ``weight``, ``shared`` (the shared groups' ``labels``, a
    tuple, sorted: the groups are ranked in label order) and ``programmes`` (theirs, sorted, a
    tuple, where they have one). The values are tuples because they are read, not changed: the
    pairs that share one group alone share its one-item tuples.

    >>> ranked = rank_groups(["n1", "n1", "n2", "n2", "n2"], ["a", "b", "a", "b", "c"])
    >>> adjacency = {"a": {}, "b": {}, "c": {}}
    >>> link_pairs(ranked, ["N1", "N2"], ["P", None], "networks", 1, adjacency)
    >>> adjacency["a"]["b"], adjacency["a"]["c"]
    ({'weight': 2, 'networks': ('N1', 'N2'), 'programmes': ('P',)}, {'weight': 1, 'networks': ('N2',)})
    >>> adjacency["b"]["a"] is adjacency["a"]["b"], list(adjacency["c"])
    (True, ['a', 'b'])
    """
    members = ranked.members
    pairs = pair_groups(ranked)
    if min_weight > 1:
        pairs = pairs.keep(pairs.weights >= min_weight)
    edges, listed = make_edges(pairs, labels, programmes, shared)
    table = np.empty(len(edges), dtype=object)
    table[listed] = edges  # in pair order
    names = np.array(members, dtype=object)
    back = np.argsort(pairs.second, kind="stable")  # each pair from its second end: first ascending
    ranks = np.arange(len(members) + 1)
    ends = list(
        zip(
            np.searchsorted(pairs.second[back], ranks).tolist(),  # where each rank's runs start
            np.searchsorted(pairs.first, ranks).tolist(),
            strict=True,
        )
    )
    before, before_attrs = names[pairs.first[back]].tolist(), table[back].tolist()
    after, after_attrs = names[pairs.second].tolist(), table.tolist()
    for member, (b0, a0), (b1, a1) in zip(members, ends[:-1], ends[1:], strict=True):
        links = adjacency[member]  # its neighbours ranked before it, then those after it
        if b0 < b1:
            links.update(zip(before[b0:b1], before_attrs[b0:b1], strict=True))
        if a0 < a1:
            links.update(zip(after[a0:a1], after_attrs[a0:a1], strict=True))
