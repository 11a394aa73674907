"""The languages detector over real git repositories, and the path exclusion tables it uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.detectors import languages, vendored
from collectors.facts import Facts
from collectors.repo_view import MAX_READ_BYTES
from tests.gitrepo import make_repo, open_repo


def detect_in(tmp_path: Path, files: dict[str, str | bytes]) -> Facts:
    view = open_repo(make_repo(tmp_path / "repo", files))
    try:
        return languages.detect(view)
    finally:
        view.close()


def test_counts_bytes_per_language_leaving_out_vendored_generated_and_docs(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "src/app.py": "x" * 100,
            "src/ui/App.tsx": "x" * 50,
            "src/util.ts": "x" * 30,
            "src/list.h": "x" * 7,
            "Dockerfile": "x" * 20,
            "config/settings.yaml": "x" * 40,
            "src/NOTES.md": "x" * 9,
            "README.md": "x" * 1000,  # documentation
            "docs/guide.py": "x" * 1000,  # documentation folder
            "node_modules/lib/index.js": "x" * 1000,  # vendored
            "web/dist/bundle.js": "x" * 1000,  # build output
            "static/jquery-3.7.1.min.js": "x" * 1000,  # minified library
            "package-lock.json": "x" * 1000,  # lock file
            "api/user_pb2.py": "x" * 1000,  # generated
            "logo.png": b"\x89PNG" + b"x" * 1000,  # no language
            "bin/run": "x" * 1000,  # no extension: unclassified for now
        },
    )
    assert facts.languages == {"Python": 100, "TypeScript": 80, "Dockerfile": 20, "C": 7}
    assert list(facts.languages) == ["Python", "TypeScript", "Dockerfile", "C"]  # largest first
    assert facts.other_languages == {"YAML": 40, "Markdown": 9}
    assert facts.warnings == []


def test_grouped_data_language_is_counted_apart_from_its_programming_group(tmp_path: Path) -> None:
    # Python traceback (data) is grouped under Python (programming): it must not inflate Python.
    facts = detect_in(tmp_path, {"a.py": "x" * 10, "crash.pytb": "x" * 5, "tsconfig.json": "x" * 3})
    assert facts.languages == {"Python": 10}
    assert facts.other_languages == {"Python traceback": 5, "JSON": 3}


def test_counts_files_over_the_read_cap_from_the_listing_alone(tmp_path: Path) -> None:
    big = MAX_READ_BYTES + 10
    facts = detect_in(tmp_path, {"model/weights.py": b"#" * big})
    assert facts.languages == {"Python": big}
    assert facts.warnings == []


def test_empty_repository_has_no_languages(tmp_path: Path) -> None:
    assert detect_in(tmp_path, {}).languages == {}


def test_reads_no_file() -> None:
    assert languages.WANTS == ()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("node_modules/react/index.js", "vendored"),
        ("packages/app/node_modules/x/a.js", "vendored"),
        ("src/vendor/lib.go", "vendored"),
        ("third_party/zlib/inflate.c", "vendored"),
        ("libs/3rdparty/a.c", "vendored"),
        ("web/dist/app.js", "vendored"),
        ("static/jquery-3.6.0.min.js", "vendored"),
        ("assets/app-min.css", "vendored"),
        ("types/index.d.ts", "vendored"),
        ("gradlew", "vendored"),
        ("gradle/wrapper/gradle-wrapper.jar", "vendored"),
        (".venv/lib/python3.11/site-packages/x.py", "vendored"),
        ("Jenkinsfile", "vendored"),
        ("tests/fixtures/sample.py", "vendored"),
        ("package-lock.json", "generated"),
        ("web/yarn.lock", "generated"),
        ("svc/poetry.lock", "generated"),
        ("go.sum", "generated"),
        ("api/v1/user_pb2.py", "generated"),
        ("api/v1/user_pb2_grpc.py", "generated"),
        ("api/user.pb.go", "generated"),
        ("web/app.js.map", "generated"),
        (".idea/workspace.xml", "generated"),
        ("ios/Pods/Alamofire/Source.swift", "generated"),
        ("docs/index.md", "documentation"),
        ("Docs/a.py", "documentation"),
        ("examples/demo.py", "documentation"),
        ("README.md", "documentation"),
        ("pkg/README", "documentation"),
        ("LICENSE", "documentation"),
        ("CHANGELOG.md", "documentation"),
        ("CONTRIBUTING.rst", "documentation"),
        # Near misses: each is the repository's own code
        ("ci/Jenkinsfile", None),  # only the top-level Jenkinsfile is Linguist-vendored
        ("src/docs/render.py", None),  # docs/ counts as documentation at the top only
        ("src/examples/x.py", None),
        ("src/distribution/x.py", None),
        ("lib/reactive.js", None),
        ("lib/vendored_thing.py", None),
        ("mydocs/a.md", None),
        ("src/index.ts", None),
        ("src/README_helpers.py", None),
        ("src/lockfile.py", None),
    ],
)
def test_exclusion_table(path: str, kind: str | None) -> None:
    found = vendored.exclusion(path)
    assert (found[0] if found else None) == kind
    assert vendored.is_excluded(path) is (kind is not None)


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        ("node_modules/left-pad/package.json", True),
        ("web/node_modules/@scope/pkg/package.json", True),
        (".venv/lib/site-packages/x/pyproject.toml", True),
        ("vendor/github.com/x/package.json", True),
        ("third_party/lib/requirements.txt", True),
        ("package.json", False),
        ("web/package.json", False),
        ("docs/requirements.txt", False),  # a manifest in docs/ is still the project's
        ("dist/package.json", False),
    ],
)
def test_manifest_exclusion_is_only_third_party_code(path: str, excluded: bool) -> None:
    assert vendored.manifest_excluded(path) is excluded


def test_folder_rule_must_say_where_it_is_anchored() -> None:
    with pytest.raises(ValueError, match="must start with"):
        vendored.matches_any("a/b.py", (("b/", None, "unanchored"),))


_SEGMENTS = st.sampled_from(
    ["src", "docs", "Docs", "vendor", "node_modules", "dist", "tests", "fixtures", "examples", "lib", "a.b",
     ".idea", "Pods", "gradle", "wrapper", "third-party", "cache", "x.framework", "sorbet", "rbi", "gems"]
)  # fmt: skip
_NAMES = st.sampled_from(
    ["app.py", "README.md", "jquery.min.js", "x.d.ts", "user_pb2.py", "Jenkinsfile", "gradlew", "yarn.lock",
     "index.js", "LICENSE", "react-dom.js", "main.go", "CHANGES", "query-1.json", ".gitignore", "a.pb.go"]
)  # fmt: skip


@settings(max_examples=300)
@given(folders=st.lists(_SEGMENTS, max_size=5), name=_NAMES)
def test_fast_exclusion_agrees_with_rule_by_rule_exclusion(folders: list[str], name: str) -> None:
    path = "/".join([*folders, name])
    assert vendored.is_excluded(path) is (vendored.exclusion(path) is not None)
