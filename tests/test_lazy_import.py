"""helpers/__init__.py loads submodules on first use: every public name is still there, nothing heavy at import."""

import importlib
import json
import os
import subprocess
import sys

import helpers

HEAVY = ["sklearn", "nltk", "datasketch", "trafilatura", "feedparser", "networkx", "dask", "matplotlib", "scipy"]


def test_import_helpers_loads_no_heavy_library():
    code = f"import sys, json, helpers; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert json.loads(done.stdout) == []


def test_every_public_name_is_the_object_its_module_defines():
    for name in helpers.__all__:
        module = importlib.import_module(f"helpers.{helpers._WHERE[name]}")
        expected = module if name == "scale" else getattr(module, name)
        assert getattr(helpers, name) is expected, name
    assert set(helpers.__all__) <= set(dir(helpers))
    assert {"load_articles", "keyness", "plot_keyness", "scale", "__version__"} <= set(dir(helpers))


def test_functions_named_like_their_module_stay_functions_after_the_module_is_imported():
    for name in ["keyness", "sentiment", "topics", "trends", "themes", "entities", "kwic", "collocations"]:
        importlib.import_module(f"helpers.{name}")
        assert callable(getattr(helpers, name)) and not isinstance(getattr(helpers, name), type(helpers)), name
    from helpers import keyness, resources

    assert callable(keyness) and resources.__name__ == "helpers.resources"


def test_unknown_name_is_an_attribute_error():
    try:
        helpers.no_such_name
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("helpers.no_such_name did not raise")
