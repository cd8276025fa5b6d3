"""The parser helper both maintainer commands build their actions with."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["subparser"]


def subparser(commands: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A command's parser, formatted as written (the epilogs hold examples)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs
    )
    return parser
