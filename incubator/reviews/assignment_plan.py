"""Sharing a stage's applications among its panel: a pure function, so its promises can be tested alone.

Promises: every application gets the number of reviewers asked for, as far as the panel and the conflicts
allow; nobody reviews a company they are tied to, or an application they were recused from or taken off;
the new assignments go to the least loaded reviewers and are moved between them until no move can even the
loads further, so a fresh run on an empty stage with no conflicts gives loads that differ by at most one.
Existing assignments are never moved: re-running only fills the gaps, so after recusals the loads are as
even as the assignments already made allow.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Slot:
    application_id: int
    company_id: int
    needed: int  # how many reviewers to add
    taken: set[int] = field(default_factory=set)  # reviewers who hold, or once held, this application


def plan(slots: list[Slot], loads: dict[int, int], conflicts: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """New (application_id, reviewer_id) pairs. ``loads``: panel reviewer → active assignments in the stage.
    ``conflicts``: (reviewer_id, company_id) pairs."""
    loads = dict(loads)
    reviewers = sorted(loads)

    def allowed(reviewer: int, slot: Slot) -> bool:
        return reviewer not in slot.taken and (reviewer, slot.company_id) not in conflicts

    new: dict[int, set[int]] = {r: set() for r in reviewers}  # reviewer → application ids given in this run
    by_id = {s.application_id: s for s in slots}
    # The most constrained applications first, so they still find someone free.
    order = sorted(slots, key=lambda s: (sum(allowed(r, s) for r in reviewers), s.application_id))
    for slot in order:
        # Ties between equally loaded reviewers are broken in an order that differs from one application to
        # the next (but is the same on every run), so reviewers are paired with many different colleagues:
        # the normalised scores compare better, and a reviewer leaving leaves gaps others can share.
        tie = random.Random(slot.application_id)  # noqa: S311 - not a secret, an even spread
        rank = {r: tie.random() for r in reviewers}
        for _ in range(slot.needed):
            candidates = [r for r in reviewers if allowed(r, slot)]
            if not candidates:
                break
            chosen = min(candidates, key=lambda r: (loads[r], rank[r]))
            slot.taken.add(chosen)
            new[chosen].add(slot.application_id)
            loads[chosen] += 1

    # Even out: move assignments of this run along a chain of reviewers, from a heavy one to a light one.
    while _rebalance_once(reviewers, loads, new, by_id, allowed):
        pass
    return sorted((app_id, r) for r, apps in new.items() for app_id in apps)


def _rebalance_once(reviewers, loads, new, by_id, allowed) -> bool:
    if not reviewers:
        return False
    lightest = min(loads[r] for r in reviewers)
    for source in sorted(reviewers, key=lambda r: (-loads[r], r)):
        if loads[source] - lightest <= 1:
            return False
        # Breadth-first search: an edge u → v exists when v may take one of u's new applications.
        parent: dict[int, tuple[int, int]] = {}
        queue = deque([source])
        seen = {source}
        while queue:
            u = queue.popleft()
            for app_id in sorted(new[u]):
                slot = by_id[app_id]
                for v in reviewers:
                    if v in seen or not allowed(v, slot):
                        continue
                    parent[v] = (u, app_id)
                    if loads[v] <= loads[source] - 2:
                        _move_along(v, parent, new, by_id, loads)
                        return True
                    seen.add(v)
                    queue.append(v)
    return False


def _move_along(target, parent, new, by_id, loads) -> None:
    v = target
    loads[v] += 1
    while v in parent:
        u, app_id = parent[v]
        slot = by_id[app_id]
        new[u].discard(app_id)
        slot.taken.discard(u)
        new[v].add(app_id)
        slot.taken.add(v)
        v = u
    loads[v] -= 1
