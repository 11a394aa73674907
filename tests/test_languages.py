"""The languages detector over real git repositories, and the path exclusion tables it uses."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.detectors import languages, linguist_heuristics, vendored
from collectors.repo_view import MAX_READ_BYTES, RepoMeta, RepoView
from tests.gitrepo import detect_with

detect_in = partial(detect_with, languages.detect)


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
            "bin/run": "x" * 1000,  # no extension and no shebang: no language
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


def test_wants_gitattributes_and_the_shared_extensions_it_reads() -> None:
    assert languages.WANTS[0] == ".gitattributes"
    assert {"*.h", "*.m", "*.pl", "*.ts", "*.pp", "*.sql", "*.inc", "*.cls"} <= set(languages.WANTS)
    assert "*.py" not in languages.WANTS


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


# --- content: shared extensions ------------------------------------------------------------------

OBJC_HEADER = """#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

@interface GBUser : NSObject
@property (nonatomic, copy) NSString *name;
- (instancetype)initWithName:(NSString *)name;
@end

NS_ASSUME_NONNULL_END
"""
CPP_HEADER = """#pragma once
#include <string>
#include <vector>

namespace guild {

template <typename T>
class Registry {
 public:
  void add(const T& item) { items_.push_back(item); }

 private:
  std::vector<T> items_;
};

}  // namespace guild
"""
C_HEADER = """#ifndef LIST_H
#define LIST_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct list { struct list *next; void *value; };
size_t list_length(const struct list *head);

#ifdef __cplusplus
}
#endif
#endif
"""
OBJC_M = """#import "GBUser.h"

@implementation GBUser
- (instancetype)initWithName:(NSString *)name {
    if ((self = [super init])) { _name = [name copy]; }
    return self;
}
@end
"""
MATLAB_M = """function result = moving_average(x, n)
% MOVING_AVERAGE  Average of the last n samples.
    result = zeros(size(x));
    for k = n:numel(x)
        result(k) = mean(x(k-n+1:k));
    end
end
"""
PERL_PL = """use strict;
use warnings;

my %count;
while (my $line = <STDIN>) { $count{$_}++ for split /\\s+/, $line; }
print "$_: $count{$_}\\n" for sort keys %count;
"""
PROLOG_PL = """:- module(family, [grandparent/2]).

parent(tom, bob).
parent(bob, ann).

grandparent(X, Z) :- parent(X, Y), parent(Y, Z).
"""
QT_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>MainWindow</name>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
</TS>
"""
TYPESCRIPT_TS = """import { Injectable } from "@angular/core";

export interface User { id: number; name: string }

@Injectable({ providedIn: "root" })
export class UserService {
  private users: User[] = [];
  add(user: User): void { this.users.push(user); }
}
"""
PUPPET_PP = """class nginx (
  String $version = 'latest',
) {
  package { 'nginx':
    ensure => $version,
  }
  service { 'nginx':
    ensure  => running,
    require => Package['nginx'],
  }
}
"""
PASCAL_PP = """program Hello;
uses SysUtils;
var
  name: string;
begin
  name := 'guild';
  WriteLn('Hello, ', name);
end.
"""
PLAIN_SQL = """CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO users VALUES (1, 'ann');
"""
PLPGSQL = """CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TSQL = """CREATE PROCEDURE dbo.GetUsers AS
BEGIN
  SET NOCOUNT ON;
  SELECT * FROM [dbo].[Users];
END
GO
"""
PHP_INC = "<?php\n$config = ['db' => 'main'];\n"
CPP_INC = "#define MAX_ITEMS 64\nstatic const int table[] = {1, 2, 3};\n"
PASCAL_INC = "{$mode objfpc}\nconst Answer = 42;\n"
APEX_CLS = """public with sharing class AccountService {
    public static List<Account> recent() {
        return [SELECT Id, Name FROM Account ORDER BY CreatedDate DESC LIMIT 10];
    }
}
"""
TEX_CLS = "\\NeedsTeXFormat{LaTeX2e}\n\\ProvidesClass{guild}[2024/01/01]\n\\LoadClass{article}\n"
VBA_CLS = """VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
END
Attribute VB_Name = "Report"
Option Explicit
"""
VB6_CLS = """VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
  Persistable = 0  'NotPersistable
  DataBindingBehavior = 0  'vbNone
END
Attribute VB_Name = "Customer"
"""


@pytest.mark.parametrize(
    ("path", "text", "language", "counted"),
    [
        ("include/GBUser.h", OBJC_HEADER, "Objective-C", True),
        ("include/registry.h", CPP_HEADER, "C++", True),
        ("include/list.h", C_HEADER, "C", True),  # `extern "C"` for C++ callers is still C
        ("Sources/GBUser.m", OBJC_M, "Objective-C", True),
        ("matlab/moving_average.m", MATLAB_M, "MATLAB", True),
        ("scripts/count.pl", PERL_PL, "Perl", True),
        ("rules/family.pl", PROLOG_PL, "Prolog", True),
        ("scripts/raku.pl", "use v6;\nsay 'hello';\n", "Raku", True),
        ("i18n/app_de.ts", QT_TS, "XML", False),  # a Qt translation is XML: data, not on the bar
        ("src/user.service.ts", TYPESCRIPT_TS, "TypeScript", True),
        ("manifests/nginx.pp", PUPPET_PP, "Puppet", True),
        ("src/hello.pp", PASCAL_PP, "Pascal", True),
        ("db/schema.sql", PLAIN_SQL, "SQL", False),
        ("db/triggers.sql", PLPGSQL, "PLpgSQL", True),
        ("db/procs.sql", TSQL, "TSQL", True),
        ("config/db.inc", PHP_INC, "PHP", True),
        ("src/limits.inc", CPP_INC, "C++", True),
        ("src/consts.inc", PASCAL_INC, "Pascal", True),
        ("force-app/AccountService.cls", APEX_CLS, "Apex", True),
        ("tex/guild.cls", TEX_CLS, "TeX", True),
        ("vba/Report.cls", VBA_CLS, "VBA", True),
        ("vb6/Customer.cls", VB6_CLS, "Visual Basic 6.0", True),
        # Content that says nothing keeps the name's choice (PREFERRED)
        ("lib/blank.m", "x = 1;\n", "Objective-C", True),
        ("lib/blank.pl", "print 1;\n", "Perl", True),
        # A shebang settles a shared extension before the heuristics
        ("tools/run.pl", "#!/usr/bin/env swipl\nmain :- write(hi).\n", "Prolog", True),
    ],
)
def test_content_settles_a_shared_extension(tmp_path: Path, path: str, text: str, language: str, counted: bool) -> None:
    facts = detect_in(tmp_path, {path: text})
    bucket, empty = (facts.languages, facts.other_languages) if counted else (facts.other_languages, facts.languages)
    assert bucket == {language: len(text.encode())}
    assert empty == {}
    assert facts.warnings == []


@pytest.mark.parametrize(
    ("extension", "text", "language"),
    [
        (".h", "@protocol GBDelegate <NSObject>\n@end\n", "Objective-C"),
        (".h", "class Widget;\n", "C++"),
        (".h", "auto p = std::make_unique<int>(1);\n", "C++"),
        (".h", "#if __cplusplus >= 201703L\n#endif\n", "C++"),
        (".h", '#ifdef __cplusplus\nextern "C" {\n#endif\n', "C"),
        (".h", "typedef struct { int x; } point;\n", "C"),
        (".m", "% only a comment\n", "MATLAB"),
        (".m", "x = linspace(0, 1, 10);\n", "MATLAB"),
        (".m", "@import UIKit;\n", "Objective-C"),
        (".m", "y = 2;\n", None),
        (".pl", "package Guild::Report;\nsub new { bless {}, shift }\n1;\n", "Perl"),
        (".pl", "likes(mary, wine).\nhappy(X) :- likes(X, wine).\n", "Prolog"),
        (".pl", "my $s = $x ? 1 :-1;\n", "Perl"),  # ":-" in Perl code is not Prolog
        (".ts", '<TS version="2.1"></TS>\n', "XML"),
        (".ts", 'const tag = "<TS>";\n', "TypeScript"),  # <TS in a string is not a Qt file
        (".pp", "node 'web01' {\n  include nginx\n}\n", "Puppet"),
        (".pp", "UNIT Geometry;\nINTERFACE\nIMPLEMENTATION\nEND.\n", "Pascal"),
        (".sql", "SELECT * FROM emp CONNECT BY PRIOR id = manager_id;\n", "PLSQL"),
        (".sql", "DECLARE @n int = 1;\n", "TSQL"),
        (".sql", "SELECT 1 FROM SYSCAT.TABLES;\n", "SQLPL"),
        (".sql", "BEGIN;\nALTER TABLE a ADD COLUMN b int;\nCOMMIT;\n", "PLpgSQL"),  # as Linguist reads it
        (".inc", "#declare Radius = 2;\n", "POV-Ray SDL"),
        (".inc", "inherit autotools pkgconfig\n", "BitBake"),
        (".inc", "    mov eax, 1\n", "Assembly"),
        (".inc", "just words\n", None),
        (".cls", "Class Guild.Member Extends %Persistent\n{\n}\n", "ObjectScript"),
        (".cls", "CLASS Guild.Member INHERITS Base:\nEND CLASS.\n", "OpenEdge ABL"),
    ],
)
def test_heuristic_rows(extension: str, text: str, language: str | None) -> None:
    assert linguist_heuristics.disambiguate(extension, text) == language


def test_a_binary_file_with_a_shared_extension_has_no_language(tmp_path: Path) -> None:
    video = b"\x47\x40\x00\x10\x00" * 400  # an MPEG transport stream, also ".ts"
    facts = detect_in(tmp_path, {"media/clip.ts": video, "src/a.ts": "let a = 1;\n"})
    assert facts.languages == {"TypeScript": 11}
    assert facts.warnings == []


def test_empty_files_have_no_language(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"pkg/__init__.py": "", "src/empty.h": "", "a.go": "package a\n"})
    assert facts.languages == {"Go": 10}


# --- content: shebangs and file names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "language"),
    [
        ("bin/manage", "#!/usr/bin/env python3\nimport sys\n", "Python"),
        ("bin/deploy", "#!/bin/bash\nset -euo pipefail\n", "Shell"),
        ("bin/serve", "#!/usr/bin/env -S node --no-warnings\nconsole.log(1)\n", "JavaScript"),
        ("bin/tool", "#!/usr/bin/env -S deno run --allow-net\nconsole.log(1)\n", "JavaScript"),
        ("bin/check", "#!/usr/bin/env ts-node\nconst a: number = 1;\n", "TypeScript"),
        ("bin/rails", "#!/usr/bin/env ruby\nrequire_relative '../config/boot'\n", "Ruby"),
        ("bin/report", "#! /usr/bin/perl -w\nprint 1;\n", "Perl"),
        ("bin/py311", "#!/usr/bin/env python3.11\nprint(1)\n", "Python"),
        ("bin/envvars", "#!/usr/bin/env -i PATH=/usr/bin bash\necho\n", "Shell"),
        ("bin/tclwrap", '#!/bin/sh\n# the next line restarts using tclsh \\\nexec tclsh "$0" "$@"\n', "Tcl"),
        ("bin/unknown", "#!/usr/bin/env frobnicate\n", None),
        ("bin/noshebang", "python3 -m guild\n", None),
    ],
)
def test_a_file_without_extension_is_named_by_its_shebang(
    tmp_path: Path, path: str, text: str, language: str | None
) -> None:
    facts = detect_in(tmp_path, {path: text})
    assert facts.languages == ({language: len(text)} if language else {})


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("Dockerfile", "Dockerfile"),
        ("services/api/Dockerfile", "Dockerfile"),
        ("Dockerfile.prod", "Dockerfile"),
        ("deploy/Dockerfile.dev", "Dockerfile"),
        ("Containerfile.ci", "Dockerfile"),
        ("deploy/api.dockerfile", "Dockerfile"),
        ("Dockerfile.j2", "Jinja"),  # a known extension wins: a template of a Dockerfile
        ("Makefile", "Makefile"),
        ("GNUmakefile", "Makefile"),
        ("ci/Jenkinsfile", "Groovy"),  # the top-level Jenkinsfile is vendored, as in Linguist
        ("Gemfile", "Ruby"),
        ("Rakefile", "Ruby"),
        ("CMakeLists.txt", "CMake"),
    ],
)
def test_well_known_file_names_are_counted(tmp_path: Path, path: str, language: str) -> None:
    facts = detect_in(tmp_path, {path: "x\n"})
    assert facts.languages == {language: 2}


# --- generated, by content -----------------------------------------------------------------------

PAD_PY = "value = 1\n" * 500  # over GENERATED_MIN_BYTES: files this size are checked
PAD_GO = "var x = 1\n" * 500
PAD_JAVA = "class A {}\n" * 500


@pytest.mark.parametrize(
    ("path", "text", "counted"),
    [
        ("api/user.go", "// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage api\n" + PAD_GO, False),
        ("mocks/store.go", "// Code generated by mockery v2.40.1. DO NOT EDIT.\n\npackage mocks\n" + PAD_GO, False),
        ("api/messages.py", "# Generated by the protocol buffer compiler.  DO NOT EDIT!\n" + PAD_PY, False),
        ("api/svc.py", "#\n# Autogenerated by Thrift Compiler (0.19.0)\n#\n" + PAD_PY, False),
        ("web/Query.graphql.js", "/**\n * @generated SignedSource<<0a1b>>\n */\n" + "var a = 1;\n" * 500, False),
        ("db/Tables.java", "/*\n * This file is generated by jOOQ.\n */\npackage db;\n" + PAD_JAVA, False),
        ("Props/Resources.cs", "//------\n// <auto-generated>\n//------\n" + "class A {}\n" * 500, False),
        ("ext/fast.c", "/* Generated by Cython 3.0.0 */\n" + "int a = 1;\n" * 500, False),
        ("lib/client.py", '"""\nThis file was automatically generated by openapi-generator.\n"""\n' + PAD_PY, False),
        ("static/bundle.js", "!function(e){" + "var a=1;" * 1000 + "}();\n", False),  # minified
        ("static/site.css", ".a{color:red}" * 500 + "\n", False),  # minified
        # Near misses: the repository's own code
        ("gen/tool.py", 'HEADER = "// Code generated by tool. DO NOT EDIT."\n' + PAD_PY, True),
        ("app/models.py", "# The id is auto-generated by the database.\n" + PAD_PY, True),
        ("app/migrations/0001_initial.py", "# Generated by Django 4.2 on 2024-01-01 10:00\n" + PAD_PY, True),
        ("app/deco.py", "@generated\ndef f():\n    pass\n" + PAD_PY, True),
        ("late/header.py", PAD_PY[:500] + "# Code generated by x. DO NOT EDIT.\n" + PAD_PY, True),
        ("small/gen.go", "// Code generated by stringer. DO NOT EDIT.\npackage small\n", True),  # too small to read
        ("static/app.js", "var a = 1;\n" * 600, True),
    ],
)
def test_generated_header_leaves_a_file_out(tmp_path: Path, path: str, text: str, counted: bool) -> None:
    facts = detect_in(tmp_path, {path: text, "main.rs": "fn main() {}\n"})
    own = {k: v for k, v in facts.languages.items() if k != "Rust"}
    assert bool(own) is counted, own
    assert facts.languages["Rust"] == 13


def test_a_long_line_at_the_start_of_a_hand_written_script_is_not_minified(tmp_path: Path) -> None:
    # The first 4 KiB average over 110 characters a line, the whole file does not: read it all.
    script = "var ranges = /" + "[a-z]" * 760 + "/;\n" + "function count(text) {\n  return 1;\n}\n" * 300
    bundle = ("!function(e){var t=1;" * 40 + "}();\n") * 40
    facts = detect_in(tmp_path, {"plugins/wordcount/plugin.js": script, "static/vendor.js": bundle})
    assert facts.languages == {"JavaScript": len(script)}


def test_only_js_and_css_are_judged_minified_as_in_linguist(tmp_path: Path) -> None:
    module = "export const a=1;" * 400 + "\n"
    assert detect_in(tmp_path, {"dist2/app.mjs": module}).languages == {"JavaScript": len(module)}


def test_header_check_reads_the_largest_candidates_of_a_repository_only(tmp_path: Path) -> None:
    header = "# Code generated by openapi-generator. DO NOT EDIT.\n"
    budget = languages.GENERATED_CHECK_LARGEST
    files = {f"client/m{i:02}.py": header + "x = 1\n" * (700 + i) for i in range(budget + 1)}
    files["huge/schema.py"] = header + "x = 1\n" * (languages.GENERATED_CHECK_MAX_BYTES // 6 + 1)
    facts = detect_in(tmp_path, files)
    # Not read: the smallest candidate past the budget, and one over the size a header is read at
    assert facts.languages == {"Python": len(files["client/m00.py"]) + len(files["huge/schema.py"])}


def test_generated_check_uses_the_text_a_shared_extension_read_anyway(tmp_path: Path) -> None:
    header = "// Generated by the gRPC C++ plugin.\n#include <grpcpp/grpcpp.h>\nnamespace api {}\n"
    facts = detect_in(tmp_path, {"api/svc.grpc.h": header, "main.c": "int main(void){return 0;}\n"})
    assert facts.languages == {"C": 26}  # the small generated header is left out all the same


@pytest.mark.parametrize(
    ("path", "head", "why"),
    [
        ("a.go", "// Code generated by go-swagger; DO NOT EDIT.\n", "'Code generated ... DO NOT EDIT' header"),
        ("a.rs", "// @generated by prost-build\n", "@generated marker"),
        ("a.js", "// GENERATED CODE -- DO NOT EDIT!\n", "protocol buffers (JavaScript)"),
        ("a.h", "/* DO NOT EDIT THIS FILE - it is machine generated */\n#include <jni.h>\n", "JNI header"),
        ("a.dart", "// GENERATED CODE - DO NOT MODIFY BY HAND\n", "Dart generator"),
        ("a.ts", "/* eslint-disable */\n// This file is auto-generated by graphql-codegen\n", "says it is generated"),
        ("a.rb", "#\n# DO NOT EDIT. This file is generated from schema.yml\n#\n", "generated, do not edit"),
        ("a.kt", "/* Auto-generated. */\n", "says it is generated"),
        ("a.min.js", "x" * 5000, "minified"),
        (
            "a.go",
            "// Copyright 2024 Guild\n//\n"
            + "// Licensed under the Apache License.\n" * 14
            + "\n// Code generated by controller-gen. DO NOT EDIT.\n\npackage v1\n",
            "'Code generated ... DO NOT EDIT' header",
        ),
        (
            "a.php",
            "<?php\n// Code generated by protoc-gen-php. DO NOT EDIT.\n",
            "'Code generated ... DO NOT EDIT' header",
        ),
        ("a.js", '"use strict";\n// @generated by protobuf-ts\n', "@generated marker"),
        ("a.py", '"""Models.\n\nThis file was generated by datamodel-codegen.\n"""\n', "says it is generated"),
        # A marker after the first line of code is quoted, not a header: a test's fixture
        (
            "test_locks.py",
            'import pytest\n\nYARN = """\\\n# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE.\n"""\n',
            None,
        ),
        ("a.go", "package v1\n\n// Code generated by hand. DO NOT EDIT.\n", None),
        ("a.py", "x = 1\n", None),
        ("a.py", "# A generator for reports.\nprint('do not edit')\n", None),
        ("a.css", "a { color: red; }\n" * 10, None),
        ("a.json", "x" * 5000, None),  # only scripts and stylesheets are minified
    ],
)
def test_generated_marker_rows(path: str, head: str, why: str | None) -> None:
    assert vendored.generated_by_content(path, head) == why


@settings(max_examples=300)
@given(text=st.text(), name=st.sampled_from(["a.js", "a.py", "a.css", "a", "a.go"]))
def test_generated_check_never_raises(text: str, name: str) -> None:
    found = vendored.generated_by_content(name, text)
    assert found is None or found in {why for _, _, why in vendored.GENERATED_MARKERS} | {"minified"}


@settings(max_examples=300)
@given(text=st.text(), extension=st.sampled_from(sorted(linguist_heuristics.HEURISTICS)))
def test_heuristics_and_shebangs_never_raise_on_random_text(text: str, extension: str) -> None:
    found = linguist_heuristics.disambiguate(extension, text)
    assert found is None or found in languages.table().extension_candidates[extension]
    program = linguist_heuristics.interpreter("#!" + text)
    assert program is None or (program and "/" not in program)


_N = linguist_heuristics.READ_LIMIT
_ADVERSARIAL = {
    "blank lines": "\n" * _N,
    "spaces": " " * _N,
    "tabs then junk": "end" + "\t" * _N + "x",
    "spaces then junk": "end ;" + " " * _N + "x",
    "one long word": "a" * _N,
    "open parens": "a(" + "(" * _N,
    "keywords and spaces": "CLASS a INHERITS b" + " , b" * (_N // 4),
    "repeated keyword lines": "program\n" * (_N // 8),
    "hashes": "#" * _N,
    "percent": "%" * _N,
    "colons": ":" * _N,
}


@pytest.mark.timeout(60)  # a hang guard, not a speed measure: benchmarks/ measure speed
@pytest.mark.parametrize("extension", sorted(linguist_heuristics.HEURISTICS))
def test_heuristics_do_not_hang_on_hostile_content(extension: str) -> None:
    # A pattern such as `^\s*x` backtracks quadratically over a file of blank lines: minutes for
    # a set of 50 KiB files. Every rule over every hostile text must finish and name a language or none.
    for text in _ADVERSARIAL.values():
        found = linguist_heuristics.disambiguate(extension, text)
        assert found is None or isinstance(found, str)


@pytest.mark.timeout(60)  # a hang guard, not a speed measure
def test_generated_check_does_not_hang_on_hostile_headers() -> None:
    heads = [
        " " * 4000 + '"generated, do not edit',
        "#" + " " * 4000 + "=generated, do not edit",
        "// " + "generated " * 400,
        ("generated do not edit " * 200 + "\n") * 40,
    ]
    for head in heads:
        why = vendored.generated_by_content("a.py", head[: vendored.GENERATED_READ_BYTES])
        assert why is None or isinstance(why, str)


# --- a source that cannot read -------------------------------------------------------------------


class _UnreadableSource(RepoView):
    """A source whose listing works and whose every read fails, as a flaky remote one might."""

    def __init__(self, files: dict[str, int]) -> None:
        super().__init__(RepoMeta(name="flaky"))
        self._sizes = files

    def _list(self) -> dict[str, int]:
        return dict(self._sizes)

    def _read(self, path: str, limit: int) -> bytes:
        raise OSError("connection reset")


def test_a_failed_read_falls_back_to_the_name_with_a_warning() -> None:
    facts = languages.detect(_UnreadableSource({"include/list.h": 100, "big.py": 9000, "bin/run": 50}))
    assert facts.languages == {"Python": 9000, "C": 100}
    assert sorted(w.path for w in facts.warnings) == ["big.py", "bin/run", "include/list.h"]
    assert all("connection reset" in w.message for w in facts.warnings)
