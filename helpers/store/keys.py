"""Cache keys: a hash of everything a cached result depends on besides its input.

A key covers the step's name, the cache format, the kit version, the options that differ from the function's
defaults and the source code of the helpers modules the function uses (:func:`code_fingerprint`), so a changed
setting or a changed module invalidates exactly the results that depend on it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

import pandas as pd

from helpers import __version__
from helpers.store.files import bytes_sha256

CACHE_FORMAT = 2
STORE_PACKAGE = __name__.rpartition(".")[0]  # helpers.store


def _helpers_modules(func: Callable) -> list[ModuleType]:
    """The helpers modules ``func`` depends on: its own and those it refers to, transitively (by source file).

    The store's own modules are left out: they hold no step's code, only how results are kept (its format is
    ``CACHE_FORMAT``), so editing them invalidates no result.
    """
    seen: dict[str, ModuleType] = {}
    pending = [inspect.getmodule(func)]
    while pending:
        module = pending.pop()
        if module is None or not module.__name__.startswith("helpers") or module.__name__ in seen:
            continue
        if module.__name__ == STORE_PACKAGE or module.__name__.startswith(STORE_PACKAGE + "."):
            continue
        seen[module.__name__] = module
        for value in vars(module).values():
            owner = value if isinstance(value, ModuleType) else sys.modules.get(getattr(value, "__module__", "") or "")
            if owner is not None and owner.__name__.startswith("helpers") and owner.__name__ not in seen:
                pending.append(owner)
    return [seen[name] for name in sorted(seen)]


def code_fingerprint(func: Callable) -> str:
    """A hash of the source files of the helpers modules ``func`` depends on: editing them invalidates its cache.

    >>> from helpers.text.tokenizer import tokenize
    >>> len(code_fingerprint(tokenize))
    16
    """
    digest = hashlib.sha256()
    for module in _helpers_modules(func):
        source = getattr(module, "__file__", None)
        digest.update(module.__name__.encode())
        if source and Path(source).exists():
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:16]


def explicit_options(func: Callable, options: dict) -> dict:
    """``options`` without those equal to ``func``'s defaults, so ``f(x)`` and ``f(x, k=default)`` share a key.

    >>> def f(x, *, n=5, m=1): ...
    >>> explicit_options(f, {"n": 5, "m": 2})
    {'m': 2}
    """
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return dict(options)
    return {k: v for k, v in options.items()
            if k not in parameters or parameters[k].default is inspect.Parameter.empty or parameters[k].default != v}


def kit_version() -> str:
    """The kit's version, part of every cache key: a new release never reads an older one's results.

    >>> kit_version() == __version__
    True
    """
    return __version__


def settings_key(step: str, settings: dict) -> str:
    """The cache key of a step: its name, the cache format, the kit version and ``settings`` (JSON, sorted).

    >>> settings_key("tokens", {"a": 1}) == settings_key("tokens", {"a": 1})
    True
    >>> settings_key("tokens", {"a": 1}) == settings_key("tokens", {"a": 2})
    False
    """
    payload = {"step": step, "format": CACHE_FORMAT, "kit": kit_version(), "settings": settings}
    return bytes_sha256(json.dumps(payload, sort_keys=True, default=repr).encode())[:24]


def frame_fingerprint(frame: pd.DataFrame) -> str | None:
    """A hash of a frame's values, index, column names and dtypes; None when a value cannot be hashed.

    >>> frame = pd.DataFrame({"a": [1, 2]})
    >>> frame_fingerprint(frame) == frame_fingerprint(frame.copy()), frame_fingerprint(frame) == frame_fingerprint(frame * 2)
    (True, False)
    """
    try:
        hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    except TypeError:
        return None
    digest = hashlib.sha256(hashed.tobytes())
    digest.update(json.dumps([list(map(str, frame.columns)), list(map(str, frame.dtypes))]).encode())
    return digest.hexdigest()
