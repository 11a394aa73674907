"""The sbt detector: build.sbt module IDs, sbt plugins, project/*.scala values, the Scala and sbt
versions."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import sbt
from collectors.detectors.parsing import ParseError
from collectors.detectors.sbt import parse_build_properties, parse_sbt
from collectors.facts import Dependency, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

detect_in = partial(detect_with, sbt.detect)


def found(parsed: object) -> set[tuple[str, str, str | None, str]]:
    return {(d.ecosystem, d.name, d.declared, d.scope) for d in parsed.dependencies}  # type: ignore[attr-defined]


PEKKO_BUILD = """
import Dependencies._

ThisBuild / scalaVersion := "2.13.12"
ThisBuild / organization := "com.acme"

val pekkoVersion = "1.0.2"
lazy val pekkoHttpVersion: String = "1.0.0"
val circe = "io.circe"

lazy val root = (project in file("."))
  .settings(
    name := "orders",
    libraryDependencies ++= Seq(
      "org.apache.pekko" %% "pekko-actor-typed" % pekkoVersion,
      "org.apache.pekko" %% "pekko-http" % pekkoHttpVersion,
      circe %% "circe-core" % "0.14.6",
      "ch.qos.logback" % "logback-classic" % "1.4.14" % Runtime,
      "org.apache.pekko" %% "pekko-actor-testkit-typed" % pekkoVersion % Test,
      "org.scalatest" %% "scalatest" % "3.2.17" % "test",
      "javax.servlet" % "javax.servlet-api" % "4.0.1" % "provided",
      "com.typesafe.slick" %% "slick" % Versions.slick,
      "org.scala-js" %%% "scalajs-dom" % "2.8.0",
      "org.typelevel" %% "cats-core" % "2.10.0" % Optional,
      "com.github.pureconfig" %% "pureconfig" % "0.17.4" withSources(),
    ),
    dependencyOverrides += "com.fasterxml.jackson.core" % "jackson-databind" % "2.15.3",
    excludeDependencies += "org.slf4j" % "slf4j-log4j12",
    addCompilerPlugin("org.typelevel" % "kind-projector" % "0.13.2" cross CrossVersion.full),
    libraryDependencies += compilerPlugin("com.olegpy" %% "better-monadic-for" % "0.3.1")
  )
/* a /* nested */ comment: "org" %% "not-read" % "1" */
libraryDependencies += "com.typesafe.akka" %% "akka-actor" % "2.6.20" // classic Akka
libraryDependencies += ("io.netty" % "netty-all" % "4.1.104.Final" % "it,test").exclude("a", "b")
"""


def test_pekko_build() -> None:
    parsed = parse_sbt(PEKKO_BUILD, "build.sbt")
    assert found(parsed) == {
        ("maven", "org.apache.pekko:pekko-actor-typed", "1.0.2", "runtime"),  # %%: no Scala suffix
        ("maven", "org.apache.pekko:pekko-http", "1.0.0", "runtime"),
        ("maven", "io.circe:circe-core", "0.14.6", "runtime"),  # organisation from a val
        ("maven", "ch.qos.logback:logback-classic", "1.4.14", "runtime"),
        ("maven", "org.apache.pekko:pekko-actor-testkit-typed", "1.0.2", "test"),
        ("maven", "org.scalatest:scalatest", "3.2.17", "test"),
        ("maven", "javax.servlet:javax.servlet-api", "4.0.1", "runtime"),
        ("maven", "com.typesafe.slick:slick", "${Versions.slick}", "runtime"),  # defined nowhere it can see
        ("maven", "org.scala-js:scalajs-dom", "2.8.0", "runtime"),
        ("maven", "org.typelevel:cats-core", "2.10.0", "optional"),
        ("maven", "com.github.pureconfig:pureconfig", "0.17.4", "runtime"),
        ("maven", "org.typelevel:kind-projector", "0.13.2", "build"),
        ("maven", "com.olegpy:better-monadic-for", "0.3.1", "build"),
        ("maven", "com.typesafe.akka:akka-actor", "2.6.20", "runtime"),
        ("maven", "io.netty:netty-all", "4.1.104.Final", "test"),
    }  # the override, the exclusion and the commented-out module ID are no dependencies
    assert parsed.runtimes == [Runtime("scala", "2.13.12", evidence="build.sbt")]
    assert parsed.warnings == []


AKKA_DEPENDENCIES_SCALA = """
import sbt._

object Versions {
  val akka = "2.6.20"
  val akkaHttp = "10.2.10"
  final val scala213 = "2.13.12"
}

object Dependencies {
  val akkaOrg = "com.typesafe.akka"
  lazy val akkaActor = akkaOrg %% "akka-actor-typed" % Versions.akka
  lazy val akkaHttp = akkaOrg %% "akka-http" % Versions.akkaHttp
  lazy val akkaTestkit = akkaOrg %% "akka-actor-testkit-typed" % Versions.akka % Test
  val all: Seq[ModuleID] = Seq(akkaActor, akkaHttp, akkaTestkit)
}
"""


def test_repository_with_project_folder_and_subprojects(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "build.sbt": (
                "scalaVersion := Versions.scala213\n"
                "lazy val core = project.settings(libraryDependencies ++= Dependencies.all)\n"
                'lazy val api = project.dependsOn(core).settings(libraryDependencies += "io.spray" %% "spray-json" % sprayVersion)\n'
            ),
            "common.sbt": 'val sprayVersion = "1.3.6"\n',
            "project/Dependencies.scala": AKKA_DEPENDENCIES_SCALA,
            "project/plugins.sbt": (
                'addSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.9.16")\n'
                'addSbtPlugin("org.scalameta" % "sbt-scalafmt" % scalafmtVersion)\n'
                'val scalafmtVersion = "2.5.2"\n'
                'libraryDependencies += "org.scala-sbt" %% "scripted-plugin" % sbtVersion.value\n'
            ),
            "project/build.properties": "sbt.version=1.9.7\n",
            "core/build.sbt": 'libraryDependencies += "org.postgresql" % "postgresql" % "42.7.1"\nscalaVersion := "3.3.1"\n',
            "core/src/main/scala/project/Model.scala": 'object M { val x = "a" %% "b" % "1" }\n',  # not the build's
            "core/src/main/resources/build.properties": "sbt.version=0.13\n",
            "vendor/lib/build.sbt": 'libraryDependencies += "x" % "y" % "1"\n',
        },
    )
    assert {(d.ecosystem, d.name, d.declared, d.scope, d.manifest) for d in facts.dependencies} == {
        ("maven", "com.typesafe.akka:akka-actor-typed", "2.6.20", "runtime", "project/Dependencies.scala"),
        ("maven", "com.typesafe.akka:akka-http", "10.2.10", "runtime", "project/Dependencies.scala"),
        ("maven", "com.typesafe.akka:akka-actor-testkit-typed", "2.6.20", "test", "project/Dependencies.scala"),
        ("maven", "io.spray:spray-json", "1.3.6", "runtime", "build.sbt"),  # a val of another .sbt beside it
        ("sbt-plugin", "com.github.sbt:sbt-native-packager", "1.9.16", "plugin", "project/plugins.sbt"),
        ("sbt-plugin", "org.scalameta:sbt-scalafmt", "2.5.2", "plugin", "project/plugins.sbt"),
        ("maven", "org.scala-sbt:scripted-plugin", "${sbtVersion.value}", "build", "project/plugins.sbt"),  # meta-build
        ("maven", "sbt", "1.9.7", "build", "project/build.properties"),
        ("maven", "org.postgresql:postgresql", "42.7.1", "runtime", "core/build.sbt"),
    }
    assert set(facts.runtimes) == {
        Runtime("scala", "2.13.12", evidence="build.sbt"),  # Versions.scala213 from project/
        Runtime("scala", "3.3.1", evidence="core/build.sbt"),
    }
    assert facts.warnings == []


def test_build_of_scala_files_only_and_a_build_properties_of_no_sbt_build(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "project/build.properties": "sbt.version=0.13.18\n",
            "project/Build.scala": 'object B { val deps = Seq("org.typelevel" %% "cats-core" % "2.10.0") }\n',
            "java-app/project/build.properties": "app.name=demo\n",
            "java-app/project/Config.scala": 'object C { val x = "a" % "b" % "1" }\n',
        },
    )
    assert {(d.name, d.declared, d.manifest) for d in facts.dependencies} == {
        ("sbt", "0.13.18", "project/build.properties"),
        ("org.typelevel:cats-core", "2.10.0", "project/Build.scala"),
    }
    assert facts.warnings == []


@pytest.mark.parametrize(
    ("configuration", "scope"),
    [
        ("Test", "test"),
        ('"test"', "test"),
        ("IntegrationTest", "test"),
        ('"it"', "test"),
        ('"it,test"', "test"),
        ('"test->test;compile->compile"', "test"),
        ('"compile->compile;test->test"', "runtime"),
        ("Provided", "runtime"),
        ("Compile", "runtime"),
        ("Runtime", "runtime"),
        ("Optional", "optional"),
        ("CompilerPlugin", "build"),
        ("Something", "runtime"),
    ],
)
def test_configuration_scope(configuration: str, scope: str) -> None:
    parsed = parse_sbt(f'libraryDependencies += "g" %% "a" % "1" % {configuration}\n', "build.sbt")
    assert [(d.name, d.scope) for d in parsed.dependencies] == [("g:a", scope)]


@pytest.mark.parametrize(
    ("text", "versions"),
    [
        ('scalaVersion := "2.13.12"', ["2.13.12"]),
        ('ThisBuild / scalaVersion := "3.3.1"', ["3.3.1"]),
        ('scalaVersion in ThisBuild := "2.12.18"', ["2.12.18"]),
        ('val scala3 = "3.3.1"\nscalaVersion := scala3', ["3.3.1"]),
        (
            'lazy val a = project.settings(scalaVersion := "2.13.12")\nlazy val b = project.settings(scalaVersion := "3.3.1")',
            ["2.13.12", "3.3.1"],
        ),
        ('scalaVersion := "2.13.12"\nThisBuild / scalaVersion := "2.13.12"', ["2.13.12"]),
        ('crossScalaVersions := Seq("2.13.12", "3.3.1")', []),
        ("scalaVersion := unknownName", []),
    ],
)
def test_scala_version(text: str, versions: list[str]) -> None:
    assert [r.version for r in parse_sbt(text + "\n", "build.sbt").runtimes] == versions


def test_scala_interpolated_string_and_raw_strings() -> None:
    text = 'val v = "1.2"\nlibraryDependencies += "g" % "a" % s"$v.3"\nlibraryDependencies += "g" % "b" % "$v"\n'
    parsed = parse_sbt(text, "build.sbt")
    assert [(d.name, d.declared) for d in parsed.dependencies] == [("g:a", "1.2.3"), ("g:b", "$v")]


def test_build_properties() -> None:
    assert parse_build_properties("# sbt\nsbt.version = 1.9.8\n", "project/build.properties") == Dependency(
        "maven", "sbt", "1.9.8", None, "build", "project/build.properties"
    )
    with pytest.raises(ParseError, match=r"no sbt\.version"):
        parse_build_properties("other=1\n", "project/build.properties")


# --- broken input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content", "problem"),
    [
        ("build.sbt", 'libraryDependencies += "g" % "a % "1"\n', "line 1: a string that never ends on its line"),
        ("build.sbt", "/* never closed\n", "line 1: a /* comment that never ends"),
        ("build.sbt", b"\x00\x01\x02binary", "not readable as text (binary content)"),
        ("project/plugins.sbt", 'addSbtPlugin("g" % "a" % "1"\n', "line 1: '(' is never closed"),
        ("project/build.properties", "sbt.versoin=1.9.7\n", "no sbt.version"),
        ("project/Deps.scala", 'object D { val x = """never\n', "line 1: a string that never ends"),
    ],
)
def test_broken_file_is_a_warning(tmp_path: Path, path: str, content: str | bytes, problem: str) -> None:
    files = {path: content, "ok/build.sbt": 'libraryDependencies += "g" % "ok" % "1"\n'}
    if path.startswith("project/"):
        files["build.sbt"] = "\n"
    facts = detect_in(tmp_path, files)
    assert ("g:ok", "ok/build.sbt") in {(d.name, d.manifest) for d in facts.dependencies}
    assert [(w.path, w.message) for w in facts.warnings] == [(path, problem)]


def test_utf16_build_sbt_is_read(tmp_path: Path) -> None:
    data = 'libraryDependencies += "g" %% "a" % "1"\n'.encode("utf-16")
    facts = detect_in(tmp_path, {"build.sbt": data})
    assert [(d.name, d.declared) for d in facts.dependencies] == [("g:a", "1")]


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    text = "Seq(" * 30_000 + ")" * 30_000 + '\nlibraryDependencies += "g" % "a" % "1"\n'
    assert [d.name for d in parse_sbt(text, "build.sbt").dependencies] == ["g:a"]


# --- never an exception -------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b"%()\"'$/*{}\n,", max_edits=10)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["build.sbt", "project/plugins.sbt", "project/Dependencies.scala"]),
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        mutated(PEKKO_BUILD.encode()),
        mutated(AKKA_DEPENDENCIES_SCALA.encode()),
    ),
)
def test_any_bytes_as_an_sbt_file_never_raise(path: str, data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    try:
        parsed = parse_sbt(text, path)
    except ParseError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert all(isinstance(w, str) and w and "\n" not in w for w in parsed.warnings)
    assert all(d.ecosystem in ("maven", "sbt-plugin") and ":" in d.name for d in parsed.dependencies)
