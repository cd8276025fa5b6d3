"""``np6.generated``: the generated package under the np6 name, as a real module.

``import np6.generated`` and ``from np6.generated import models`` give the very
modules of ``np6_generated`` (not copies), so that ``isinstance`` checks agree.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

__all__ = ["add_finder", "install"]

ALIAS = "np6.generated"
TARGET = "np6_generated"


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        # the target module was executed when it was imported under its own name
        return None


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != ALIAS and not fullname.startswith(ALIAS + "."):
            return None
        real = TARGET + fullname[len(ALIAS) :]
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(real))


def add_finder() -> None:
    """Make ``np6.generated`` and its submodules importable (nothing is imported yet)."""
    if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())


def install() -> ModuleType:
    """Make ``np6.generated`` and its submodules importable; returns the package."""
    add_finder()
    return importlib.import_module(ALIAS)
