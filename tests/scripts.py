"""Loading the scripts under ``benchmarks/`` (not part of the package) in tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load_script(path: Path, name: str) -> ModuleType:
    """The script at ``path`` as module ``name``, executed once per test session."""
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


def accuracy_script(stem: str) -> ModuleType:
    """``benchmarks/accuracy/STEM.py``. Its sibling ``run.py`` is loaded first under the
    name ``run``, the name ``train.py`` imports it by."""
    run = load_script(BENCHMARKS / "accuracy" / "run.py", "run")
    return run if stem == "run" else load_script(BENCHMARKS / "accuracy" / f"{stem}.py", f"accuracy_{stem}")
