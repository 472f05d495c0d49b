"""The direction of imports in DESIGN.md: the core (`programs`) never imports its neighbours;
they answer its registry from their AppConfig.ready()."""

import ast
from pathlib import Path

from programs import registry

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: Path):
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def test_programs_imports_none_of_its_neighbours():
    offending = [
        (str(path.relative_to(ROOT)), module)
        for path, module in imported_modules(ROOT / "programs")
        if module.split(".")[0] in {"trainees", "seminars", "reports"}
    ]
    assert offending == []


def test_trainees_do_not_import_seminars_or_reports():
    offending = [
        (str(path.relative_to(ROOT)), module)
        for path, module in imported_modules(ROOT / "trainees")
        if module.split(".")[0] in {"seminars", "reports"}
    ]
    assert offending == []


def test_trainees_answer_the_registry():
    from trainees import demo, registry_hooks

    for provider in (
        registry_hooks.due_reflections,
        registry_hooks.due_surveys,
        registry_hooks.due_interviews,
        registry_hooks.due_comments,
        registry_hooks.due_for_readers,
    ):
        assert provider in registry._due
    assert registry_hooks.program_sections in registry._sections
    assert demo.seed in registry._seeders
