"""The public line of the package: light import, explicit exports, version."""

from __future__ import annotations

import inspect
import subprocess
import sys

import cairn

HEAVY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "pandas",
    "numpy",
    "sklearn",
    "torch",
    "PIL",
    "matplotlib",
    "httpx",
    "psutil",
)


def test_import_cairn_loads_no_heavy_library() -> None:
    code = (
        "import sys, cairn\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_all_names_are_exported_and_exist() -> None:
    assert len(cairn.__all__) == len(set(cairn.__all__))
    for name in cairn.__all__:
        assert hasattr(cairn, name), name
    public = {n for n in dir(cairn) if not n.startswith("_")}
    undeclared = {n for n in public - set(cairn.__all__) if not inspect.ismodule(getattr(cairn, n))}
    assert undeclared == set()


def test_version_is_exposed() -> None:
    assert cairn.__version__.count(".") == 2
