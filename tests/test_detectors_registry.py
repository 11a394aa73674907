"""The detector registry: every detector runs, none can lose a repository, warnings stay readable."""

from __future__ import annotations

from pathlib import Path

from collectors.detectors import DETECTORS, cap_warnings, detect_all, wanted_globs
from collectors.facts import Warning_
from tests.gitrepo import make_repo, open_repo


def test_every_detector_module_is_registered_once() -> None:
    names = [d.name for d in DETECTORS]
    assert len(names) == len(set(names))
    here = Path(__file__).resolve().parent.parent / "collectors" / "detectors"
    modules = {p.stem for p in here.glob("*.py")} - {"__init__"}
    helpers = {m for m in modules if not _is_detector(m)}
    assert modules - helpers - {"technologies"} == set(names)


def _is_detector(module: str) -> bool:
    import importlib

    mod = importlib.import_module(f"collectors.detectors.{module}")
    return hasattr(mod, "WANTS") and hasattr(mod, "detect")


def test_wanted_globs_cover_the_common_manifests() -> None:
    globs = set(wanted_globs())
    for glob in ("package.json", "pom.xml", "go.mod", "Cargo.toml", "Gemfile", "pyproject.toml"):
        assert glob in globs


def test_warnings_are_capped_per_file_with_a_count_of_the_rest() -> None:
    warnings = [Warning_("bad.txt", f"line {i}") for i in range(50)] + [Warning_("ok.txt", "one")]
    capped = cap_warnings(warnings, per_file=20)
    assert [w.message for w in capped if w.path == "bad.txt"][-1] == "... and 30 more warnings"
    assert len([w for w in capped if w.path == "bad.txt"]) == 21
    assert [w for w in capped if w.path == "ok.txt"] == [Warning_("ok.txt", "one")]


def test_a_repository_of_broken_manifests_gives_warnings_and_every_other_fact(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "package.json": "{broken",
            "pom.xml": "<project><unclosed></project>",
            "pyproject.toml": "[project\n",
            "go.mod": b"\x00\x01\x02binary",
            "Cargo.toml": "[dependencies\n",
            ".github/workflows/ci.yml": "jobs: [unclosed",
            "src/main.py": "print('still counted')\n",
            "README.md": "# still found\n",
        },
    )
    found = detect_all(open_repo(repo))
    warned = {w.path for w in found.warnings}
    assert {"package.json", "pom.xml", "pyproject.toml", "go.mod", "Cargo.toml", ".github/workflows/ci.yml"} <= warned
    assert found.languages.get("Python") == 23
    assert found.hygiene["readme"].present
