"""``import np6`` loads only what every use needs; the rest loads on first use (issue 22).

Each check runs in a fresh interpreter, where ``sys.modules`` shows what an import loaded.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import np6
import pytest

HEAVY = ["dlt", "duckdb", "starlette", "schemathesis", "np6_generated.models", "np6_mock", "aiolimiter"]


def loaded_after(code: str) -> set[str]:
    """The modules among HEAVY that a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    modules = set(json.loads(found.stdout.splitlines()[-1]))
    return {name for name in HEAVY if name in modules}


def test_import_np6_alone_loads_none_of_the_heavy_modules() -> None:
    assert loaded_after("import np6") == set()


def test_np6_help_loads_none_of_the_heavy_modules() -> None:
    code = "import sys\nfrom np6._cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert loaded_after(code) == set()


@pytest.mark.parametrize(
    ("code", "needs"),
    [
        ("import np6\nassert callable(np6.dlt.np6_source)", "dlt"),
        ("import np6\nassert np6.generated.models.HitEvent", "np6_generated.models"),
        ("import np6\nassert np6.Client", "np6_generated.models"),
        ("from np6.generated import models\nassert models.HitEvent", "np6_generated.models"),
        ("import np6.generated.models\nassert np6.generated.models.HitEvent", "np6_generated.models"),
        ("from np6 import HitEvent\nassert HitEvent", "np6_generated.models"),
    ],
)
def test_subpackages_and_names_load_as_attributes_on_first_use(code: str, needs: str) -> None:
    assert needs in loaded_after(code)


def test_every_name_of_all_is_an_attribute_from_the_module_that_defines_it() -> None:
    # np6/_homes.py (written by scripts/make_homes.py) holds each exported module's whole __all__
    modules = set(np6._homes.HOMES.values())
    assert modules == {"._campaigns", "._decoding", "._events", "._fanout"}
    for module in modules:
        names = {name for name, home in np6._homes.HOMES.items() if home == module}
        assert names == set(importlib.import_module(module, "np6").__all__), module
    for name in np6.__all__:
        assert getattr(np6, name) is not None
    assert set(np6.__all__) <= set(dir(np6))
    with pytest.raises(AttributeError):
        _ = np6.no_such_name
