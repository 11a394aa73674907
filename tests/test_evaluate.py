"""Evaluating standards: one table of cases per rule kind, on snapshots built by hand with
`frames_from_records`; plus applies_to, waivers, errors, and frames_from_records against the store."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest

from collectors.facts import (
    ActionUse,
    BuildHealth,
    CheckResult,
    CiFile,
    Dependency,
    DockerImage,
    HygieneItem,
    RepoFacts,
    Runtime,
    Technology,
    Warning_,
    WorkflowHealth,
)
from standards.evaluate import RESULT_COLUMNS, evaluate, main_languages, technology_rings
from standards.load import parse_standards
from standards.model import Standards
from store.db import SnapshotMeta, Store
from store.frames import FRAME_TABLES, frames_from_records, load_frames

TODAY = date(2026, 11, 28)


def standards(rule: str, *, applies_to: str = "{}", radar: str = "{}", waivers: str = "[]") -> Standards:
    """A standards file with one standard `s` (bronze, high) of that rule."""
    return parse_standards(
        f"""
version: 1
radar: {radar}
standards:
  - id: s
    title: The standard
    level: bronze
    severity: high
    applies_to: {applies_to}
    rule: {rule}
    rationale: Because.
    owner: guild
    review_by: 2027-01-01
waivers: {waivers}
"""
    )


def run(std: Standards, *records: RepoFacts, today: date = TODAY) -> pd.DataFrame:
    return evaluate(std, frames_from_records(list(records)), today=today)


def row(results: pd.DataFrame, repo: str, standard: str = "s") -> pd.Series:
    rows = results[(results["repo"] == repo) & (results["standard"] == standard)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def statuses(results: pd.DataFrame) -> dict[str, str]:
    return dict(zip(results["repo"], results["status"], strict=True))


def repo(name: str, team: str = "web", **kw) -> RepoFacts:
    kw.setdefault("hygiene", {"readme": HygieneItem(True, "README.md")})
    return RepoFacts(name=name, team=team, **kw)


# --- frames_from_records: the same frames as the store gives ----------------------------------------


RICH = [
    RepoFacts(
        name="payments/api",
        team="payments",
        team_source="teams-file",
        default_branch="main",
        head="a" * 40,
        pushed_at="2026-11-01T10:00:00Z",
        url="https://example.com/payments/api",
        topics=["java", "pci"],
        visibility="private",
        team_candidates={"teams-file": "payments", "codeowners": "platform"},
        languages={"Java": 5000, "Shell": 20},
        other_languages={"YAML": 300},
        dependencies=[
            Dependency("maven", "log4j:log4j", "1.2.17", None, "runtime", "pom.xml"),
            Dependency("maven", "org.slf4j:slf4j-api", "${slf4j.version}", "2.0.9", "runtime", "pom.xml"),
        ],
        technologies=[Technology("log4j", "logging", "1.2.17", "pom.xml"), Technology("kafka", "messaging", None, "")],
        runtimes=[Runtime("java", "17", "pom.xml"), Runtime("java", None, "Dockerfile")],
        docker_images=[DockerImage("eclipse-temurin", "17-jre", None, "run", "Dockerfile")],
        ci_files=[CiFile("jenkins", "Jenkinsfile"), CiFile("github-actions", ".github/workflows/ci.yml")],
        actions=[ActionUse("actions/checkout", "v4", ".github/workflows/ci.yml"), ActionUse("./local", None, "x")],
        hygiene={
            "readme": HygieneItem(True, "README.md"),
            "license": HygieneItem(True, "LICENSE", "MIT"),
            "codeowners": HygieneItem(False),
        },
        warnings=[Warning_("pom.xml", "property not defined")],
        build=BuildHealth("red", "ci failed on main", "a" * 40, "2026-11-02T00:00:00Z"),
        workflows=[
            WorkflowHealth(
                "ci",
                ".github/workflows/ci.yml",
                20,
                "failure",
                "2026-11-02T00:00:00Z",
                0.75,
                61.5,
                "2026-10-30T00:00:00Z",
            ),
            WorkflowHealth("nightly", None, 0, None, None, None, None, None),
        ],
        checks=[
            CheckResult("build", "check-run", "github-actions", "failure"),
            CheckResult("ci/x", "status", None, "success"),
        ],
    ),
    RepoFacts(name="web/old", team="web", archived=True, fork=True),
    RepoFacts(name="web/shop", team="web", languages={"TypeScript": 10}, runtimes=[Runtime("node", "20")]),
]


@pytest.mark.parametrize("records", [RICH, []], ids=["rich", "empty"])
def test_frames_from_records_are_the_frames_the_store_gives(store: Store, records: list[RepoFacts]) -> None:
    sid = store.write_snapshot(SnapshotMeta("2026-11-28T00:00:00Z", "local", "/org"), records)
    stored = load_frames(store, sid)
    built = frames_from_records(records, sid)
    assert built.snapshot_id == sid
    for name in FRAME_TABLES:
        a, b = getattr(stored, name), getattr(built, name)
        assert list(a.columns) == list(b.columns), name
        assert a.dtypes.to_dict() == b.dtypes.to_dict(), name
        keys = list(a.columns)
        a = a.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
        b = b.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)
    assert len(built.repos) == len(records)
    if records:
        assert built.repos["archived"].dtype == bool and built.repos["archived"].tolist() == [False, True, False]
        assert json.loads(built.repos["topics"].iloc[0]) == ["java", "pci"]


# --- the frame as a whole -------------------------------------------------------------------------------


def test_results_have_one_row_per_repository_and_standard_with_fixed_columns() -> None:
    std = parse_standards(
        """
standards:
  - {id: b, title: B, level: bronze, rule: {kind: ci-provider}, rationale: r, owner: o, review_by: 2027-01-01}
  - {id: a, title: A, level: silver, rule: {kind: file-exists, paths: ["hygiene:readme"]}, rationale: r, owner: o,
     review_by: 2027-01-01}
"""
    )
    results = run(std, repo("z"), repo("a", archived=True), repo("m"))
    assert tuple(results.columns) == RESULT_COLUMNS
    assert list(zip(results["repo"], results["standard"], strict=True)) == [
        ("a", "b"), ("a", "a"), ("m", "b"), ("m", "a"), ("z", "b"), ("z", "a"),
    ]  # fmt: skip
    assert results["waiver_expired"].dtype == bool and results["archived"].dtype == bool
    assert results["archived"].tolist() == [True, True, False, False, False, False]
    assert row(results, "m", "a")["level"] == "silver" and row(results, "m", "b")["severity"] == "medium"


def test_no_standards_gives_an_empty_frame_with_the_columns() -> None:
    results = run(parse_standards("version: 1"), repo("a"))
    assert tuple(results.columns) == RESULT_COLUMNS and results.empty


def test_main_language_is_the_one_with_most_counted_bytes() -> None:
    frames = frames_from_records(
        [
            repo("a", languages={"Python": 10, "Java": 30}, other_languages={"YAML": 1000}),
            repo("b"),
            repo("c", languages={"Go": 5, "C": 5}),
        ]
    )
    assert main_languages(frames).to_dict() == {"a": "Java", "b": None, "c": "C"}


def test_technology_rings_name_every_technology_in_use_with_its_ring() -> None:
    std = standards("{kind: ci-provider}", radar="{react: {ring: adopt}, log4j: {ring: hold}}")
    frames = frames_from_records(
        [
            repo("a", team="t1", technologies=[Technology("react", "frontend-framework", "18.2.0", "package.json"),
                                               Technology("vue", "frontend-framework", None, "x/package.json")]),
            repo("b", team="t2", technologies=[Technology("log4j", "logging", "1.2.17", "pom.xml")]),
            repo("c", archived=True, technologies=[Technology("log4j", "logging", "1.2.17", "pom.xml")]),
        ]
    )  # fmt: skip
    rings = technology_rings(std, frames)
    assert list(rings.columns) == ["repo", "team", "technology", "category", "version", "ring"]
    assert rings[["repo", "team", "technology", "ring"]].values.tolist() == [
        ["a", "t1", "react", "adopt"],
        ["a", "t1", "vue", "unreviewed"],
        ["b", "t2", "log4j", "hold"],
    ]


# --- applies_to -----------------------------------------------------------------------------------------

APPLIES_REPOS = [
    repo("web/shop", team="web", languages={"TypeScript": 100, "Java": 10}, topics=["frontend"]),
    repo("Web/Admin", team="web", languages={"Java": 100}),
    repo("data/etl", team="data", languages={"Python": 100}, topics=["Batch", "internal"]),
    repo("data/notes", team="data"),
    repo("web/legacy", team="web", archived=True, languages={"Java": 1}),
]


@pytest.mark.parametrize(
    ("applies_to", "applicable", "why"),
    [
        ("{}", {"web/shop", "Web/Admin", "data/etl", "data/notes"}, {"web/legacy": "archived"}),
        ("{archived: true}", {"web/shop", "Web/Admin", "data/etl", "data/notes", "web/legacy"}, {}),
        ("{teams: [data]}", {"data/etl", "data/notes"}, {"web/shop": "team web is not one of data"}),
        ("{repos: ['web/*']}", {"web/shop", "Web/Admin"}, {"data/etl": "the name matches none of web/*"}),
        ("{exclude_repos: ['*/shop', 'data/n*']}", {"Web/Admin", "data/etl"},
         {"web/shop": "excluded by */shop, data/n*"}),
        ("{languages: [java]}", {"Web/Admin"},
         {"web/shop": "main language TypeScript is not one of java", "data/notes": "no main language (wanted java)"}),
        ("{topics: [batch, frontend]}", {"web/shop", "data/etl"}, {"Web/Admin": "no topic of batch, frontend"}),
        ("{teams: [web], languages: [TypeScript, Python]}", {"web/shop"}, {"data/etl": "team data is not one of web"}),
        ("{teams: [web], archived: true, languages: [Java]}", {"Web/Admin", "web/legacy"},
         {"web/shop": "main language TypeScript is not one of Java"}),
    ],
    ids=["all-active", "archived-too", "teams", "repo-glob-any-case", "exclude", "language", "topics",
         "team-and-language", "archived-team-language"],
)  # fmt: skip
def test_applies_to(applies_to: str, applicable: set[str], why: dict[str, str]) -> None:
    results = run(standards("{kind: file-exists, paths: ['hygiene:readme']}", applies_to=applies_to), *APPLIES_REPOS)
    status = statuses(results)
    assert {r for r, s in status.items() if s != "not-applicable"} == applicable
    assert all(status[r] == "pass" for r in applicable)
    for name, detail in why.items():
        assert row(results, name)["detail"] == detail


# --- technology-ring ------------------------------------------------------------------------------------

RADAR = "{log4j: {ring: hold, replace_with: logback}, vue: {ring: assess}, react: {ring: adopt}}"
LOG4J = ("log4j", "logging", "pom.xml")
KAFKA = ("kafka", "messaging", "pom.xml")
REACT = ("react", "frontend-framework", "package.json")
VUE = ("vue", "frontend-framework", "web/package.json")


@pytest.mark.parametrize(
    ("rule", "technologies", "status", "detail", "found", "evidence"),
    [
        ("", [LOG4J], "fail", "log4j is on hold: move to logback", "log4j", "pom.xml"),
        ("", [KAFKA], "fail", "kafka is not on the radar", "kafka", "pom.xml"),
        ("unreviewed: false", [KAFKA], "pass", "", "", ""),
        ("unreviewed: false", [REACT, VUE], "pass", "", "", ""),
        ("forbid: [assess, hold], unreviewed: false", [VUE, LOG4J], "fail",
         "log4j is on hold: move to logback; vue is on assess", "log4j, vue", "pom.xml"),
        ("categories: [frontend-framework]", [LOG4J, REACT], "pass", "", "", ""),
        ("categories: [messaging]", [("kafka", "messaging", "a/pom.xml"), ("kafka", "messaging", "b/pom.xml")],
         "fail", "kafka is not on the radar", "kafka", "a/pom.xml"),
        ("", [], "pass", "", "", ""),
    ],
    ids=["hold-with-replacement", "unreviewed", "unreviewed-allowed", "adopt-and-assess", "forbid-assess",
         "other-category", "monorepo-once", "nothing-used"],
)  # fmt: skip
def test_technology_ring(rule, technologies, status, detail, found, evidence) -> None:
    techs = [Technology(name, category, None, path) for name, category, path in technologies]
    std = standards(f"{{kind: technology-ring{', ' + rule if rule else ''}}}", radar=RADAR)
    r = row(run(std, repo("a", technologies=techs)), "a")
    assert (r["status"], r["detail"], r["found"], r["evidence"]) == (status, detail, found, evidence)


# --- version --------------------------------------------------------------------------------------------


def tech(name: str, version: str | None, path: str = "package.json", category: str = "frontend-framework"):
    return Technology(name, category, version, path)


def react(*versions: str | None) -> list[Technology]:
    return [tech("react", v, f"app{i}/package.json") for i, v in enumerate(versions)]


def django(version: str | None) -> list[Technology]:
    return [tech("django", version, "requirements.txt", "web-framework")]


VERSION_RADAR = "{react: {ring: adopt, version: '>=18.2.0'}, django: {ring: adopt, version: '>=4.2'}}"


@pytest.mark.parametrize(
    ("rule", "technologies", "status", "found", "target"),
    [
        # npm semantics; the constraint from the radar
        ("react", react("18.3.1"), "pass", "18.3.1", ">=18.2.0"),
        ("react", react("17.0.2"), "fail", "17.0.2", ">=18.2.0"),
        ("react", react("^18.2.0"), "pass", "^18.2.0", ">=18.2.0"),
        ("react", react("^17.0.0 || ^18.0.0"), "fail", "^17.0.0 || ^18.0.0", ">=18.2.0"),
        ("react", react("18.2.0-rc.1"), "fail", "18.2.0-rc.1", ">=18.2.0"),
        ("react", react("19.0.0-rc.1"), "fail", "19.0.0-rc.1", ">=18.2.0"),  # npm: a range never admits one
        ("react, constraint: '>=19'", react("18.3.1"), "fail", "18.3.1", ">=19"),
        ("react", react(None), "fail", "", ">=18.2.0"),
        ("react, missing_version: pass", react(None), "pass", "", ">=18.2.0"),
        ("react", [tech("vue", "3.4.0")], "not-applicable", "", ""),
        # several uses: every one must satisfy, the worst is reported
        ("react", react("18.3.1", "16.14.0", "17.0.2"), "fail", "16.14.0", ">=18.2.0"),
        ("react", react("18.3.1", None), "fail", "", ">=18.2.0"),
        ("react, missing_version: pass", react(None, "18.3.1"), "pass", "18.3.1", ">=18.2.0"),
        # PyPI semantics
        ("django", django("4.2.11"), "pass", "4.2.11", ">=4.2"),
        ("django", django("3.2.25"), "fail", "3.2.25", ">=4.2"),
        ("django", django("4.2rc1"), "fail", "4.2rc1", ">=4.2"),
        ("django", django("5.0rc1"), "fail", "5.0rc1", ">=4.2"),  # PEP 440: nor here, unless it names one
        ("django", django(">=3.2,<5"), "fail", ">=3.2,<5", ">=4.2"),
    ],
    ids=["npm-pass", "npm-fail", "npm-range-lowest", "npm-or-range", "npm-pre-release-below",
         "npm-pre-release-above", "rule-constraint-wins", "missing-fails", "missing-passes", "not-used",
         "monorepo-worst", "monorepo-one-unknown", "monorepo-unknown-allowed", "pypi-pass", "pypi-fail",
         "pypi-pre-release-below", "pypi-pre-release-above", "pypi-range"],
)  # fmt: skip
def test_version_of_a_technology(rule: str, technologies: list[Technology], status: str, found: str, target: str):
    std = standards(f"{{kind: version, technology: {rule}}}", radar=VERSION_RADAR)
    r = row(run(std, repo("a", technologies=technologies)), "a")
    assert (r["status"], r["found"], r["target"]) == (status, found, target), r["detail"]


@pytest.mark.parametrize(
    ("rule", "runtimes", "status", "found"),
    [
        ("", [("python", "3.12", ".python-version")], "pass", "3.12"),
        ("", [("python", ">=3.9", "pyproject.toml")], "fail", ">=3.9"),
        ("", [("python", "3.12", "a/Dockerfile"), ("Python", "3.10", "b/.python-version")], "fail", "3.10"),
        ("", [("python", "3.11.0rc1", ".python-version")], "fail", "3.11.0rc1"),
        ("", [("python", "3.13.0rc1", ".python-version")], "pass", "3.13.0rc1"),  # loose: by order only
        ("", [("python", None, "Dockerfile")], "fail", ""),
        (", missing_version: pass", [("python", None, "Dockerfile")], "pass", ""),
        ("", [("node", "20", "package.json")], "not-applicable", ""),
    ],
    ids=["pass", "declared-range-lowest", "worst-of-two-files", "pre-release-below",
         "pre-release-above", "missing-fails",
         "missing-passes", "not-used"],
)  # fmt: skip
def test_version_of_a_runtime(rule: str, runtimes: list[tuple], status: str, found: str) -> None:
    std = standards(f"{{kind: version, runtime: python, constraint: '>=3.11'{rule}}}")
    r = row(run(std, repo("a", runtimes=[Runtime(*rt) for rt in runtimes])), "a")
    assert (r["status"], r["found"]) == (status, found), r["detail"]
    assert r["target"] == (">=3.11" if status != "not-applicable" else "")


@pytest.mark.parametrize(
    ("rule", "images", "status", "found"),
    [
        ("eclipse-temurin, constraint: '>=17'", [("eclipse-temurin", "21-jre")], "pass", "21-jre"),
        ("eclipse-temurin, constraint: '>=17'", [("registry.example.com/base/eclipse-temurin", "11.0.22_7-jdk")],
         "fail", "11.0.22_7-jdk"),
        ("docker.io/library/eclipse-temurin, constraint: '>=17'", [("eclipse-temurin", "17")], "pass", "17"),
        ("python, constraint: '>=3.11'", [("python", "3.12-slim"), ("python", "3.9-alpine")], "fail", "3.9-alpine"),
        ("python, constraint: '>=3.11'", [("python", "3.12-bookworm")], "pass", "3.12-bookworm"),
        ("python, constraint: '>=3.11'", [("python", "3.11-rc-slim")], "fail", "3.11-rc-slim"),
        ("python, constraint: '>=3.11'", [("python", "latest")], "fail", "latest"),
        ("python, constraint: '>=3.11', missing_version: pass", [("python", None)], "pass", ""),
        ("python, constraint: '>=3.11'", [("cpython-builder", "3.9")], "not-applicable", ""),
    ],
    ids=["pass", "other-registry-fail", "rule-with-registry", "worst-stage", "variant-suffix", "pre-release-below",
         "latest-is-unknown", "digest-only-allowed", "other-image"],
)  # fmt: skip
def test_version_of_a_base_image(rule: str, images: list[tuple], status: str, found: str) -> None:
    std = standards(f"{{kind: version, image: {rule}}}")
    imgs = [DockerImage(name, tag, None if tag else "sha256:" + "a" * 64, None, "Dockerfile") for name, tag in images]
    r = row(run(std, repo("a", docker_images=imgs)), "a")
    assert (r["status"], r["found"]) == (status, found), r["detail"]


def test_version_reports_the_worst_use_and_how_many_fail() -> None:
    std = standards("{kind: version, technology: react, constraint: '>=18.2.0'}")
    r = row(run(std, repo("a", technologies=react("18.3.1", "16.14.0", "17.0.2"))), "a")
    assert r["evidence"] == "app1/package.json"
    assert r["detail"] == "react 16.14.0 does not satisfy >=18.2.0 (app1/package.json); 2 of 3 uses fail"


# --- max-per-category -----------------------------------------------------------------------------------


def fe(name: str, team: str, *frameworks: str, **kw) -> RepoFacts:
    return repo(name, team=team, technologies=[tech(f, None, f"{name}/package.json") for f in frameworks], **kw)


MAX_REPOS = [
    fe("a1", "a", "react"),
    fe("a2", "a", "react"),
    fe("a3", "a", "vue"),
    fe("b1", "b", "vue"),
    fe("b2", "b", "angular", "vue"),
    fe("b3", "b"),
    fe("a-old1", "a", "svelte", archived=True),
    fe("a-old2", "a", "svelte", archived=True),
    fe("a-old3", "a", "svelte", archived=True),
]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("{kind: max-per-category, category: frontend-framework}",
         {"a1": "pass", "a2": "pass", "a3": "fail", "b1": "pass", "b2": "fail", "b3": "not-applicable"}),
        ("{kind: max-per-category, category: frontend-framework, scope: org}",
         {"a1": "fail", "a2": "fail", "a3": "pass", "b1": "pass", "b2": "fail", "b3": "not-applicable"}),
        ("{kind: max-per-category, category: frontend-framework, scope: org, max: 2}",
         {"a1": "pass", "a2": "pass", "a3": "pass", "b1": "pass", "b2": "fail", "b3": "not-applicable"}),
        ("{kind: max-per-category, category: frontend-framework, max: 2}",
         {"a1": "pass", "a2": "pass", "a3": "pass", "b1": "pass", "b2": "pass", "b3": "not-applicable"}),
    ],
    ids=["team", "org", "org-max-2", "team-tie-within-max"],
)  # fmt: skip
def test_max_per_category(rule: str, expected: dict[str, str]) -> None:
    results = run(standards(rule), *MAX_REPOS)
    got = statuses(results)
    assert {k: got[k] for k in expected} == expected
    assert all(got[f"a-old{i}"] == "not-applicable" for i in (1, 2, 3))  # and their svelte was not counted


def test_max_per_category_says_what_is_outside_the_choices() -> None:
    results = run(standards("{kind: max-per-category, category: frontend-framework}"), *MAX_REPOS)
    a3 = row(results, "a3")
    assert (a3["detail"], a3["found"], a3["target"], a3["evidence"]) == (
        "uses vue; the team's choices are react", "vue", "react", "a3/package.json",
    )  # fmt: skip
    # team b: vue used twice, angular once
    assert row(results, "b2")["detail"] == "uses angular; the team's choices are vue"
    org = run(standards("{kind: max-per-category, category: frontend-framework, scope: org}"), *MAX_REPOS)
    assert row(org, "a1")["detail"] == "uses react; the organisation's choices are vue"


def test_max_per_category_breaks_ties_by_name() -> None:
    results = run(
        standards("{kind: max-per-category, category: frontend-framework}"),
        fe("x1", "t", "vue"),
        fe("x2", "t", "react"),
        fe("x3", "t", "angular"),
    )
    assert statuses(results) == {"x1": "fail", "x2": "fail", "x3": "pass"}


def test_max_per_category_per_language() -> None:
    rule = "{kind: max-per-category, category: web-framework, per_language: true}"

    def svc(name: str, lang: str, framework: str) -> RepoFacts:
        return repo(
            name, team="t", languages={lang: 100}, technologies=[Technology(framework, "web-framework", None, "f")]
        )

    results = run(
        standards(rule),
        svc("p1", "Python", "django"),
        svc("p2", "Python", "django"),
        svc("p3", "Python", "flask"),
        svc("j1", "Java", "spring-boot"),
        svc("j2", "Kotlin", "ktor"),
    )
    assert statuses(results) == {"p1": "pass", "p2": "pass", "p3": "fail", "j1": "pass", "j2": "pass"}
    assert row(results, "p3")["detail"] == "uses flask; the team's choices for Python are django"


# --- file-exists ----------------------------------------------------------------------------------------


def hyg(**items: HygieneItem) -> dict:
    return {"hygiene": items}


def docker(path: str) -> dict:
    return {"docker_images": [DockerImage("python", "3.12", None, None, path)]}


@pytest.mark.parametrize(
    ("paths", "facts", "status", "evidence"),
    [
        ('["hygiene:readme"]', hyg(readme=HygieneItem(True, "docs/README.md")), "pass", "docs/README.md"),
        ('["hygiene:license"]', hyg(license=HygieneItem(False)), "fail", ""),
        ('["hygiene:license"]', hyg(), "fail", ""),
        ('["hygiene:code-of-conduct"]', hyg(code_of_conduct=HygieneItem(True, "CODE_OF_CONDUCT.md")), "pass",
         "CODE_OF_CONDUCT.md"),
        ('["hygiene:dependabot", "hygiene:renovate"]',
         hyg(dependabot=HygieneItem(False), renovate=HygieneItem(True, "renovate.json")), "pass", "renovate.json"),
        ('["Dockerfile"]', docker("Dockerfile"), "pass", "Dockerfile"),
        ('["Dockerfile"]', docker("svc/Dockerfile"), "fail", ""),
        ('["*Dockerfile"]', docker("svc/Dockerfile"), "pass", "svc/Dockerfile"),
        ('[".github/workflows/*.yml"]', {"ci_files": [CiFile("github-actions", ".github/workflows/ci.yml")]}, "pass",
         ".github/workflows/ci.yml"),
        ('["poetry.lock", "requirements*.txt"]',
         {"dependencies": [Dependency("pypi", "flask", "3.0", None, "runtime", "requirements-dev.txt")]}, "pass",
         "requirements-dev.txt"),
        ('["readme.md"]', hyg(readme=HygieneItem(True, "README.md")), "fail", ""),
        ('["Makefile"]', {}, "fail", ""),
    ],
    ids=["hygiene-present", "hygiene-absent", "hygiene-not-collected", "hygiene-dash-or-underscore", "any-of",
         "glob-docker", "glob-root-only", "glob-star-crosses-folders", "glob-ci", "glob-manifest",
         "glob-case-sensitive", "file-not-recorded"],
)  # fmt: skip
def test_file_exists(paths: str, facts: dict, status: str, evidence: str) -> None:
    facts.setdefault("hygiene", {})
    r = row(run(standards(f"{{kind: file-exists, paths: {paths}}}"), repo("a", **facts)), "a")
    assert (r["status"], r["evidence"]) == (status, evidence), r["detail"]


# --- ci-provider ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allowed", "providers", "status", "detail"),
    [
        ("[]", [], "fail", "no CI configured"),
        ("[]", ["jenkins"], "pass", "CI on jenkins"),
        ("[github-actions, gitlab-ci]", ["jenkins"], "fail", "CI on jenkins; allowed: github-actions, gitlab-ci"),
        ("[github-actions]", ["jenkins", "github-actions"], "pass", "CI on github-actions, jenkins"),
        ("[github-actions]", [], "fail", "no CI configured"),
    ],
    ids=["none", "any", "not-allowed", "one-allowed", "none-with-allowed"],
)
def test_ci_provider(allowed: str, providers: list[str], status: str, detail: str) -> None:
    ci = [CiFile(p, f"{p}.conf") for p in providers]
    r = row(run(standards(f"{{kind: ci-provider, allowed: {allowed}}}"), repo("a", ci_files=ci)), "a")
    assert (r["status"], r["detail"]) == (status, detail)


# --- actions-pinned -------------------------------------------------------------------------------------

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"


@pytest.mark.parametrize(
    ("rule", "uses", "status", "found"),
    [
        ("", [("actions/checkout", SHA)], "pass", ""),
        ("", [("actions/checkout", "v4"), ("actions/setup-node", SHA)], "fail", "actions/checkout@v4"),
        ("", [("./.github/actions/build", None), ("docker://alpine:3.19", None)], "not-applicable", ""),
        ("", [], "not-applicable", ""),
        ("ignore: ['actions/*']", [("actions/checkout", "v4")], "not-applicable", ""),
        ("ignore: ['actions/*']", [("actions/checkout", "v4"), ("acme/deploy", "main")], "fail", "acme/deploy@main"),
        ("mode: major, min_major: {actions/checkout: 4}", [("actions/checkout", "v3")], "fail", "actions/checkout@v3"),
        ("mode: major, min_major: {checkout: 4}", [("actions/checkout", "v3.6.0")], "fail", "actions/checkout@v3.6.0"),
        ("mode: major, min_major: {checkout: 4}", [("actions/checkout", "v4.1.1")], "pass", ""),
        ("mode: major, min_major: {checkout: 4}", [("actions/checkout", SHA)], "pass", ""),
        ("mode: major", [("acme/deploy", "main")], "fail", "acme/deploy@main"),
        ("mode: major", [("acme/deploy", None)], "fail", "acme/deploy"),
        ("mode: major, min_major: {github/codeql-action: 3}", [("github/codeql-action/init", "v2")], "fail",
         "github/codeql-action/init@v2"),
        ("mode: major, min_major: {checkout: 4}", [("other/checkout", "v1")], "fail", "other/checkout@v1"),
        ("mode: major, min_major: {actions/checkout: 4}", [("acme/checkout", "v1")], "pass", ""),
        ("mode: major, min_major: {actions/checkout: 4}", [("actions/cache", "v1")], "pass", ""),
    ],
    ids=["sha", "tag-in-sha-mode", "local-and-docker-ignored", "no-actions", "all-ignored", "ignore-some",
         "major-below", "major-key-without-owner", "major-ok", "sha-in-major-mode", "branch", "no-ref", "sub-action",
         "short-key-any-owner", "full-key-that-owner-only", "no-minimum"],
)  # fmt: skip
def test_actions_pinned(rule: str, uses: list[tuple[str, str | None]], status: str, found: str) -> None:
    actions = [ActionUse(a, ref, ".github/workflows/ci.yml") for a, ref in uses]
    r = row(run(standards(f"{{kind: actions-pinned{', ' + rule if rule else ''}}}"), repo("a", actions=actions)), "a")
    assert (r["status"], r["found"]) == (status, found), r["detail"]
    if status == "fail":
        assert r["evidence"] == ".github/workflows/ci.yml"


# --- build-health ---------------------------------------------------------------------------------------


def wf(rate: float | None, last_green: str | None, name: str = "ci") -> WorkflowHealth:
    return WorkflowHealth(name, f".github/workflows/{name}.yml", 10, "success", None, rate, 60.0, last_green)


def days_ago(n: int) -> str:
    return f"{TODAY - timedelta(days=n)}T23:59:00Z"


GREEN, RED = BuildHealth("green", "ci passed"), BuildHealth("red", "ci failed")
UNKNOWN = BuildHealth("unknown", "no checks reported")
WITHIN_14 = "require_green: false, max_days_since_green: 14"


@pytest.mark.parametrize(
    ("rule", "build", "workflows", "status"),
    [
        ("", None, [], "not-applicable"),
        ("unknown: pass", None, [], "pass"),
        ("unknown: fail", None, [], "fail"),
        ("unknown: fail", UNKNOWN, [], "fail"),
        ("", UNKNOWN, [], "not-applicable"),
        ("", GREEN, [], "pass"),
        ("", RED, [], "fail"),
        ("", BuildHealth("pending", "ci running"), [], "fail"),
        ("require_green: false", RED, [], "pass"),
        ("min_success_rate: 0.8", GREEN, [wf(0.9, None), wf(0.5, None, "e2e")], "fail"),
        ("min_success_rate: 0.8", GREEN, [wf(0.8, None), wf(None, None, "e2e")], "pass"),
        (WITHIN_14, RED, [wf(0.5, days_ago(14))], "pass"),
        (WITHIN_14, RED, [wf(0.5, days_ago(15))], "fail"),
        (WITHIN_14, RED, [wf(0.5, days_ago(30)), wf(0.5, days_ago(2), "e2e")], "pass"),
        (WITHIN_14, RED, [wf(0.0, None)], "fail"),
        (WITHIN_14, RED, [], "fail"),
        ("max_days_since_green: 14", GREEN, [wf(1.0, days_ago(40))], "pass"),
    ],
    ids=["no-data", "no-data-passes", "no-data-fails", "unknown-state-fails", "unknown-state-na", "green", "red",
         "pending", "red-allowed", "worst-workflow-rate", "rate-at-threshold", "green-14-days-ago",
         "green-15-days-ago", "newest-green-counts", "never-green", "no-workflows-red", "green-now"],
)  # fmt: skip
def test_build_health(rule: str, build: BuildHealth | None, workflows: list[WorkflowHealth], status: str) -> None:
    std = standards(f"{{kind: build-health{', ' + rule if rule else ''}}}")
    r = row(run(std, repo("a", build=build, workflows=workflows)), "a")
    assert r["status"] == status, r["detail"]


def test_build_health_says_why() -> None:
    rule = "{kind: build-health, min_success_rate: 0.8, max_days_since_green: 14}"
    build = BuildHealth("red", "ci failed on abc1234")
    r = row(run(standards(rule), repo("a", build=build, workflows=[wf(0.9, days_ago(20)), wf(0.5, None, "e2e")])), "a")
    assert r["detail"] == (
        "the default branch is red: ci failed on abc1234; e2e succeeds in 50% of its runs, below 80%; "
        "last green 20 days ago, more than 14"
    )
    assert (r["evidence"], r["found"]) == (".github/workflows/e2e.yml", "red")


# --- dependency -----------------------------------------------------------------------------------------


def dep(
    eco: str, name: str, declared: str | None = None, resolved: str | None = None, manifest: str = "m"
) -> Dependency:
    return Dependency(eco, name, declared, resolved, "runtime", manifest)


LOG4J2 = "org.apache.logging.log4j:log4j-core"
OLD_LOG4J2 = "banned: [{ecosystem: maven, name: 'org.apache.logging.log4j:*', versions: '<2.17.0'}]"


@pytest.mark.parametrize(
    ("rule", "deps", "status", "found"),
    [
        ("banned: [{ecosystem: maven, name: 'log4j:log4j'}]", [dep("maven", "log4j:log4j", "1.2.17")], "fail",
         "maven:log4j:log4j 1.2.17"),
        ("banned: [{ecosystem: maven, name: 'log4j:log4j'}]", [dep("npm", "log4j:log4j", "1")], "pass", ""),
        (OLD_LOG4J2, [dep("maven", LOG4J2, "2.14.1")], "fail", f"maven:{LOG4J2} 2.14.1"),
        (OLD_LOG4J2, [dep("maven", LOG4J2, "2.14.1", "2.17.1")], "pass", ""),
        (OLD_LOG4J2, [dep("maven", LOG4J2, "${log4j.version}")], "pass", ""),
        ("banned: [{ecosystem: npm, name: moment}, {ecosystem: pypi, name: six}]",
         [dep("npm", "moment", "^2.29.0", manifest="web/package.json"), dep("pypi", "Six", "1.16.0")], "fail",
         "npm:moment ^2.29.0, pypi:Six 1.16.0"),
        ("required: [{ecosystem: pypi, name: structlog}]", [dep("pypi", "structlog", "24.1.0")], "pass", ""),
        ("required: [{ecosystem: pypi, name: python-json-logger}]", [dep("pypi", "Python_JSON.Logger", "2.0.7")],
         "pass", ""),
        ("required: [{ecosystem: pypi, name: structlog}]", [], "fail", ""),
        ("required: [{ecosystem: pypi, name: structlog, versions: '>=21'}]", [dep("pypi", "structlog", "==20.1.0")],
         "fail", ""),
        ("required: [{ecosystem: pypi, name: structlog, versions: '>=21'}]",
         [dep("pypi", "structlog", ">=20", "24.1.0")], "pass", ""),
    ],
    ids=["banned", "other-ecosystem", "banned-versions", "resolved-outside-ban", "unknown-version-not-banned",
         "two-banned", "required", "required-pep503", "required-missing", "required-too-old", "required-resolved"],
)  # fmt: skip
def test_dependency(rule: str, deps: list[Dependency], status: str, found: str) -> None:
    r = row(run(standards(f"{{kind: dependency, {rule}}}"), repo("a", dependencies=deps)), "a")
    assert (r["status"], r["found"]) == (status, found), r["detail"]


def test_dependency_says_what_is_banned_and_missing() -> None:
    rule = "{kind: dependency, banned: [{ecosystem: npm, name: moment}], required: [{ecosystem: npm, name: date-fns}]}"
    r = row(
        run(standards(rule), repo("a", dependencies=[dep("npm", "moment", "2.29.4", manifest="web/package.json")])), "a"
    )
    assert r["detail"] == "npm:moment 2.29.4 is banned; npm:date-fns is required but missing"
    assert (r["evidence"], r["target"]) == ("web/package.json", "no npm:moment, npm:date-fns")


# --- errors ---------------------------------------------------------------------------------------------


def test_a_rule_failing_on_one_repository_is_an_error_for_it_only() -> None:
    rule = "{kind: build-health, require_green: false, max_days_since_green: 14}"
    good = [repo(f"ok{i}", build=BuildHealth("red", "x"), workflows=[wf(1.0, days_ago(i))]) for i in range(7)]
    bad = repo("broken", build=BuildHealth("red", "x"), workflows=[wf(1.0, "last tuesday")])
    results = run(standards(rule), *good[:3], bad, *good[3:])
    status = statuses(results)
    assert status.pop("broken") == "error"
    assert status == {f"ok{i}": "pass" for i in range(7)}
    assert "last tuesday" in row(results, "broken")["detail"]


def test_a_rule_that_cannot_run_is_an_error_everywhere_not_a_crash() -> None:
    def std(sid: str, rule: dict) -> dict:
        return {"id": sid, "title": sid, "level": "bronze", "rule": rule, "rationale": "r", "owner": "o",
                "review_by": "2027-01-01"}  # fmt: skip

    # built without the loader's checks, as a programmatic caller might
    broken = std("lic", {"kind": "file-exists", "paths": ["hygiene:licence"]})
    results = run(Standards.model_validate({"standards": [broken, std("ci", {"kind": "ci-provider"})]}),
                  repo("a"), repo("b"), repo("c", archived=True))  # fmt: skip
    lic = results[results["standard"] == "lic"]
    assert statuses(lic) == {"a": "error", "b": "error", "c": "not-applicable"}
    assert "unknown hygiene item 'licence'" in row(results, "a", "lic")["detail"]
    assert set(results.loc[results["standard"] == "ci", "status"]) == {"fail", "not-applicable"}


# --- waivers --------------------------------------------------------------------------------------------

WAIVED_RULE = "{kind: ci-provider}"  # every repository below has no CI: fails


def waiver(subject: str, expires: date, reason: str = "migrating") -> str:
    return f"{{standard: s, {subject}, reason: {reason}, approver: cto, expires: {expires}}}"


DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("waivers", "today", "expected"),
    [
        ([waiver("repo: payments/api", TODAY)], TODAY,
         {"payments/api": ("waived", "migrating"), "web/shop": ("fail", None)}),
        ([waiver("repo: payments/api", TODAY)], TODAY + DAY,
         {"payments/api": ("fail", "migrating"), "web/shop": ("fail", None)}),
        ([waiver("team: web", TODAY + 30 * DAY)], TODAY,
         {"payments/api": ("fail", None), "web/shop": ("waived", "migrating"), "web/blog": ("waived", "migrating")}),
        ([waiver("repo: 'payments/*'", TODAY)], TODAY,
         {"payments/api": ("waived", "migrating"), "Payments/Batch": ("waived", "migrating"),
          "web/shop": ("fail", None)}),
        ([waiver("repo: 'web/*'", TODAY - DAY, "old"), waiver("repo: web/shop", TODAY, "new")], TODAY,
         {"web/shop": ("waived", "new"), "web/blog": ("fail", "old")}),
        ([waiver("repo: 'web/*'", TODAY - 9 * DAY, "old"), waiver("team: web", TODAY - 2 * DAY, "new")], TODAY,
         {"web/shop": ("fail", "new")}),
        ([waiver("repo: 'web/*'", TODAY + 9 * DAY, "long"), waiver("team: web", TODAY, "short")], TODAY,
         {"web/shop": ("waived", "long")}),
    ],
    ids=["expiry-day-holds", "day-after-expired", "team", "repo-glob", "active-beats-expired",
         "latest-expired-listed", "latest-expiry-wins"],
)  # fmt: skip
def test_waivers(waivers: list[str], today: date, expected: dict[str, tuple[str, str | None]]) -> None:
    std = standards(WAIVED_RULE, waivers=f"[{', '.join(waivers)}]")
    results = run(
        std,
        repo("payments/api", team="payments"),
        repo("Payments/Batch", team="payments"),
        repo("web/shop"),
        repo("web/blog"),
        today=today,
    )
    for name, (status, reason) in expected.items():
        r = row(results, name)
        assert (r["status"], r["waiver_reason"]) == (status, reason), name
        if reason is None:
            assert r["waiver_approver"] is None and r["waiver_expires"] is None and not r["waiver_expired"]
        else:
            # a failing row with a waiver attached is one whose waiver has expired
            assert bool(r["waiver_expired"]) is (status == "fail")
            assert r["waiver_approver"] == "cto" and isinstance(r["waiver_expires"], date)
            assert (r["waiver_expires"] >= today) is (status == "waived")


def test_an_expired_waiver_is_listed_with_its_reason_and_date() -> None:
    expires = TODAY - timedelta(days=3)
    std = standards(WAIVED_RULE, waivers=f"[{waiver('repo: web/shop', expires, 'Jenkins until Q3')}]")
    r = row(run(std, repo("web/shop")), "web/shop")
    assert (r["status"], r["waiver_reason"], r["waiver_approver"], r["waiver_expires"], r["waiver_expired"]) == (
        "fail", "Jenkins until Q3", "cto", expires, True,
    )  # fmt: skip


def test_a_waiver_never_turns_a_pass_or_an_error_into_waived() -> None:
    std = standards(WAIVED_RULE, waivers=f"[{waiver('team: web', TODAY)}]")
    r = row(run(std, repo("web/shop", ci_files=[CiFile("jenkins", "Jenkinsfile")])), "web/shop")
    assert (r["status"], r["waiver_reason"], r["waiver_expired"]) == ("pass", None, False)


def test_a_waiver_for_another_standard_does_not_apply() -> None:
    std = parse_standards(
        """
standards:
  - {id: s, title: S, level: bronze, rule: {kind: ci-provider}, rationale: r, owner: o, review_by: 2027-01-01}
  - {id: t, title: T, level: bronze, rule: {kind: ci-provider}, rationale: r, owner: o, review_by: 2027-01-01}
waivers:
  - {standard: t, team: web, reason: r, approver: a, expires: 2030-01-01}
"""
    )
    results = run(std, repo("web/shop"))
    assert (row(results, "web/shop", "s")["status"], row(results, "web/shop", "t")["status"]) == ("fail", "waived")


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        ("2026-12-15T23:59:59+00:00", "waived"),  # the expiry day is the waiver's last
        ("2026-12-16T00:00:00+00:00", "fail"),
        ("2026-12-15T20:30:00-05:00", "fail"),  # still the 15th in New York, already the 16th in UTC
        ("2026-12-16T08:00:00+10:00", "waived"),  # the 16th in Sydney, still the 15th in UTC
    ],
    ids=["last-day", "day-after", "new-york-evening", "sydney-morning"],
)
def test_waiver_expiry_is_judged_on_the_utc_date(moment: str, status: str) -> None:
    from datetime import datetime

    from collectors.facts import RepoFacts
    from standards.evaluate import evaluate, utc_today
    from standards.load import parse_standards
    from store.frames import frames_from_records

    standards = parse_standards(
        """
standards:
  - {id: readme, title: A README, level: bronze, rule: {kind: file-exists, paths: ["hygiene:readme"]},
     rationale: r, owner: o, review_by: 2027-01-01}
waivers:
  - {standard: readme, repo: acme/x, reason: r, approver: a, expires: 2026-12-15}
"""
    )
    results = evaluate(
        standards, frames_from_records([RepoFacts(name="acme/x")]), today=utc_today(datetime.fromisoformat(moment))
    )
    assert results["status"].tolist() == [status]


def test_utc_today_refuses_a_naive_moment() -> None:
    from datetime import datetime

    from standards.evaluate import utc_today

    with pytest.raises(ValueError, match="time zone"):
        utc_today(datetime(2026, 1, 1))
