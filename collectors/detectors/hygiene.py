"""Hygiene: the files a well-kept repository has. Every key is always reported, present or not, so
"no CODEOWNERS" is a fact like any other.

Keys (`KEYS`): readme, license, codeowners, contributing, security, code_of_conduct, changelog,
editorconfig, dependabot, renovate, pre_commit, gitignore, linter, tests.

- Files are looked for where the tools that use them look: community files (README, CODEOWNERS,
  CONTRIBUTING, SECURITY, CODE_OF_CONDUCT) in `.github/`, the root and `docs/`, in GitHub's order
  of precedence; names compare case-insensitively. The table is `FILES`.
- `license`: the licence file at the root (LICENSE, LICENCE, COPYING, UNLICENSE, with or without
  an extension; COPYING.LESSER before COPYING, as LGPL projects keep the GPL beside it); detail is
  the SPDX id told from its first 64 KiB by the phrase table `licenses.json`, None when the text is
  not one of them. Suffixed files (LICENSE-MIT, LICENSE-APACHE) are read together and their ids
  joined with " OR " (a dual licence) when there is no main file or it names no known licence.
- `linter`: detail lists the linters and formatters configured, by their configuration files
  anywhere outside vendored code (`LINTER_CONFIGS`), by `[tool.x]` tables in pyproject.toml, by
  sections of setup.cfg and tox.ini, by the hooks `.pre-commit-config.yaml` runs
  (`PRE_COMMIT_HOOKS`), and by `ktlint_` keys in .editorconfig.
- `tests`: detail says how tests were recognised, after the table `TEST_SIGNS` (a tests/ folder,
  `*_test.go`, `src/test/`, `*.test.ts`, ...), outside vendored, generated and documentation files.

Not covered: licences named only in package.json or pyproject.toml (other detectors' business),
REUSE's `LICENSES/` folder, ESLint or Prettier settings kept inside package.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from collectors.detectors import vendored
from collectors.detectors.parsing import ParseError, load_toml, load_yaml, read_text
from collectors.facts import Facts, HygieneItem
from collectors.repo_view import RepoView

KEYS: tuple[str, ...] = (
    "readme",
    "license",
    "codeowners",
    "contributing",
    "security",
    "code_of_conduct",
    "changelog",
    "editorconfig",
    "dependabot",
    "renovate",
    "pre_commit",
    "gitignore",
    "linter",
    "tests",
)

#: Where GitHub looks for community files, in its order of precedence.
COMMUNITY_FOLDERS: tuple[str, ...] = (".github/", "", "docs/")


def _community(name: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((folder.replace(".", r"\.") + name, None) for folder in COMMUNITY_FOLDERS)


#: key -> (path regex over the lower-cased path, detail) in order of precedence; the first row
#: with a match wins, and of its matches the shortest path.
FILES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "readme": _community(r"readme(\.[\w.-]+)?"),
    "codeowners": _community(r"codeowners"),
    "contributing": _community(r"contributing(\.\w+)?"),
    "security": _community(r"security(\.\w+)?"),
    "code_of_conduct": _community(r"code[_-]of[_-]conduct(\.\w+)?"),
    "changelog": (
        (r"(changelog|changes|history|news|releases|release[_-]notes)(\.\w+)?", None),
        (r"docs/(changelog|changes|history|news|releases|release[_-]notes)(\.\w+)?", None),
        (r"\.changeset/config\.json", "changesets"),
        (r"changelog\.d/[^/]+", "changelog fragments"),
    ),
    "editorconfig": ((r"\.editorconfig", None),),
    "dependabot": ((r"\.github/dependabot\.ya?ml", None),),
    "renovate": (
        (r"renovate\.json5?", None),
        (r"\.renovaterc(\.json5?)?", None),
        (r"\.github/renovate\.json5?", None),
        (r"\.gitlab/renovate\.json5?", None),
    ),
    "pre_commit": ((r"\.pre-commit-config\.yaml", None),),
    "gitignore": ((r"\.gitignore", None),),
}

#: Licence files at the root, best first; files of the last tier are read together (dual licences).
LICENSE_TIERS: tuple[str, ...] = (
    r"licen[cs]e(\.(md|markdown|txt|rst))?",
    r"copying\.lesser(\.(md|txt))?",
    r"(copying|unlicen[cs]e)(\.(md|markdown|txt|rst))?",
    r"(licen[cs]e|copying)[-._][\w.-]+",
)
LICENSE_READ_BYTES = 64 * 1024
MAX_LICENSE_FILES = 8

#: tool -> file-name globs of its configuration (in any folder outside vendored code).
LINTER_CONFIGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("eslint", (".eslintrc", ".eslintrc.*", "eslint.config.*")),
    ("prettier", (".prettierrc", ".prettierrc.*", "prettier.config.*")),
    ("stylelint", (".stylelintrc", ".stylelintrc.*", "stylelint.config.*")),
    ("biome", ("biome.json", "biome.jsonc")),
    ("oxlint", (".oxlintrc.json",)),
    ("dprint", ("dprint.json", ".dprint.json")),
    ("ruff", ("ruff.toml", ".ruff.toml")),
    ("flake8", (".flake8",)),
    ("pylint", (".pylintrc", "pylintrc")),
    ("mypy", ("mypy.ini", ".mypy.ini")),
    ("pyright", ("pyrightconfig.json",)),
    ("isort", (".isort.cfg",)),
    ("golangci-lint", (".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json")),
    ("rubocop", (".rubocop.yml",)),
    ("standardrb", (".standard.yml",)),
    ("checkstyle", ("checkstyle.xml", "checkstyle-*.xml", "checkstyle_*.xml")),
    ("pmd", ("pmd.xml", "pmd-*.xml", "pmd_*.xml")),
    ("spotbugs", ("spotbugs.xml", "spotbugs-*.xml", "findbugs-exclude.xml")),
    ("scalafmt", (".scalafmt.conf",)),
    ("scalafix", (".scalafix.conf",)),
    ("detekt", ("detekt.yml", "detekt.yaml", "detekt-*.yml", "detekt-*.yaml")),
    ("swiftlint", (".swiftlint.yml", ".swiftlint.yaml")),
    ("clang-format", (".clang-format", "_clang-format")),
    ("clang-tidy", (".clang-tidy",)),
    ("rustfmt", ("rustfmt.toml", ".rustfmt.toml")),
    ("clippy", ("clippy.toml", ".clippy.toml")),
    ("hadolint", (".hadolint.yaml", ".hadolint.yml")),
    ("shellcheck", (".shellcheckrc",)),
    ("markdownlint", (".markdownlint.*", ".markdownlintrc", ".markdownlint-cli2.*")),
    ("yamllint", (".yamllint", ".yamllint.yml", ".yamllint.yaml")),
    ("tflint", (".tflint.hcl",)),
    ("php-cs-fixer", (".php-cs-fixer.php", ".php-cs-fixer.dist.php", ".php_cs", ".php_cs.dist")),
    ("phpstan", ("phpstan.neon", "phpstan.neon.dist", "phpstan.dist.neon")),
    ("psalm", ("psalm.xml", "psalm.xml.dist")),
    ("phpcs", ("phpcs.xml", "phpcs.xml.dist", ".phpcs.xml", ".phpcs.xml.dist")),
    ("stylecop", ("stylecop.json",)),
)
#: `[tool.<key>]` in pyproject.toml -> tool.
PYPROJECT_TOOLS: dict[str, str] = {
    t: t for t in ("ruff", "black", "isort", "mypy", "pylint", "pyright", "basedpyright", "flake8")
}
#: Section names in setup.cfg and tox.ini (`[flake8]`, `[mypy-pkg.*]`, `[tool:isort]`) -> tool.
INI_SECTIONS: dict[str, str] = {t: t for t in ("flake8", "mypy", "isort", "pylint", "pycodestyle", "pydocstyle")}
INI_FILES: tuple[str, ...] = ("setup.cfg", "tox.ini")
#: pre-commit hook ids (`.pre-commit-config.yaml`, `repos[*].hooks[*].id`) -> the tool they run.
PRE_COMMIT_HOOKS: dict[str, str] = {
    "ruff": "ruff",
    "ruff-check": "ruff",
    "ruff-format": "ruff",
    "black": "black",
    "flake8": "flake8",
    "isort": "isort",
    "mypy": "mypy",
    "pylint": "pylint",
    "pyright": "pyright",
    "prettier": "prettier",
    "eslint": "eslint",
    "stylelint": "stylelint",
    "biome-check": "biome",
    "biome-lint": "biome",
    "golangci-lint": "golangci-lint",
    "golangci-lint-full": "golangci-lint",
    "rubocop": "rubocop",
    "ktlint": "ktlint",
    "detekt": "detekt",
    "clang-format": "clang-format",
    "clang-tidy": "clang-tidy",
    "hadolint": "hadolint",
    "hadolint-docker": "hadolint",
    "shellcheck": "shellcheck",
    "markdownlint": "markdownlint",
    "markdownlint-cli2": "markdownlint",
    "yamllint": "yamllint",
    "terraform_tflint": "tflint",
    "clippy": "clippy",
}
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
#: Tools configured inside .editorconfig, told by a key pattern.
EDITORCONFIG_TOOLS: tuple[tuple[str, str], ...] = (("ktlint", r"(?m)^\s*ktlint_[\w-]+\s*="),)

#: (how tests were recognised, where: "folder" or "name", a regex): a folder rule is searched in
#: the file's folder path written "/a/b/"; a name rule must match the file's name whole. In the
#: order the detail lists them.
TEST_SIGNS: tuple[tuple[str, str, str], ...] = (
    ("tests/ folder", "folder", r"/[Tt]ests?/"),
    ("__tests__/ folder", "folder", r"/__tests__/"),
    ("src/test/", "folder", r"/src/test/"),
    ("*_test.go", "name", r".+_test\.go"),
    ("*.test.js / *.spec.js", "name", r".+\.(?:test|spec)\.[cm]?[jt]sx?"),
    ("test_*.py / *_test.py / tests.py", "name", r"(?:test_.*|.+_test|tests)\.py"),
    ("*_spec.rb", "name", r".+_spec\.rb"),
    ("*_test.exs", "name", r".+_test\.exs"),
    ("*Test.php", "name", r".+Test\.php"),
    (".NET test project", "name", r".+\.(?:Unit|Integration)?Tests?\.(?:cs|fs|vb)proj"),
    ("phpunit.xml", "name", r"phpunit\.xml(?:\.dist)?"),
)

_LICENSE_NAMES = ("LICEN[CS]E*", "Licen[cs]e*", "licen[cs]e*", "COPYING*", "Copying*", "copying*", "UNLICENSE*")
WANTS: tuple[str, ...] = (*_LICENSE_NAMES, "pyproject.toml", *INI_FILES, ".editorconfig", PRE_COMMIT_CONFIG)

TABLE_PATH = Path(__file__).with_name("licenses.json")


# --- licences -------------------------------------------------------------------------------------


def words(text: str) -> str:
    """Lower-case words separated by single spaces, padded: how licence text and phrases compare."""
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


@cache
def license_table() -> tuple[tuple[str, tuple[tuple[str, ...], ...], tuple[str, ...]], ...]:
    """(SPDX id, alternatives of phrases that must all appear, phrases that must not), in order."""
    rows = json.loads(TABLE_PATH.read_text(encoding="utf-8"))["licenses"]
    return tuple(
        (
            row["spdx"],
            tuple(tuple(words(p) for p in alternative) for alternative in row["any"]),
            tuple(words(p) for p in row.get("none", ())),
        )
        for row in rows
    )


def detect_license(text: str) -> str | None:
    """The SPDX id of a licence text, or None when it is none of the table's."""
    haystack = words(text)
    for spdx, alternatives, excluded in license_table():
        if any(all(p in haystack for p in alternative) for alternative in alternatives) and not any(
            p in haystack for p in excluded
        ):
            return spdx
    return None


def _license(repo: RepoView, root_files: list[str], facts: Facts) -> HygieneItem:
    """The best licence file at the root and the licence it holds. A main file that is no known
    licence ("either of the licences in LICENSE.APACHE or LICENSE.BSD") defers to the suffixed
    files, read together as a dual licence."""
    tiers = [
        sorted((p for p in root_files if re.fullmatch(pattern, p.lower())), key=lambda p: (len(p), p))
        for pattern in LICENSE_TIERS
    ]
    best = next((found for found in tiers if found), None)
    if best is None:
        return HygieneItem(False)
    suffixed = tiers[-1][:MAX_LICENSE_FILES]
    ids = _licence_ids(repo, suffixed if best is tiers[-1] else best[:1], facts)
    if not ids and best is not tiers[-1]:
        ids = _licence_ids(repo, suffixed, facts)
    return HygieneItem(True, best[0], " OR ".join(sorted(ids)) or None)


def _licence_ids(repo: RepoView, paths: list[str], facts: Facts) -> list[str]:
    ids: list[str] = []
    for path in paths:
        text = read_text(repo, path, facts, limit=LICENSE_READ_BYTES)
        spdx = detect_license(text) if text is not None else None
        if spdx is not None and spdx not in ids:
            ids.append(spdx)
    return ids


# --- files by name --------------------------------------------------------------------------------


def find_file(key: str, shallow: list[str]) -> HygieneItem:
    """The `FILES` row of `key` that matches first among `shallow` (paths at most one folder deep)."""
    for pattern, detail in FILES[key]:
        rx = re.compile(pattern)
        found = [p for p in shallow if rx.fullmatch(p.lower())]
        if found:
            return HygieneItem(True, min(found, key=lambda p: (len(p), p)), detail)
    return HygieneItem(False)


# --- linters --------------------------------------------------------------------------------------


def pyproject_tools(text: str) -> list[str]:
    """Linters configured in one pyproject.toml (`[tool.ruff]`); ParseError when it is not TOML."""
    tool = load_toml(text).get("tool")
    if not isinstance(tool, dict):
        return []
    return [name for key, name in PYPROJECT_TOOLS.items() if key in tool]


def ini_tools(text: str) -> list[str]:
    """Linters configured in setup.cfg or tox.ini, by their section headers."""
    alternation = "|".join(re.escape(k) for k in INI_SECTIONS)
    found = re.findall(rf"(?m)^\s*\[(?:tool:)?({alternation})(?=[\].:-])", text)
    return [INI_SECTIONS[f] for f in dict.fromkeys(found)]


def pre_commit_tools(text: str) -> list[str]:
    """Linters a `.pre-commit-config.yaml` runs, by hook id; ParseError when it is not YAML."""
    data = load_yaml(text)
    repos = data.get("repos") if isinstance(data, dict) else None
    ids = [
        hook.get("id")
        for repo in (repos if isinstance(repos, list) else [])
        if isinstance(repo, dict) and isinstance(repo.get("hooks"), list)
        for hook in repo["hooks"]
        if isinstance(hook, dict)
    ]
    return list(dict.fromkeys(PRE_COMMIT_HOOKS[i] for i in ids if isinstance(i, str) and i in PRE_COMMIT_HOOKS))


def editorconfig_tools(text: str) -> list[str]:
    return [tool for tool, pattern in EDITORCONFIG_TOOLS if re.search(pattern, text)]


def _own(paths: Iterable[str]) -> list[str]:
    return [p for p in paths if not vendored.manifest_excluded(p)]


def _linter(repo: RepoView, facts: Facts) -> HygieneItem:
    found: dict[str, str] = {}  # tool -> first path that told it

    def note(tools: Iterable[str], path: str) -> None:
        for tool in tools:
            found.setdefault(tool, path)

    for tool, globs in LINTER_CONFIGS:
        paths = _own(repo.matching(globs))
        if paths:
            note([tool], min(paths, key=_depth_first))
    for path in sorted(_own(repo.matching(("pyproject.toml",))), key=_depth_first):
        # pyproject.toml's problems are the Python detector's to report: read quietly here.
        text = read_text(repo, path, Facts())
        try:
            note(pyproject_tools(text) if text is not None else [], path)
        except ParseError:
            continue
    if repo.exists(PRE_COMMIT_CONFIG):
        text = read_text(repo, PRE_COMMIT_CONFIG, facts)
        try:
            note(pre_commit_tools(text) if text is not None else [], PRE_COMMIT_CONFIG)
        except ParseError as err:
            facts.warn(PRE_COMMIT_CONFIG, str(err))
    for globs, reader in ((INI_FILES, ini_tools), ((".editorconfig",), editorconfig_tools)):
        for path in sorted(_own(repo.matching(globs)), key=_depth_first):
            text = read_text(repo, path, facts)
            if text is not None:
                note(reader(text), path)
    if not found:
        return HygieneItem(False)
    return HygieneItem(True, min(found.values(), key=_depth_first), ", ".join(sorted(found)))


def _depth_first(path: str) -> tuple[int, str]:
    return path.count("/"), path


# --- tests ----------------------------------------------------------------------------------------


@cache
def _test_matchers() -> tuple[
    re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...], tuple[tuple[str, re.Pattern[str]], ...]
]:
    """(every name rule in one regex, folder rules, name rules)."""
    names = [(label, rx) for label, where, rx in TEST_SIGNS if where == "name"]
    folders = [(label, rx) for label, where, rx in TEST_SIGNS if where == "folder"]
    return (
        re.compile("|".join(f"(?:{rx})" for _, rx in names)),
        tuple((label, re.compile(rx)) for label, rx in folders),
        tuple((label, re.compile(rx)) for label, rx in names),
    )


def recognise_tests(paths: Iterable[str]) -> HygieneItem:
    """Whether the repository has tests, told by `TEST_SIGNS`; detail lists every sign found.

    Folders repeat across a repository, so each is matched once; names go through one regex first."""
    any_name, folder_signs, name_signs = _test_matchers()
    by_folder: dict[str, tuple[str, ...]] = {}
    first: dict[str, str] = {}
    for path in paths:
        folder, _, name = path.rpartition("/")
        labels = by_folder.get(folder)
        if labels is None:
            written = f"/{folder}/" if folder else "/"
            labels = by_folder[folder] = tuple(label for label, rx in folder_signs if rx.search(written))
        if any_name.fullmatch(name) is not None:
            labels += tuple(label for label, rx in name_signs if rx.fullmatch(name))
        if not labels or vendored.is_excluded(path):
            continue
        for label in labels:
            if label not in first or path < first[label]:
                first[label] = path
    if not first:
        return HygieneItem(False)
    ordered = [label for label, _, _ in TEST_SIGNS if label in first]
    return HygieneItem(True, first[ordered[0]], ", ".join(ordered))


# --- the detector ---------------------------------------------------------------------------------


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    files = repo.files()
    shallow = [p for p in files if p.count("/") <= 1]
    root_files = [p for p in shallow if "/" not in p]
    found: dict[str, HygieneItem] = {key: find_file(key, shallow) for key in FILES}
    found["license"] = _license(repo, root_files, facts)
    found["linter"] = _linter(repo, facts)
    found["tests"] = recognise_tests(files)
    facts.hygiene = {key: found[key] for key in KEYS}
    return facts
