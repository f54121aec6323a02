"""Dealing a puzzle's parts to a group: pure, so it can be tested over every group size.

Every part is held by someone in every group (the group can only answer by putting all of them together),
and every member holds at least one part. With more members than parts, parts are shared: two members
hold the same one, and each tells the group about it in their own words. With fewer members than parts,
a member holds two (or more).
"""

from __future__ import annotations

from collections.abc import Sequence


def deal(members: Sequence[int], parts: int) -> list[tuple[int, int]]:
    """(member, part index) pairs for one group, in the members' order; parts counted from 0."""
    if not members or parts < 1:
        return []
    if len(members) >= parts:
        return [(member, at % parts) for at, member in enumerate(members)]
    return [(members[index % len(members)], index) for index in range(parts)]
