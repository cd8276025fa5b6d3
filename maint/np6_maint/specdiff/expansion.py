"""How big a YAML document is once its anchors are expanded, computed without expanding them.

An alias (``*name``) makes PyYAML reuse one object, so a few hundred bytes of anchors
that refer to anchors stand for millions of nodes (the "billion laughs"), and the
differ, which walks the document as a tree, would visit each of them. The expanded
size is counted once per distinct object, so the count costs what the text costs, and
a document larger than :data:`MAX_EXPANDED_NODES` is refused before any comparison.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_EXPANDED_NODES", "ExpansionError", "expanded_size"]

MAX_EXPANDED_NODES = 1_000_000
"""The most nodes (mappings, lists and scalars) a spec may hold once its aliases are expanded.

np6's own spec holds under 2,000; a spec past this bound is refused (``np6-maint spec diff``: exit 2)."""


class ExpansionError(Exception):
    """The document expands past the bound, or refers to itself."""


def expanded_size(document: Any, limit: int = MAX_EXPANDED_NODES) -> int:
    """The number of nodes ``document`` has as a tree; :class:`ExpansionError` past ``limit``.

    Iterative (a deep document cannot exhaust the stack), each container counted once
    (its size remembered by identity), so the cost is linear in the distinct objects.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    keep: list[Any] = []  # the containers whose ids are remembered stay alive while they are
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if children_done:
            open_.discard(key)
            size = 1 + sum(sizes.get(id(child), 1) for child in children)
            if size > limit:
                raise ExpansionError(f"expand to more than {limit:,} nodes")
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in open_:
            raise ExpansionError("refer to a node that holds them (a recursive alias)")
        open_.add(key)
        keep.append(node)
        stack.append((node, True))
        stack.extend((child, False) for child in children if isinstance(child, (dict, list)))
    return sizes.get(id(document), 1)
