"""seminars/ imports the core only (not trainees/, not reports/) and answers the core's
registry: where a derived activity is changed, the program's link, due items, the demo."""

from programs import registry

from ..trainees.test_architecture import imports_from


def test_seminars_import_neither_trainees_nor_reports():
    assert imports_from("seminars", {"trainees", "reports"}) == []


def test_nobody_imports_reports():
    offending = [
        found
        for app in ("programs", "trainees", "seminars")
        for found in imports_from(app, {"reports"})
    ]
    assert offending == []


def test_seminars_answer_the_registry():
    from seminars import demo, registry_hooks

    assert {"trip", "seminar"} <= set(registry._origins)
    assert registry_hooks.due_for in registry._due
    assert registry_hooks.program_sections in registry._sections
    assert demo.seed in registry._seeders
