"""The .NET detector: project files, Directory.*.props, packages.config, packages.lock.json, global.json."""

from __future__ import annotations

import contextlib
import json
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import dotnet
from collectors.detectors.dotnet import (
    Context,
    parse_global_json,
    parse_packages_config,
    parse_packages_lock,
    parse_project,
    project_facts,
    substitute,
)
from collectors.detectors.parsing import ParseError
from collectors.facts import Facts, Runtime
from tests.gitrepo import detect_with

detect_in = partial(detect_with, dotnet.detect)


def deps_of(facts: Facts) -> set[tuple[str, str | None, str | None, str, str]]:
    return {(d.name, d.declared, d.resolved, d.scope, d.manifest) for d in facts.dependencies}


WEB_API = """\
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <Nullable>enable</Nullable>
    <EfVersion>8.0.1</EfVersion>
  </PropertyGroup>
  <PropertyGroup Condition="'$(Configuration)' == 'Release'">
    <EfVersion>0.0.0-not-this</EfVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Swashbuckle.AspNetCore" Version="6.5.0" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" Version="$(EfVersion)" />
    <PackageReference Include="Serilog.AspNetCore">
      <Version>8.0.0</Version>
    </PackageReference>
    <PackageReference Include="Polly;Polly.Extensions" Version="8.2.1" />
    <PackageReference Include="Microsoft.SourceLink.GitHub" Version="8.0.0" PrivateAssets="All" />
    <PackageReference Include="StyleCop.Analyzers" Version="1.1.118">
      <PrivateAssets>all</PrivateAssets>
      <IncludeAssets>runtime; build; native; contentfiles; analyzers</IncludeAssets>
    </PackageReference>
    <ProjectReference Include="..\\Domain\\Domain.csproj" />
  </ItemGroup>
</Project>
"""


def test_sdk_project_references_and_framework() -> None:
    project = parse_project(WEB_API, "src/Api/Api.csproj")
    deps, runtimes = project_facts(project, Context())
    assert {(d.name, d.declared, d.scope) for d in deps} == {
        ("Swashbuckle.AspNetCore", "6.5.0", "runtime"),
        ("Microsoft.EntityFrameworkCore.SqlServer", "8.0.1", "runtime"),  # $(EfVersion), unconditional one
        ("Serilog.AspNetCore", "8.0.0", "runtime"),  # <Version> child element
        ("Polly", "8.2.1", "runtime"),
        ("Polly.Extensions", "8.2.1", "runtime"),
        ("Microsoft.SourceLink.GitHub", "8.0.0", "build"),  # PrivateAssets=All: never shipped
        ("StyleCop.Analyzers", "1.1.118", "build"),
    }  # ProjectReference is this repository's own code
    assert all(d.ecosystem == "nuget" and d.manifest == "src/Api/Api.csproj" for d in deps)
    assert runtimes == [Runtime("dotnet", "net8.0", evidence="src/Api/Api.csproj")]


OLD_STYLE = """\
<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup>
    <TargetFrameworkVersion>v4.7.2</TargetFrameworkVersion>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="Newtonsoft.Json, Version=13.0.0.0, Culture=neutral">
      <HintPath>..\\packages\\Newtonsoft.Json.13.0.3\\lib\\net45\\Newtonsoft.Json.dll</HintPath>
    </Reference>
  </ItemGroup>
</Project>
"""

PACKAGES_CONFIG = """\
<?xml version="1.0" encoding="utf-8"?>
<packages>
  <package id="Newtonsoft.Json" version="13.0.3" targetFramework="net472" />
  <package id="NUnit" version="3.14.0" targetFramework="net472" developmentDependency="true" />
  <package version="1.0" />
</packages>
"""


def test_old_style_project_with_packages_config() -> None:
    project = parse_project(OLD_STYLE, "Legacy/Legacy.csproj")
    deps, runtimes = project_facts(project, Context())
    assert deps == []  # <Reference> to a DLL: the packages.config says which packages
    assert runtimes == [Runtime("dotnet", "v4.7.2", evidence="Legacy/Legacy.csproj")]
    deps, warnings = parse_packages_config(PACKAGES_CONFIG, "Legacy/packages.config")
    assert {(d.name, d.declared, d.resolved, d.scope) for d in deps} == {
        ("Newtonsoft.Json", "13.0.3", "13.0.3", "runtime"),
        ("NUnit", "3.14.0", "3.14.0", "dev"),
    }
    assert warnings == ["<package> without an id"]


@pytest.mark.parametrize(
    ("xml", "scope"),
    [
        ("<PropertyGroup><IsTestProject>true</IsTestProject></PropertyGroup>", "test"),
        ('<ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.9.0" /></ItemGroup>', "test"),
        ("<PropertyGroup><IsTestProject>false</IsTestProject></PropertyGroup>", "runtime"),
    ],
)
def test_every_reference_of_a_test_project_is_test_scope(xml: str, scope: str) -> None:
    text = f'<Project><ItemGroup><PackageReference Include="xunit" Version="2.6.6" /></ItemGroup>{xml}</Project>'
    deps, _ = project_facts(parse_project(text, "t.csproj"), Context())
    assert {d.scope for d in deps if d.name == "xunit"} == {scope}


def test_multi_targeting_gives_one_runtime_per_framework() -> None:
    text = "<Project><PropertyGroup><TargetFrameworks>net8.0; net6.0 ;netstandard2.0</TargetFrameworks></PropertyGroup></Project>"
    _, runtimes = project_facts(parse_project(text, "Lib.csproj"), Context())
    assert [r.version for r in runtimes] == ["net8.0", "net6.0", "netstandard2.0"]


@pytest.mark.parametrize(
    ("value", "properties", "expected"),
    [
        ("$(A)", {"a": "1.0"}, "1.0"),
        ("$(A).$(b)", {"a": "1", "b": "2"}, "1.2"),
        ("$(A)", {"a": "$(B)", "b": "3"}, "3"),
        ("$(Missing)", {}, "$(Missing)"),
        ("$(A)", {"a": "$(A)"}, "$(A)"),  # a cycle stops
    ],
)
def test_property_substitution(value: str, properties: dict[str, str], expected: str) -> None:
    assert substitute(value, properties) == expected


SOLUTION = {
    "global.json": '{\n  // pinned for CI\n  "sdk": { "version": "8.0.101", "rollForward": "latestFeature" }\n}\n',
    "Directory.Build.props": """\
<Project>
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <SerilogVersion>3.1.1</SerilogVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.CodeAnalysis.NetAnalyzers" Version="8.0.0" PrivateAssets="all" />
    <PackageReference Update="Newtonsoft.Json" Version="13.0.1" />
  </ItemGroup>
</Project>
""",
    "Directory.Packages.props": """\
<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Dapper" Version="2.1.28" />
    <PackageVersion Include="serilog" Version="$(SerilogVersion)" />
    <PackageVersion Include="xunit" Version="2.6.6" />
    <PackageVersion Include="Newtonsoft.Json" Version="12.0.0" />
    <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6.133" />
  </ItemGroup>
</Project>
""",
    "src/App/App.csproj": """\
<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Dapper" />
    <PackageReference Include="Serilog" />
    <PackageReference Include="Newtonsoft.Json" />
    <PackageReference Include="Unlisted" />
  </ItemGroup>
</Project>
""",
    "src/App/packages.lock.json": json.dumps(
        {
            "version": 1,
            "dependencies": {
                "net8.0": {
                    "Dapper": {"type": "Direct", "requested": "[2.1.28, )", "resolved": "2.1.28"},
                    "Serilog": {"type": "Direct", "requested": "[3.1.1, )", "resolved": "3.1.1"},
                    "System.Memory": {"type": "Transitive", "resolved": "4.5.5"},
                }
            },
        }
    ),
    "tests/App.Tests/App.Tests.fsproj": """\
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net6.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="xunit" VersionOverride="2.7.0" />
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.9.0" />
  </ItemGroup>
</Project>
""",
    "packages/Dapper.2.1.28/content/Sample.csproj": "<Project><ItemGroup><PackageReference Include='X' Version='1'/></ItemGroup></Project>",
}


def test_solution_with_central_versions_build_props_lock_and_global_json(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, SOLUTION)
    assert deps_of(facts) == {
        ("Microsoft.CodeAnalysis.NetAnalyzers", "8.0.0", None, "build", "Directory.Build.props"),
        ("Nerdbank.GitVersioning", "3.6.133", None, "build", "Directory.Packages.props"),
        ("Dapper", "2.1.28", "2.1.28", "runtime", "src/App/App.csproj"),
        ("Serilog", "3.1.1", "3.1.1", "runtime", "src/App/App.csproj"),  # via a build property, any case
        ("Newtonsoft.Json", "13.0.1", None, "runtime", "src/App/App.csproj"),  # Update= before central
        ("Unlisted", None, None, "runtime", "src/App/App.csproj"),
        ("xunit", "2.7.0", None, "test", "tests/App.Tests/App.Tests.fsproj"),  # VersionOverride
        ("Microsoft.NET.Test.Sdk", "17.9.0", None, "test", "tests/App.Tests/App.Tests.fsproj"),
    }  # packages/Dapper.2.1.28/: an installed NuGet package, not ours
    assert set(facts.runtimes) == {
        Runtime("dotnet", "8.0.101", "global.json"),
        Runtime("dotnet", "net8.0", "Directory.Build.props"),
        Runtime("dotnet", "net6.0", "tests/App.Tests/App.Tests.fsproj"),
    }
    assert facts.warnings == []


def test_nearest_packages_props_wins(tmp_path: Path) -> None:
    props = '<Project><ItemGroup><PackageVersion Include="Dapper" Version="{}" /></ItemGroup></Project>'
    facts = detect_in(
        tmp_path,
        {
            "Directory.Packages.props": props.format("1.0.0"),
            "legacy/Directory.Packages.props": props.format("0.9.0"),
            "legacy/Old/Old.csproj": '<Project><ItemGroup><PackageReference Include="Dapper" /></ItemGroup></Project>',
            "New/New.csproj": '<Project><ItemGroup><PackageReference Include="Dapper" /></ItemGroup></Project>',
        },
    )
    assert {(d.manifest, d.declared) for d in facts.dependencies} == {
        ("legacy/Old/Old.csproj", "0.9.0"),
        ("New/New.csproj", "1.0.0"),
    }


@pytest.mark.parametrize(
    ("text", "runtime"),
    [
        ('{"sdk": {"version": "8.0.100"}}', "8.0.100"),
        ('/* c */ {"sdk": {"version": " 7.0.400 ", "note": "// not a comment"}}', "7.0.400"),
        ('{"msbuild-sdks": {"Microsoft.Build.Traversal": "4.1.0"}}', None),
    ],
)
def test_global_json(text: str, runtime: str | None) -> None:
    found = parse_global_json(text, "global.json")
    assert found == (Runtime("dotnet", runtime, evidence="global.json") if runtime else None)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    "<Project>&lol2;</Project>"
)


@pytest.mark.parametrize(
    ("files", "path", "problem"),
    [
        ({"A.csproj": "<Project><ItemGroup></Project>"}, "A.csproj", "not valid XML"),
        ({"A.csproj": "<packages />"}, "A.csproj", "expected a <Project> root element, found <packages>"),
        ({"A.csproj": BILLION_LAUGHS}, "A.csproj", "forbidden XML construct"),
        ({"A.csproj": b"\x00\x01MZ binary"}, "A.csproj", "not readable as text"),
        ({"A.csproj": "<Project><ItemGroup><PackageReference Version='1'/></ItemGroup></Project>"}, "A.csproj",
         "<PackageReference> without Include or Update"),
        ({"Directory.Packages.props": "<Project><ItemGroup><PackageVersion Include='X'/></ItemGroup></Project>"},
         "Directory.Packages.props", "PackageVersion X: no Version"),
        ({"packages.config": "<Project/>"}, "packages.config", "expected a <packages> root element"),
        ({"global.json": "{'sdk': 1}"}, "global.json", "not valid JSON"),
        ({"global.json": '{"sdk": {"version": 8}}'}, "global.json", "sdk.version: expected a version string"),
        ({"X/X.csproj": "<Project/>", "X/packages.lock.json": "[]"}, "X/packages.lock.json", "not a NuGet"),
    ],
)  # fmt: skip
def test_broken_files_are_warnings(tmp_path: Path, files: dict[str, str | bytes], path: str, problem: str) -> None:
    facts = detect_in(tmp_path, {**files, "Ok/Ok.csproj": WEB_API})
    assert {d.manifest for d in facts.dependencies} == {"Ok/Ok.csproj"}
    assert [w.path for w in facts.warnings] == [path]
    assert problem in facts.warnings[0].message


def test_choose_branches_give_references_and_frameworks_but_no_properties() -> None:
    text = """<Project>
  <PropertyGroup><V>1.0</V></PropertyGroup>
  <Choose>
    <When Condition="'$(TargetFramework)' == 'net472'">
      <PropertyGroup><TargetFramework>net472</TargetFramework><V>0.9</V></PropertyGroup>
      <ItemGroup><PackageReference Include="System.Memory" Version="$(V)" /></ItemGroup>
    </When>
    <Otherwise>
      <ItemGroup><PackageReference Include="Other" Version="2.0" /><PackageReference Remove="Old" /></ItemGroup>
    </Otherwise>
  </Choose>
  <Target Name="Pack"><ItemGroup><PackageReference Include="NotThis" Version="1" /></ItemGroup></Target>
</Project>"""
    project = parse_project(text, "p.csproj")
    deps, runtimes = project_facts(project, Context())
    assert {(d.name, d.declared) for d in deps} == {("System.Memory", "1.0"), ("Other", "2.0")}
    assert runtimes == [Runtime("dotnet", "net472", evidence="p.csproj")]
    assert project.warnings == []


def test_choose_nested_absurdly_deep_is_a_parse_error() -> None:
    text = "<Project>" + "<Choose><When>" * 1000 + "</When></Choose>" * 1000 + "</Project>"
    with pytest.raises(ParseError, match="nested over"):
        parse_project(text, "p.csproj")


def test_deeply_nested_xml_is_read_without_a_crash(tmp_path: Path) -> None:
    deep = "<Project><ItemGroup>" + "<a>" * 100_000 + "</a>" * 100_000 + "</ItemGroup></Project>"
    facts = detect_in(tmp_path, {"A.csproj": deep, "Ok/Ok.csproj": WEB_API})
    assert {d.manifest for d in facts.dependencies} == {"Ok/Ok.csproj"}
    assert facts.warnings == []


def test_utf16_project_with_bom_is_read(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="utf-16"?>\n' + WEB_API
    facts = detect_in(tmp_path, {"Api.csproj": text.encode("utf-16")})
    assert ("Swashbuckle.AspNetCore", "6.5.0") in {(d.name, d.declared) for d in facts.dependencies}


def test_lock_resolves_only_when_every_framework_agrees() -> None:
    lock = parse_packages_lock(
        json.dumps(
            {
                "dependencies": {
                    "net8.0": {
                        "A": {"type": "Direct", "resolved": "1.0.0"},
                        "B": {"type": "Direct", "resolved": "2.0"},
                    },
                    "net6.0": {
                        "A": {"type": "Direct", "resolved": "1.0.0"},
                        "B": {"type": "Direct", "resolved": "1.9"},
                    },
                }
            }
        )
    )
    assert lock == {"a": "1.0.0"}


_XML_BITS = st.sampled_from(
    ["<Project>", "</Project>", "<ItemGroup>", "</ItemGroup>", "<PropertyGroup>", "</PropertyGroup>",
     '<PackageReference Include="A" Version="1" />', '<PackageReference Update="A" Version="2"/>',
     '<PackageVersion Include="B" Version="$(V)"/>', "<TargetFramework>net8.0</TargetFramework>", "<V>3</V>",
     "<Version>", "</Version>", "<Choose>", "<When>", "</When>", "</Choose>", "text", "<", ">", '"', "$(V)", ";"]
)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_XML_BITS, max_size=30).map("".join), st.text(max_size=200)))
def test_any_text_as_msbuild_files_raises_only_parse_error(text: str) -> None:
    for parse in (
        lambda t: project_facts(parse_project(t, "p.csproj"), Context()),
        lambda t: parse_packages_config(t, "packages.config"),
        lambda t: parse_global_json(t, "global.json"),
        parse_packages_lock,
    ):
        with contextlib.suppress(ParseError):
            parse(text)
