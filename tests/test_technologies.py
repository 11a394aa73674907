"""Technologies derived from a repository's other facts, after the catalog."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from collectors.catalog import ECOSYSTEMS, load_catalog, parse_catalog
from collectors.detectors.parsing import load_yaml
from collectors.detectors.technologies import CompiledCatalog, derive, detect_technologies
from collectors.facts import ActionUse, CiFile, Dependency, DockerImage, Facts, Technology
from tests.gitrepo import make_repo, open_repo

ROOT = Path(__file__).resolve().parent.parent


def dep(
    ecosystem: str,
    name: str,
    declared: str | None = None,
    resolved: str | None = None,
    manifest: str = "package.json",
    scope: str = "runtime",
) -> Dependency:
    return Dependency(ecosystem, name, declared, resolved, scope, manifest)


def found(facts: Facts, paths: tuple[str, ...] = ()) -> dict[str, tuple[str | None, str]]:
    """name -> (version, evidence) of every technology derived."""
    out = derive(facts, paths)
    assert len({t.name for t in out}) == len(out), "one technology per name"
    return {t.name: (t.version, t.evidence) for t in out}


# --- versions and evidence ----------------------------------------------------------------------

ROWS = [
    pytest.param(
        Facts(
            dependencies=[
                dep("maven", "org.springframework.boot:spring-boot-starter-web", manifest="pom.xml"),
                dep("maven", "org.springframework.boot:spring-boot-starter-actuator", "3.1.0", manifest="pom.xml"),
                dep("maven", "org.springframework.boot:spring-boot-starter-parent", "3.2.1", None, "pom.xml", "plugin"),
            ]
        ),
        (),
        {
            "spring-boot": ("3.2.1", "pom.xml"),
            "spring-mvc": (None, "pom.xml"),
            "spring-boot-actuator": ("3.1.0", "pom.xml"),
        },
        id="spring-boot-from-the-starter-parent-not-a-starter-with-its-own-version",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep("maven", "org.springframework.boot:spring-boot-starter-web", manifest="app/build.gradle.kts"),
                dep("gradle-plugin", "org.springframework.boot", "3.3.0", manifest="app/build.gradle.kts"),
            ]
        ),
        (),
        {"spring-boot": ("3.3.0", "app/build.gradle.kts"), "spring-mvc": (None, "app/build.gradle.kts")},
        id="spring-boot-from-the-gradle-plugin-when-starters-carry-no-version",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep(
                    "maven",
                    "org.springframework.boot:spring-boot-starter-parent",
                    "${boot.version}",
                    manifest="pom.xml",
                ),
                dep("maven", "org.springframework.boot:spring-boot-starter-web", "2.7.18", manifest="svc/pom.xml"),
            ]
        ),
        (),
        {"spring-boot": ("2.7.18", "svc/pom.xml"), "spring-mvc": ("2.7.18", "svc/pom.xml")},
        id="an-unresolved-property-is-no-version",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep("npm", "react-dom", "^18.3.0", "18.3.1"),
                dep("npm", "react", "^18.2.0", "18.2.0"),
            ]
        ),
        (),
        {"react": ("18.2.0", "package.json")},
        id="react-from-react-not-react-dom",
    ),
    pytest.param(
        Facts(dependencies=[dep("npm", "react-dom", "^18.3.0", "18.3.1")]),
        (),
        {"react": (None, "package.json")},
        id="react-dom-alone-tells-react-without-a-version",
    ),
    pytest.param(
        Facts(dependencies=[dep("pypi", "django", ">=4.2,<5", "4.2.11", "pyproject.toml")]),
        (),
        {"django": ("4.2.11", "pyproject.toml")},
        id="resolved-beats-declared",
    ),
    pytest.param(
        Facts(dependencies=[dep("pypi", "django", ">=4.2,<5", None, "requirements.txt")]),
        (),
        {"django": (">=4.2,<5", "requirements.txt")},
        id="declared-when-nothing-resolved",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep("npm", "@angular/cli", "~17.3.0", manifest="package.json", scope="dev"),
                dep("npm", "@angular/common", "^17.0.0", "17.0.9", "apps/shop/package.json"),
                dep("npm", "@angular/core", "^17.0.0", "17.0.8", "apps/shop/package.json"),
            ]
        ),
        (),
        {"angular": ("17.0.8", "apps/shop/package.json"), "angular-cli": ("~17.3.0", "package.json")},
        id="a-glob-signal-takes-the-version-of-the-package-version-from-names",
    ),
    pytest.param(
        Facts(dependencies=[dep("npm", "@angular/forms", "^16.2.0")]),
        (),
        {"angular": (None, "package.json")},
        id="a-glob-match-outside-version-from-gives-evidence-only",
    ),
    pytest.param(
        Facts(docker_images=[DockerImage("eclipse-temurin", "21", None, None, "Dockerfile")]),
        (),
        {"eclipse-temurin": ("21", "Dockerfile")},
        id="docker-base-image-version-is-its-tag",
    ),
    pytest.param(
        Facts(
            docker_images=[
                DockerImage("docker.io/library/python", "3.12-slim", None, "build", "svc/Dockerfile"),
                DockerImage("gcr.io/distroless/python3-debian12", "nonroot", None, None, "svc/Dockerfile"),
                DockerImage("postgres", None, "sha256:abc", None, "db/Dockerfile"),
            ]
        ),
        (),
        {
            "python-image": ("3.12-slim", "svc/Dockerfile"),
            "distroless": ("nonroot", "svc/Dockerfile"),
            "postgresql": (None, "db/Dockerfile"),
        },
        id="docker-hub-prefixes-dropped-glob-images-and-digest-only-images",
    ),
    pytest.param(
        Facts(),
        ("README.md", "analytics/dbt_project.yml", "analytics/models/orders.sql"),
        {"dbt": (None, "analytics/dbt_project.yml")},
        id="file-signal-dbt-project",
    ),
    pytest.param(
        Facts(dependencies=[dep("pypi", "dbt-postgres", "1.7.0", manifest="requirements.txt")]),
        ("dbt_project.yml",),
        {"dbt": (None, "dbt_project.yml")},
        id="an-adapter-outside-version-from-gives-no-dbt-version",
    ),
    pytest.param(
        Facts(dependencies=[dep("pypi", "dbt-core", "1.7.4", manifest="requirements.txt")]),
        ("dbt_project.yml",),
        {"dbt": ("1.7.4", "requirements.txt")},
        id="a-versioned-signal-beats-a-file-closer-to-the-root",
    ),
    pytest.param(
        Facts(),
        ("node_modules/x/turbo.json", "vendor/y/nx.json", ".husky/pre-commit", ".github/dependabot.yml"),
        {"husky": (None, ".husky/pre-commit"), "dependabot": (None, ".github/dependabot.yml")},
        id="files-in-vendored-code-signal-nothing-path-globs-match-from-the-root",
    ),
    pytest.param(
        Facts(),
        ("infra/.github/dependabot.yml",),
        {},
        id="a-path-pattern-matches-only-from-the-root",
    ),
    pytest.param(
        Facts(
            ci_files=[CiFile("github-actions", ".github/workflows/ci.yml"), CiFile("travis", ".travis.yml")],
            actions=[
                ActionUse("github/codeql-action/init", "v3", ".github/workflows/codeql.yml"),
                ActionUse("actions/checkout", "v4", ".github/workflows/ci.yml"),
            ],
        ),
        (),
        {
            "github-actions": (None, ".github/workflows/ci.yml"),
            "travis-ci": (None, ".travis.yml"),
            "codeql": (None, ".github/workflows/codeql.yml"),
        },
        id="ci-providers-and-actions-give-no-version",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep("go", "github.com/jackc/pgx/v5", "v5.5.5", manifest="go.mod"),
                dep("go", "github.com/Sirupsen/logrus", "v1.0.0", manifest="go.mod"),
                dep("maven", "com.typesafe.akka:akka-actor-typed_2.13", "2.8.5", manifest="build.sbt"),
                dep("pypi", "Flask_SQLAlchemy", "3.1.1", manifest="requirements.txt"),
                dep("nuget", "newtonsoft.json", "13.0.3", manifest="App.csproj"),
            ]
        ),
        (),
        {
            "pgx": ("v5.5.5", "go.mod"),
            "postgresql": (None, "go.mod"),
            "logrus": ("v1.0.0", "go.mod"),
            "akka": ("2.8.5", "build.sbt"),
            "sqlalchemy": (None, "requirements.txt"),
            "newtonsoft-json": ("13.0.3", "App.csproj"),
        },
        id="go-major-suffix-scala-suffix-pep503-and-case-are-folded",
    ),
    pytest.param(
        Facts(dependencies=[dep("maven", "com.typesafe.akka:akka-http", "10.5.3", manifest="build.sbt")]),
        (),
        {"akka-http": ("10.5.3", "build.sbt"), "akka": (None, "build.sbt")},
        id="akka-http-versions-are-not-akka-versions",
    ),
    pytest.param(
        Facts(dependencies=[dep("npm", "expo", "~51.0.0")]),
        (),
        {"expo": ("~51.0.0", "package.json"), "react-native": (None, "package.json"), "react": (None, "package.json")},
        id="implies-is-transitive-and-gives-no-version",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep("npm", "next", "14.2.3", manifest="package.json"),
                dep("npm", "react", "18.3.1", manifest="web/package.json"),
            ]
        ),
        (),
        {"nextjs": ("14.2.3", "package.json"), "react": ("18.3.1", "web/package.json")},
        id="a-technology-found-on-its-own-keeps-its-version-over-an-implication",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep("pypi", "psycopg2-binary", "2.9.9", manifest="requirements.txt"),
                dep("npm", "better-sqlite3", "9.4.0", manifest="tools/package.json"),
            ],
            docker_images=[DockerImage("postgres", "16-alpine", None, None, "db/Dockerfile")],
        ),
        (),
        {
            "psycopg2": ("2.9.9", "requirements.txt"),
            "postgresql": ("16-alpine", "db/Dockerfile"),
            "sqlite": (None, "tools/package.json"),
        },
        id="a-database-takes-its-version-from-its-image-never-from-a-driver",
    ),
    pytest.param(
        Facts(
            dependencies=[
                dep("maven", "log4j:log4j", "1.2.17", manifest="pom.xml"),
                dep("maven", "org.apache.logging.log4j:log4j-api", "2.23.1", manifest="pom.xml"),
                dep("maven", "org.apache.logging.log4j:log4j-core", "2.22.0", manifest="pom.xml"),
            ]
        ),
        (),
        {"log4j": ("1.2.17", "pom.xml"), "log4j2": ("2.22.0", "pom.xml")},
        id="log4j-1-and-log4j-2-are-different-technologies",
    ),
]


@pytest.mark.parametrize(("facts", "paths", "expected"), ROWS)
def test_derive(facts: Facts, paths: tuple[str, ...], expected: dict[str, tuple[str | None, str]]) -> None:
    assert found(facts, paths) == expected


@pytest.mark.parametrize(
    ("ecosystem", "name"),
    [
        ("npm", "react-router"),
        ("npm", "express-session"),
        ("npm", "@angular-devkit/build-angular"),
        ("npm", "reactstrap"),
        ("npm", "angular-eslint"),
        ("pypi", "django-environ"),
        ("pypi", "fastapi-utils"),
        ("maven", "org.springframework.bootstrap:demo"),
        ("maven", "io.quarkiverse.foo:quarkus-foo"),
        ("maven", "com.example:log4j"),
        ("go", "github.com/gin-gonic/gin-contrib"),
        ("go", "github.com/jackc/pgxpool"),
        ("rubygems", "rails-html-sanitizer"),
        ("nuget", "Microsoft.Extensions.Logging"),
        ("cargo", "tokio-util"),
        ("npmjs", "react"),
    ],
)
def test_no_technology_from_an_unrelated_package(ecosystem: str, name: str) -> None:
    assert found(Facts(dependencies=[dep(ecosystem, name, "1.0.0")])) == {}


@pytest.mark.parametrize("image", ["pythonista/tools", "mypython", "library/nodejs", "registry.example.com/python"])
def test_no_technology_from_an_unrelated_image(image: str) -> None:
    assert found(Facts(docker_images=[DockerImage(image, "1", None, None, "Dockerfile")])) == {}


def test_evidence_is_the_manifest_closest_to_the_root_then_alphabetical_whatever_the_input_order() -> None:
    deps = [
        dep("npm", "express", "^4.18.0", manifest="services/b/package.json"),
        dep("npm", "express", "^4.19.0", manifest="services/a/package.json"),
        dep("npm", "express", "^4.17.0", manifest="deep/er/still/package.json"),
        dep("npm", "express", "^4.21.0", manifest="z/package.json"),
    ]
    results = {tuple(derive(Facts(dependencies=list(order)), ())) for order in itertools.permutations(deps)}
    assert results == {(Technology("express", "web-framework", "^4.21.0", "z/package.json"),)}


def test_file_evidence_is_the_path_closest_to_the_root_whatever_the_listing_order() -> None:
    paths = ["b/x.tf", "a/main.tf", "a/b/c.tf", "main.tf.json"]
    for order in itertools.permutations(paths):
        assert found(Facts(), order) == {"terraform": (None, "main.tf.json")}


def test_empty_facts_give_no_technologies() -> None:
    assert derive(Facts(), []) == []


def test_output_is_sorted_by_name() -> None:
    facts = Facts(dependencies=[dep("npm", n, "1.0.0") for n in ("zod", "axios", "react", "moment")])
    names = [t.name for t in derive(facts, ())]
    assert names == sorted(names) == ["axios", "moment", "react", "zod"]


def test_technology_carries_its_catalog_category() -> None:
    (tech,) = derive(Facts(dependencies=[dep("npm", "moment", "2.29.4")]), ())
    assert tech == Technology("moment", "date-time", "2.29.4", "package.json")


def test_a_catalog_of_ones_own_can_be_compiled_and_used() -> None:
    table = CompiledCatalog(
        parse_catalog(
            "- {name: acme-web, title: Acme Web, category: web-framework, signals: {maven: ['com.acme:web-*']}}\n"
        )
    )
    techs = derive(Facts(dependencies=[dep("maven", "com.acme:web-core", "7.1", manifest="pom.xml")]), (), table)
    assert techs == [Technology("acme-web", "web-framework", "7.1", "pom.xml")]


# --- the demo organisation's stacks and extras --------------------------------------------------

TOOLCHAIN_ECOSYSTEM = {
    "python": "pypi",
    "node": "npm",
    "jvm": "maven",
    "scala": "maven",
    "go": "go",
    "ruby": "rubygems",
}

STACK_TECHNOLOGIES = {
    "fastapi": {"fastapi", "uvicorn", "pydantic", "sqlalchemy", "psycopg2", "postgresql", "pytest", "ruff"},
    "litestar": {"litestar", "uvicorn", "sqlalchemy"},
    "django": {"django", "django-rest-framework", "celery", "gunicorn", "redis-py", "redis"},
    "flask": {"flask", "sqlalchemy", "gunicorn", "requests", "flake8", "black"},
    "react": {"react", "create-react-app", "axios", "vite", "vitest", "testing-library", "eslint"},
    "nextjs": {"nextjs", "react", "jest", "eslint"},
    "express": {"express", "node-postgres", "dotenv", "axios", "jest", "supertest", "nodemon"},
    "vue": {"vue", "vite", "vue-cli", "vitest"},
    "angular": {"angular", "angular-cli", "rxjs", "jasmine", "karma"},
    "angularjs": {"angularjs", "jquery", "bootstrap", "moment", "gulp", "karma"},
    "spring-maven": {"spring-boot", "spring-mvc", "spring-data-jpa", "spring-boot-actuator", "flyway", "springdoc"},
    "spring-gradle": {"spring-boot", "flyway", "postgresql-jdbc", "guava"},
    "spring-gradle-kotlin": {"spring-boot", "jackson", "postgresql"},
    "java-lib-maven": {"jackson", "guava", "log4j", "slf4j", "junit4", "junit5"},
    "go-service": {"gin", "pgx", "zap", "testify"},
    "go-cli": {"cobra", "viper", "testify"},
    "scala-service": {"akka", "akka-http", "pekko", "pekko-http", "spray-json", "logback", "scalatest"},
    "rails": {"rails", "ruby-pg", "puma", "webpacker", "importmap-rails", "hotwire-turbo", "rspec", "sprockets"},
}


def demo_org() -> dict:
    return load_yaml((ROOT / "data" / "demo_org.yaml").read_text(encoding="utf-8"))


def demo_dependency(toolchain: str, name: str) -> Dependency:
    ecosystem = TOOLCHAIN_ECOSYSTEM[toolchain]
    if ecosystem == "pypi":
        name = canonicalize_name(name)
    return dep(ecosystem, name.replace("::", ":"), "1.0.0", manifest="manifest")


@pytest.mark.parametrize("stack", sorted(STACK_TECHNOLOGIES))
def test_every_demo_stack_shows_the_technologies_it_is_built_with(stack: str) -> None:
    spec = demo_org()["stacks"][stack]
    names = [*(spec.get("deps") or {}), *(spec.get("dev_deps") or {})]
    facts = Facts(dependencies=[demo_dependency(spec["toolchain"], n) for n in names])
    assert STACK_TECHNOLOGIES[stack] - set(found(facts)) == set()


def test_every_demo_extra_is_a_technology() -> None:
    extras = demo_org()["extras"]
    missing = [
        key
        for key, extra in extras.items()
        if not found(Facts(dependencies=[demo_dependency(extra["toolchain"], extra["name"])]))
    ]
    assert missing == []


# --- the registry's entry point, over a real repository -----------------------------------------


def test_detect_technologies_reads_the_listing_of_a_real_repository(tmp_path: Path) -> None:
    view = open_repo(
        make_repo(
            tmp_path / "repo",
            {
                "analytics/dbt_project.yml": "name: shop\n",
                "node_modules/turbo/turbo.json": "{}\n",
                "turbo.json": "{}\n",
                "web/package.json": "{}\n",
            },
        )
    )
    try:
        techs = detect_technologies(
            view, Facts(dependencies=[dep("npm", "next", "14.2.3", manifest="web/package.json")])
        )
    finally:
        view.close()
    assert [(t.name, t.version, t.evidence) for t in techs] == [
        ("dbt", None, "analytics/dbt_project.yml"),
        ("nextjs", "14.2.3", "web/package.json"),
        ("react", None, "web/package.json"),
        ("turborepo", None, "turbo.json"),
    ]


# --- robustness and speed -----------------------------------------------------------------------

names = st.one_of(
    st.text(max_size=40),
    st.sampled_from([p for e in load_catalog() for _, patterns in e.signals for p in patterns]),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    deps=st.lists(
        st.tuples(
            st.sampled_from([*ECOSYSTEMS, "docker", "other"]),
            names,
            st.none() | st.text(max_size=10),
            st.text(max_size=30),
        ),
        max_size=20,
    ),
    images=st.lists(st.tuples(names, st.none() | st.text(max_size=10), st.text(max_size=20)), max_size=5),
    paths=st.lists(st.one_of(names, st.text(max_size=30)), max_size=30),
)
def test_derive_never_fails_and_every_evidence_is_an_input(
    deps: list[tuple[str, str, str | None, str]], images: list[tuple[str, str | None, str]], paths: list[str]
) -> None:
    facts = Facts(
        dependencies=[Dependency(eco, name, version, None, "runtime", path) for eco, name, version, path in deps],
        docker_images=[DockerImage(image, tag, None, None, path) for image, tag, path in images],
    )
    techs = derive(facts, paths)
    catalog = load_catalog()
    inputs = {d.manifest for d in facts.dependencies} | {i.path for i in facts.docker_images} | set(paths)
    assert len({t.name for t in techs}) == len(techs)
    assert all(catalog.get(t.name) is not None and t.evidence in inputs for t in techs)


def synthetic_organisation(repos: int, seed: int = 7) -> list[tuple[Facts, list[str]]]:
    """Facts shaped like a real organisation's: a few dozen dependencies per repository (a third
    of them in the catalog), a couple of base images, CI files, Actions and a few hundred paths."""
    rng = random.Random(seed)
    catalog = load_catalog()
    known = [
        (kind, p.replace("*", "core"))
        for e in catalog
        for kind, patterns in e.signals
        if kind in ECOSYSTEMS
        for p in patterns
    ]
    images = [p.replace("*", "base") for e in catalog for p in e.patterns("docker")]
    files = [p.replace("*", "x") for e in catalog for p in e.patterns("file")]
    org = []
    for r in range(repos):
        deps = [Dependency(*rng.choice(known), "1.2.3", None, "runtime", "package.json") for _ in range(15)]
        deps += [
            Dependency(
                rng.choice(ECOSYSTEMS), f"lib-{rng.randrange(5000)}", "^2.0.0", "2.0.1", "dev", f"svc{r % 3}/pom.xml"
            )
            for _ in range(30)
        ]
        paths = [f"src/pkg{i % 20}/module_{rng.randrange(2000)}.py" for i in range(300)]
        paths += [*rng.sample(files, 8), "README.md", "LICENSE", "node_modules/a/package.json"]
        facts = Facts(
            dependencies=deps,
            docker_images=[DockerImage(rng.choice(images), "1", None, None, "Dockerfile") for _ in range(2)],
            ci_files=[CiFile("github-actions", ".github/workflows/ci.yml")],
            actions=[ActionUse("actions/checkout", "v4", ".github/workflows/ci.yml")] * 3,
        )
        org.append((facts, paths))
    return org


def test_derive_over_1000_synthetic_repositories_finds_their_technologies() -> None:
    # Speed is measured by benchmarks/detect.py, not asserted here.
    org = synthetic_organisation(1000)
    table = CompiledCatalog(load_catalog())  # cold: nothing memoised yet
    total = sum(len(derive(facts, paths, table)) for facts, paths in org)
    assert total > 10_000
