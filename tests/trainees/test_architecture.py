"""The direction of imports in DESIGN.md: the core (`programs`) never imports its neighbours;
they answer its registry from their AppConfig.ready()."""

from config import layers
from programs import registry


def imports_from(app: str, others: set[str]) -> list[tuple[str, str]]:
    """(file, module) for each import in `app` of one of the `others` apps."""
    return [
        (path, module)
        for path, importer, module in layers.cross_app_imports()
        if importer == app and module.split(".")[0] in others
    ]


def test_programs_imports_none_of_its_neighbours():
    assert imports_from("programs", {"trainees", "seminars", "reports"}) == []


def test_trainees_do_not_import_seminars_or_reports():
    assert imports_from("trainees", {"seminars", "reports"}) == []


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
