"""One shape for every app (docs/architecture.md), held by reading the code."""

import ast
import importlib

import pytest

from config import layers
from programs.refusals import Refused


@pytest.mark.parametrize("app", list(layers.APPS))
def test_every_app_has_the_same_parts(app):
    assert layers.missing_parts(app) == []


@pytest.mark.parametrize("app", list(layers.APPS))
def test_every_url_name_is_in_its_apps_namespace(app):
    assert importlib.import_module(f"{app}.urls").app_name == app


def test_imports_go_one_way_only():
    assert layers.wrong_way_imports() == []


def test_functions_fit_on_a_screen_and_modules_stay_short():
    paths = [path for app in layers.APPS for path in layers.app_files(app)]
    paths += sorted((layers.ROOT / "config").rglob("*.py"))
    assert layers.too_long(paths) == []


def _functions(app: str, layer: str):
    for path in layers.app_files(app):
        if layers.layer_of(path, app) == layer:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    yield path, node


@pytest.mark.parametrize("app", list(layers.APPS))
def test_services_never_take_the_web_request(app):
    taking = [
        f"{path.name}:{node.name}"
        for path, node in _functions(app, "services")
        if any(arg.arg == "request" for arg in node.args.args + node.args.kwonlyargs)
    ]
    assert taking == []


@pytest.mark.parametrize("app", list(layers.APPS))
def test_every_refusal_is_the_one_refusal_type(app):
    """Each `…Refused` an app defines is a Refused; no view module maps refusals itself."""
    for path in layers.app_files(app):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Refused"):
                module = ".".join(path.relative_to(layers.ROOT).with_suffix("").parts)
                found = getattr(importlib.import_module(module), node.name)
                assert issubclass(found, Refused), f"{module}.{node.name}"
    mappers = [
        f"{path.name}:{node.name}"
        for path, node in _functions(app, "views")
        if any(
            isinstance(call, ast.Attribute) and call.attr == "add_error" for call in ast.walk(node)
        )
        and any(arg.arg == "refused" for arg in node.args.args)
    ]
    assert mappers == []
