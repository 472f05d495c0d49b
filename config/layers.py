"""The apps, their layers and the imports between them, read from the code with `ast`.
`scripts/layers` prints them; tests/test_architecture.py holds the code to them."""

import ast
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each app, and the apps it may import (DESIGN.md).
APPS = {
    "programs": set(),
    "trainees": {"programs"},
    "seminars": {"programs"},
    "scheme": {"programs"},
    "reports": {"programs", "trainees", "seminars", "scheme"},
}
# Every app has these; `tasks.py` only where it has background work of its own.
SHAPE = ("apps.py", "models/", "services/", "access.py", "forms.py", "views/", "urls.py")
SHAPE += ("registry_hooks.py",)

FUNCTION_LINES = 60
MODULE_LINES = 450
# Long by nature: migrations, data tables, seeders. Scripts under bench/ are not app code.
LONG_ALLOWED = ("/migrations/", "/demo.py", "/seed_demo.py")


def app_files(app: str) -> Iterator[Path]:
    yield from sorted((ROOT / app).rglob("*.py"))


def imports_of(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def cross_app_imports() -> Iterator[tuple[str, str, str]]:
    """(importing file, importing app, imported module) for each import of another app."""
    for app in APPS:
        for path in app_files(app):
            for module in imports_of(path):
                other = module.split(".")[0]
                if other in APPS and other != app:
                    yield str(path.relative_to(ROOT)), app, module


def wrong_way_imports() -> list[tuple[str, str]]:
    return [
        (path, module)
        for path, app, module in cross_app_imports()
        if module.split(".")[0] not in APPS[app]
    ]


def missing_parts(app: str) -> list[str]:
    return [part for part in SHAPE if not (ROOT / app / part.rstrip("/")).exists()]


def layer_of(path: Path, app: str) -> str:
    parts = path.relative_to(ROOT / app).parts
    return parts[0].removesuffix(".py") if parts else ""


def too_long(paths) -> list[str]:
    """Functions over FUNCTION_LINES and modules over MODULE_LINES, outside LONG_ALLOWED."""
    found = []
    for path in paths:
        name = str(path.relative_to(ROOT))
        if any(part in "/" + name for part in LONG_ALLOWED):
            continue
        text = path.read_text(encoding="utf-8")
        if (lines := len(text.splitlines())) > MODULE_LINES:
            found.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if (length := node.end_lineno - first + 1) > FUNCTION_LINES:
                    found.append(f"{name}:{node.lineno} {node.name}(): {length} lines")
    return found


def summary() -> str:
    lines = ["apps, each with the apps it may import, and its layers (files):", ""]
    for app, allowed in APPS.items():
        layers = Counter(
            layer_of(path, app) for path in app_files(app) if "/migrations/" not in str(path)
        )
        shown = ", ".join(
            f"{layer} ({count})" if count > 1 else layer
            for layer, count in sorted(layers.items())
            if layer != "__init__"
        )
        lines.append(f"{app}  ← imports {', '.join(sorted(allowed)) or 'no other app'}")
        lines.append(f"  {shown}")
    counts = Counter((app, module.split(".")[0]) for _path, app, module in cross_app_imports())
    lines += ["", "imports across apps:"]
    lines += [f"  {app} → {other}: {count}" for (app, other), count in sorted(counts.items())]
    wrong = wrong_way_imports()
    lines += ["", f"wrong-way imports: {len(wrong)}"] + [f"  {p} imports {m}" for p, m in wrong]
    return "\n".join(lines)
