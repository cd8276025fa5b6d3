"""What changed between two versions of the spec, for the client's users: ``np6-maint spec diff``.

The rules follow oasdiff's (breaking, non-breaking, informational), read from the
side of a client: a request that used to be valid and is now refused is breaking,
and so is a response that can now hold something the client was not built for.
One exception: a new kind in a discriminated response union (a new event type)
is informational, because the client decodes unknown kinds without loss.
"""

from .rules import LEVELS, Change, diff
from .sources import SpecSourceError, load_source

__all__ = ["LEVELS", "Change", "SpecSourceError", "diff", "load_source"]
