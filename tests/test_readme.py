"""The README's map names every application module, so a new module cannot go unlisted."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules():
    for app in ("indicators", "intake", "scorecard", "accounts"):
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or path.name == "__init__.py":
                continue
            if "management" in relative.parts:
                continue  # the commands are named by command, under management/commands/
            yield relative


def test_the_readme_map_names_every_application_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    missing = []
    for module in _modules():
        name = module.name
        directory = module.parent.as_posix()
        named = f"`{module.as_posix()}`" in section or (
            f"`{name}`" in section and f"`{directory}/" in section
        )
        if not named:
            missing.append(module.as_posix())
    assert missing == []


def test_every_management_command_is_named_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = sorted(
        path.stem for path in ROOT.glob("*/management/commands/*.py") if path.name != "__init__.py"
    )
    assert commands and [c for c in commands if f"`{c}`" not in readme] == []
