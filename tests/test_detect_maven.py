"""The Maven detector: pom.xml across a repository (parents, properties, managed versions, BOMs,
plugins, modules), the Java and Kotlin versions asked for, and the Maven wrapper."""

from __future__ import annotations

import codecs
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import maven
from collectors.detectors.maven import interpolate, parse_pom, parse_poms, parse_wrapper
from collectors.detectors.parsing import ParseError
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

NS = 'xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


detect_in = partial(detect_with, maven.detect)


def deps_of(facts: Facts) -> set[tuple[str, str | None, str, str]]:
    return {(d.name, d.declared, d.scope, d.manifest) for d in facts.dependencies}


def pom(body: str, *, namespace: bool = True) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<project {NS if namespace else ""}>\n<modelVersion>4.0.0</modelVersion>\n{body}\n</project>\n'


def dep(group: str, artifact: str, extra: str = "") -> str:
    return f"<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>{extra}</dependency>"


SPRING_BOOT_APP = pom(
    """
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.2.1</version>
    <relativePath/> <!-- lookup parent from repository -->
  </parent>
  <groupId>com.acme</groupId>
  <artifactId>orders</artifactId>
  <version>0.0.1-SNAPSHOT</version>
  <properties>
    <java.version>17</java.version>
    <spring-cloud.version>2023.0.0</spring-cloud.version>
    <mapstruct.version>1.5.5.Final</mapstruct.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <dependency>
      <groupId>org.springframework.cloud</groupId>
      <artifactId>spring-cloud-starter-openfeign</artifactId>
    </dependency>
    <dependency>
      <groupId>org.mapstruct</groupId>
      <artifactId>mapstruct</artifactId>
      <version>${mapstruct.version}</version>
    </dependency>
    <dependency>
      <groupId>org.postgresql</groupId>
      <artifactId>postgresql</artifactId>
      <scope>runtime</scope>
    </dependency>
    <dependency>
      <groupId>org.projectlombok</groupId>
      <artifactId>lombok</artifactId>
      <optional>true</optional>
    </dependency>
    <dependency>
      <groupId>jakarta.servlet</groupId>
      <artifactId>jakarta.servlet-api</artifactId>
      <version>6.0.0</version>
      <scope>provided</scope>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-test</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.testcontainers</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>${testcontainers.version}</version>
      <scope>test</scope>
      <optional>true</optional>
    </dependency>
  </dependencies>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework.cloud</groupId>
        <artifactId>spring-cloud-dependencies</artifactId>
        <version>${spring-cloud.version}</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
      <dependency>
        <groupId>org.mapstruct</groupId>
        <artifactId>mapstruct-processor</artifactId>
        <version>${mapstruct.version}</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
      <plugin>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.12.1</version>
        <configuration><release>${java.version}</release></configuration>
      </plugin>
    </plugins>
  </build>"""
)


def test_spring_boot_application_pom() -> None:
    facts = parse_poms({"pom.xml": SPRING_BOOT_APP})
    assert {(d.ecosystem, d.name, d.declared, d.scope) for d in facts.dependencies} == {
        ("maven", "org.springframework.boot:spring-boot-starter-parent", "3.2.1", "build"),
        ("maven", "org.springframework.boot:spring-boot-starter-web", None, "runtime"),  # the parent's: unknown here
        ("maven", "org.springframework.cloud:spring-cloud-starter-openfeign", None, "runtime"),
        ("maven", "org.mapstruct:mapstruct", "1.5.5.Final", "runtime"),
        ("maven", "org.postgresql:postgresql", None, "runtime"),
        ("maven", "org.projectlombok:lombok", None, "optional"),
        ("maven", "jakarta.servlet:jakarta.servlet-api", "6.0.0", "runtime"),  # provided
        ("maven", "org.springframework.boot:spring-boot-starter-test", None, "test"),
        ("maven", "org.testcontainers:junit-jupiter", "${testcontainers.version}", "test"),  # optional test stays test
        ("maven", "org.springframework.cloud:spring-cloud-dependencies", "2023.0.0", "build"),  # the BOM
        ("maven", "org.springframework.boot:spring-boot-maven-plugin", None, "plugin"),
        ("maven", "org.apache.maven.plugins:maven-compiler-plugin", "3.12.1", "plugin"),
    }  # mapstruct-processor is only managed: not a dependency
    assert facts.runtimes == [Runtime("java", "17", evidence="pom.xml")]  # <release>${java.version}</release>
    assert facts.warnings == []


# --- a multi-module repository ------------------------------------------------------------------

PLATFORM_ROOT = pom(
    """
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.2.1</version>
    <relativePath/>
  </parent>
  <groupId>com.acme.platform</groupId>
  <artifactId>platform-parent</artifactId>
  <version>2.4.0-SNAPSHOT</version>
  <packaging>pom</packaging>
  <modules>
    <module>bom</module>
    <module>core</module>
    <module>services/billing</module>
  </modules>
  <properties>
    <java.version>21</java.version>
    <kotlin.version>1.9.22</kotlin.version>
    <guava.version>33.0.0-jre</guava.version>
    <resilience4j.version>2.2.0</resilience4j.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>com.google.guava</groupId>
        <artifactId>guava</artifactId>
        <version>${guava.version}</version>
      </dependency>
      <dependency>
        <groupId>${project.groupId}</groupId>
        <artifactId>core</artifactId>
        <version>${project.version}</version>
      </dependency>
      <dependency>
        <groupId>com.acme.platform</groupId>
        <artifactId>platform-bom</artifactId>
        <version>${project.version}</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
      <dependency>
        <groupId>org.junit</groupId>
        <artifactId>junit-bom</artifactId>
        <version>5.10.1</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.jacoco</groupId>
          <artifactId>jacoco-maven-plugin</artifactId>
          <version>0.8.11</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>"""
)
PLATFORM_BOM = pom(
    """
  <parent><groupId>com.acme.platform</groupId><artifactId>platform-parent</artifactId><version>2.4.0-SNAPSHOT</version></parent>
  <artifactId>platform-bom</artifactId>
  <packaging>pom</packaging>
  <properties><micrometer.version>1.12.1</micrometer.version></properties>
  <dependencyManagement><dependencies>
    """
    + dep("io.micrometer", "micrometer-registry-prometheus", "<version>${micrometer.version}</version>")
    + """
  </dependencies></dependencyManagement>"""
)
PLATFORM_CORE = pom(
    """
  <parent>
    <groupId>com.acme.platform</groupId>
    <artifactId>platform-parent</artifactId>
    <version>2.4.0-SNAPSHOT</version>
  </parent>
  <artifactId>core</artifactId>
  <dependencies>
    """
    + dep("com.google.guava", "guava")
    + dep("io.github.resilience4j", "resilience4j-spring-boot3", "<version>${resilience4j.version}</version>")
    + dep("io.micrometer", "micrometer-registry-prometheus")
    + dep("org.junit.jupiter", "junit-jupiter", "<scope>test</scope>")
    + """
  </dependencies>
  <build><plugins><plugin><groupId>org.jacoco</groupId><artifactId>jacoco-maven-plugin</artifactId></plugin></plugins></build>"""
)
BILLING = pom(
    """
  <parent>
    <groupId>com.acme.platform</groupId>
    <artifactId>platform-parent</artifactId>
    <version>2.4.0-SNAPSHOT</version>
    <relativePath>../../pom.xml</relativePath>
  </parent>
  <artifactId>billing</artifactId>
  <version>1.0.0</version>
  <properties>
    <guava.version>32.1.3-jre</guava.version>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <dependencies>
    """
    + dep("com.acme.platform", "core")
    + dep("com.google.guava", "guava")
    + dep("com.stripe", "stripe-java", "<version>24.8.0</version>")
    + """
  </dependencies>""",
    namespace=False,
)


def test_multi_module_repository_children_inherit_versions(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "pom.xml": PLATFORM_ROOT,
            "bom/pom.xml": PLATFORM_BOM,
            "core/pom.xml": PLATFORM_CORE,
            "services/billing/pom.xml": BILLING,
            "node_modules/some-pkg/pom.xml": pom("<groupId>x</groupId><artifactId>y</artifactId>"),
            ".mvn/wrapper/maven-wrapper.properties": (
                "distributionUrl=https\\://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.6/"
                "apache-maven-3.9.6-bin.zip\nwrapperUrl=https://repo.maven.apache.org/maven2/wrapper.jar\n"
            ),
        },
    )
    assert deps_of(facts) == {
        ("org.springframework.boot:spring-boot-starter-parent", "3.2.1", "build", "pom.xml"),
        ("org.junit:junit-bom", "5.10.1", "build", "pom.xml"),
        # platform-bom and core are the repository's own modules: not dependencies
        ("com.google.guava:guava", "33.0.0-jre", "runtime", "core/pom.xml"),  # the parent's managed version
        ("io.github.resilience4j:resilience4j-spring-boot3", "2.2.0", "runtime", "core/pom.xml"),  # its property
        ("io.micrometer:micrometer-registry-prometheus", "1.12.1", "runtime", "core/pom.xml"),  # the own BOM
        ("org.junit.jupiter:junit-jupiter", None, "test", "core/pom.xml"),
        ("org.jacoco:jacoco-maven-plugin", "0.8.11", "plugin", "core/pom.xml"),  # pluginManagement
        # the child overrides the property the parent's dependencyManagement uses: Maven evaluates
        # managed versions in the child, so billing gets 32.1.3-jre
        ("com.google.guava:guava", "32.1.3-jre", "runtime", "services/billing/pom.xml"),
        ("com.stripe:stripe-java", "24.8.0", "runtime", "services/billing/pom.xml"),
        ("maven", "3.9.6", "build", ".mvn/wrapper/maven-wrapper.properties"),
    }
    assert set(facts.runtimes) == {
        Runtime("java", "21", evidence="pom.xml"),
        Runtime("kotlin", "1.9.22", evidence="pom.xml"),
        Runtime("java", "17", evidence="services/billing/pom.xml"),
    }  # core inherits java 21: reported once, where it is written
    assert facts.warnings == []


def test_module_without_a_pom_and_a_parent_loop_are_warnings(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "pom.xml": pom(
                "<groupId>g</groupId><artifactId>root</artifactId><version>1</version>"
                "<modules><module>present</module><module>missing</module><module>alt/pom-ci.xml</module></modules>"
            ),
            "present/pom.xml": pom("<groupId>g</groupId><artifactId>present</artifactId><version>1</version>"),
            "alt/pom-ci.xml": "<project/>",
            "a/pom.xml": pom(
                "<parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version>"
                "<relativePath>../b</relativePath></parent><artifactId>a</artifactId>"
                "<properties><x>${y}</x></properties><dependencies>"
                + dep("d", "e", "<version>${x}</version>")
                + "</dependencies>"
            ),
            "b/pom.xml": pom(
                "<parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version>"
                "<relativePath>../a</relativePath></parent><artifactId>b</artifactId><properties><y>${x}</y></properties>"
            ),
        },
    )
    messages = {(w.path, w.message) for w in facts.warnings}
    assert ("pom.xml", "modules: 'missing' has no missing/pom.xml in the repository") in messages
    assert not any("present" in m or "pom-ci" in m for _, m in messages)
    assert any("the parent chain loops" in m for _, m in messages)
    # a circular property stays as written, and nothing raised
    assert {d.name: d.declared for d in facts.dependencies}["d:e"].startswith("${")


def test_parent_found_by_coordinates_when_relative_path_is_elsewhere() -> None:
    parent = pom(
        "<groupId>org.acme</groupId><artifactId>acme-parent</artifactId><version>7</version>"
        "<properties><netty.version>4.1.104.Final</netty.version></properties>"
    )
    child = pom(
        "<parent><groupId>org.acme</groupId><artifactId>acme-parent</artifactId><version>7</version></parent>"
        "<artifactId>svc</artifactId><dependencies>"
        + dep("io.netty", "netty-all", "<version>${netty.version}</version>")
        + dep("org.acme", "lib", "<version>${project.parent.version}</version>")
        + dep("org.acme", "other", "<version>${project.version}</version>")
        + "</dependencies>"
    )
    facts = parse_poms({"build/parent/pom.xml": parent, "apps/svc/pom.xml": child})
    assert {(d.name, d.declared) for d in facts.dependencies} == {
        ("io.netty:netty-all", "4.1.104.Final"),  # from a parent not at ../pom.xml
        ("org.acme:lib", "7"),
        ("org.acme:other", "7"),  # the child's version is its parent's
    }


# --- properties ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "properties", "expected"),
    [
        ("${a}", {"a": "1.0"}, "1.0"),
        ("${a}.${b}", {"a": "1", "b": "2"}, "1.2"),
        ("${a}", {"a": "${b}", "b": "${c}", "c": "3.1"}, "3.1"),  # chained
        ("${missing}", {}, "${missing}"),  # undefined: as written
        ("${a}", {"a": "${missing}-x"}, "${missing}-x"),
        ("${a}", {"a": "${b}", "b": "${a}"}, "${a}"),  # circular: as written, no recursion error
        ("[${a},)", {"a": "2.0"}, "[2.0,)"),  # a range
        ("plain", {"a": "1"}, "plain"),
    ],
)
def test_interpolation(text: str, properties: dict[str, str], expected: str) -> None:
    assert interpolate(text, properties) == expected


def test_properties_that_double_at_each_level_are_refused_quickly() -> None:
    properties = {f"p{i}": f"${{p{i + 1}}}${{p{i + 1}}}" for i in range(40)} | {"p40": "x" * 10}
    expanded = interpolate("${p0}", properties)
    assert len(expanded) <= maven.MAX_VALUE_LENGTH


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<version>3.1</version><properties><v>${project.version}</v></properties>", "3.1"),
        ("<version>3.1</version><properties><v>${pom.version}</v></properties>", "3.1"),
        ("<version>3.1</version><properties><v>${version}</v></properties>", "3.1"),  # deprecated bare form
        ("<version>3.1</version><properties><version>9</version><v>${version}</v></properties>", "9"),
        (
            "<version>3.1</version><properties><project.version>9</project.version><v>${project.version}</v></properties>",
            "3.1",
        ),
        (
            "<parent><groupId>p</groupId><artifactId>q</artifactId><version>5.5</version></parent>"
            "<properties><v>${project.parent.version}</v></properties>",
            "5.5",
        ),
        (
            "<version>${revision}</version><properties><revision>2.0.1</revision><v>${project.version}</v></properties>",
            "2.0.1",
        ),
        ("<properties><v>${env.LIB_VERSION}</v></properties>", "${env.LIB_VERSION}"),
    ],
)
def test_model_values_in_properties(body: str, expected: str) -> None:
    text = pom(
        "<groupId>g</groupId><artifactId>a</artifactId>"
        + body
        + "<dependencies>"
        + dep("x", "y", "<version>${v}</version>")
        + "</dependencies>"
    )
    facts = parse_poms({"pom.xml": text})
    assert {d.name: d.declared for d in facts.dependencies}["x:y"] == expected


# --- scopes and runtimes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "scope"),
    [
        ("", "runtime"),
        ("<scope>compile</scope>", "runtime"),
        ("<scope>runtime</scope>", "runtime"),
        ("<scope>provided</scope>", "runtime"),
        ("<scope>system</scope><systemPath>/x.jar</systemPath>", "runtime"),
        ("<scope>test</scope>", "test"),
        ("<scope>TEST</scope>", "test"),
        ("<optional>true</optional>", "optional"),
        ("<scope>provided</scope><optional>true</optional>", "optional"),
        ("<scope>test</scope><optional>true</optional>", "test"),
        ("<optional>false</optional>", "runtime"),
    ],
)
def test_dependency_scope(extra: str, scope: str) -> None:
    facts = parse_poms(
        {"pom.xml": pom("<dependencies>" + dep("g", "a", "<version>1</version>" + extra) + "</dependencies>")}
    )
    assert [d.scope for d in facts.dependencies] == [scope]


def test_managed_scope_applies_and_an_unknown_scope_is_a_warning() -> None:
    text = pom(
        "<dependencyManagement><dependencies>"
        + dep("g", "managed-test", "<version>1</version><scope>test</scope>")
        + "</dependencies></dependencyManagement><dependencies>"
        + dep("g", "managed-test")
        + dep("g", "typo", "<version>1</version><scope>compiel</scope>")
        + "</dependencies>"
    )
    facts = parse_poms({"pom.xml": text})
    assert {(d.name, d.declared, d.scope) for d in facts.dependencies} == {
        ("g:managed-test", "1", "test"),
        ("g:typo", "1", "runtime"),
    }
    assert [w.message for w in facts.warnings] == ["dependency g:typo: unknown scope 'compiel', counted as runtime"]


def test_managed_version_matches_type_and_classifier() -> None:
    text = pom(
        "<dependencyManagement><dependencies>"
        + dep("g", "a", "<version>1.0</version>")
        + dep("g", "a", "<version>2.0</version><type>test-jar</type>")
        + "</dependencies></dependencyManagement><dependencies>"
        + dep("g", "a", "<type>test-jar</type><scope>test</scope>")
        + dep("g", "a", "<classifier>linux</classifier>")
        + "</dependencies>"
    )
    facts = parse_poms({"pom.xml": text})
    assert sorted((d.declared or "", d.scope) for d in facts.dependencies) == [("", "runtime"), ("2.0", "test")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<properties><java.version>17</java.version></properties>", [("java", "17")]),
        (
            "<properties><maven.compiler.source>1.8</maven.compiler.source><maven.compiler.target>1.8</maven.compiler.target></properties>",
            [("java", "1.8")],
        ),
        (
            "<properties><java.version>11</java.version><maven.compiler.release>21</maven.compiler.release></properties>",
            [("java", "21")],  # release is what the compiler obeys
        ),
        (
            "<properties><maven.compiler.release>17</maven.compiler.release></properties>"
            "<build><pluginManagement><plugins><plugin><artifactId>maven-compiler-plugin</artifactId>"
            "<configuration><release>21</release></configuration></plugin></plugins></pluginManagement></build>",
            [("java", "21")],
        ),
        (
            "<properties><jdk>11</jdk></properties><build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>"
            "<artifactId>maven-compiler-plugin</artifactId><configuration><source>${jdk}</source><target>${jdk}</target>"
            "</configuration></plugin></plugins></build>",
            [("java", "11")],
        ),
        (
            "<properties><maven.compiler.release>${unknown.jdk}</maven.compiler.release><java.version>17</java.version></properties>",
            [("java", "17")],
        ),
        (
            "<properties><kotlin.version>1.9.22</kotlin.version><java.version>17</java.version></properties>",
            [("java", "17"), ("kotlin", "1.9.22")],
        ),
        ("<properties><scala.version>2.13.12</scala.version></properties>", [("scala", "2.13.12")]),
        ("<properties><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>", []),
    ],
)
def test_runtimes(body: str, expected: list[tuple[str, str]]) -> None:
    facts = parse_poms({"svc/pom.xml": pom(body)})
    assert [(r.name, r.version) for r in facts.runtimes] == expected
    assert all(r.evidence == "svc/pom.xml" for r in facts.runtimes)


def test_pom_without_namespace_and_with_the_4_1_namespace() -> None:
    plain = "<project><dependencies>" + dep("a", "b", "<version>1</version>") + "</dependencies></project>"
    newer = (
        '<project xmlns="http://maven.apache.org/POM/4.1.0">'
        + "<dependencies>"
        + dep("c", "d", "<version>2</version>")
        + "</dependencies></project>"
    )
    facts = parse_poms({"one/pom.xml": plain, "two/pom.xml": newer})
    assert {(d.name, d.declared) for d in facts.dependencies} == {("a:b", "1"), ("c:d", "2")}


# --- broken input -------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    "<project><version>&lol3;</version></project>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<project><dependencies><dependency><groupId>&xxe;</groupId><artifactId>a</artifactId></dependency></dependencies></project>"
)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("<project><dependencies><dependency></project>", "not valid XML: mismatched tag"),
        ("", "not valid XML: no element found"),
        ("just text", "not valid XML: syntax error"),
        (BILLION_LAUGHS, "not read: forbidden XML construct (EntitiesForbidden)"),
        (EXTERNAL_ENTITY, "not read: forbidden XML construct (EntitiesForbidden)"),
        ("<settings><servers/></settings>", "not a Maven POM: the root element is <settings>, not <project>"),
        (b"\x00\x01PK\x03\x04binary", "not readable as text (binary content)"),
        ("<project>" + "<a>" * 50_000 + "</a>" * 50_000 + "</project>", None),  # deep but harmless
    ],
)
def test_broken_pom_is_a_warning(tmp_path: Path, content: str | bytes, problem: str | None) -> None:
    facts = detect_in(
        tmp_path, {"pom.xml": content, "ok/pom.xml": pom("<dependencies>" + dep("g", "a") + "</dependencies>")}
    )
    assert [d.name for d in facts.dependencies] == ["g:a"]  # the good one still counts
    if problem is None:
        assert facts.warnings == []
    else:
        assert [(w.path, w.message.split(":")[0]) for w in facts.warnings] == [("pom.xml", problem.split(":")[0])]
        assert facts.warnings[0].message.startswith(problem)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_pom_with_a_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    text = SPRING_BOOT_APP.replace('encoding="UTF-8"', f'encoding="{encoding.upper().removesuffix("-SIG")}"')
    data = text.encode(encoding)
    if encoding == "utf-16":
        assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    facts = detect_in(tmp_path, {"pom.xml": data})
    assert facts.warnings == []
    assert ("org.mapstruct:mapstruct", "1.5.5.Final", "runtime", "pom.xml") in deps_of(facts)


def test_entries_without_coordinates_are_warnings_and_the_rest_counts() -> None:
    text = pom(
        "<parent><artifactId>no-group</artifactId></parent><dependencies>"
        "<dependency><groupId>g</groupId></dependency>"
        + dep("g", "fine", "<version>1</version>")
        + "<dependency><artifactId>a</artifactId></dependency>"
        "</dependencies><build><plugins><plugin><version>1</version></plugin></plugins></build>"
    )
    facts = parse_poms({"pom.xml": text})
    assert [d.name for d in facts.dependencies] == ["g:fine"]
    assert [w.message for w in facts.warnings] == [
        "parent[1]: no groupId",
        "dependencies/dependency[1]: no artifactId",
        "dependencies/dependency[3]: no groupId",
        "build/plugins/plugin[1]: no artifactId",
    ]


def test_parse_pom_raises_parse_error_only() -> None:
    with pytest.raises(ParseError, match="not a Maven POM"):
        parse_pom("<html/>", "pom.xml")


# --- the Maven wrapper --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "version"),
    [
        (
            "distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.6/apache-maven-3.9.6-bin.zip\n",
            "3.9.6",
        ),
        (
            "# comment\ndistributionUrl = https\\://mirror.example.com/apache-maven-4.0.0-beta-3-bin.tar.gz\n",
            "4.0.0-beta-3",
        ),
    ],
)
def test_maven_wrapper(text: str, version: str) -> None:
    assert parse_wrapper(text, ".mvn/wrapper/maven-wrapper.properties") == Dependency(
        "maven", "maven", version, None, "build", ".mvn/wrapper/maven-wrapper.properties"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("wrapperVersion=3.3.2\n", "no distributionUrl"),
        ("distributionUrl=https://example.com/tool.zip\n", "does not name"),
    ],
)
def test_maven_wrapper_without_a_version_is_a_warning(tmp_path: Path, text: str, problem: str) -> None:
    facts = detect_in(tmp_path, {".mvn/wrapper/maven-wrapper.properties": text})
    assert facts.dependencies == []
    assert len(facts.warnings) == 1 and problem in facts.warnings[0].message


# --- never an exception -------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b"<>/${}&;\"' \n", max_edits=10)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=300),
            mutated(SPRING_BOOT_APP.encode()),
            mutated(PLATFORM_CORE.encode()),
            mutated(BILLING.encode()),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_bytes_as_pom_xml_never_raise(contents: list[bytes]) -> None:
    texts = {}
    for number, data in enumerate(contents):
        text = decode_text(data)
        if text is not None:  # binary content is a warning before parsing
            texts["pom.xml" if number == 0 else f"m{number}/pom.xml"] = text
    facts = parse_poms(texts)
    assert all(isinstance(w.message, str) and w.message and "\n" not in w.message for w in facts.warnings)
    assert all(d.ecosystem == "maven" and ":" in d.name for d in facts.dependencies)
