"""The hygiene detector: every key always reported, files where their tools look, licences by text."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.detectors import hygiene
from collectors.detectors.hygiene import (
    KEYS,
    TABLE_PATH,
    TEST_SIGNS,
    detect_license,
    find_file,
    recognise_tests,
    words,
)
from collectors.facts import HygieneItem
from tests.gitrepo import detect_with

detect_in = partial(detect_with, hygiene.detect)


# --- licence texts, their opening paragraphs as published -----------------------------------------

MIT = """MIT License

Copyright (c) 2024 Acme Corp.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
"""

APACHE = """
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.

      "License" shall mean the terms and conditions for use, reproduction,
      and distribution as defined by Sections 1 through 9 of this document.
"""

BSD_CLAUSES = """Copyright (c) 2024, Acme Corp.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.
"""
BSD_THIRD = """
3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
"""
BSD_DISCLAIMER = """
THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED.
"""
BSD2 = "BSD 2-Clause License\n\n" + BSD_CLAUSES + BSD_DISCLAIMER
BSD3 = "BSD 3-Clause License\n\n" + BSD_CLAUSES + BSD_THIRD + BSD_DISCLAIMER

GPL2 = """                    GNU GENERAL PUBLIC LICENSE
                       Version 2, June 1991

 Copyright (C) 1989, 1991 Free Software Foundation, Inc.,
 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA
 Everyone is permitted to copy and distribute verbatim copies
 of this license document, but changing it is not allowed.

                            Preamble

  The licenses for most software are designed to take away your
freedom to share and change it.  By contrast, the GNU General Public
License is intended to guarantee your freedom to share and change free
software--to make sure the software is free for all its users.  This
General Public License applies to most of the Free Software
Foundation's software and to any other program whose authors commit to
using it.  (Some other Free Software Foundation software is covered by
the GNU Lesser General Public License instead.)  You can apply it to
your programs, too.
"""

GPL3 = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
 Everyone is permitted to copy and distribute verbatim copies
 of this license document, but changing it is not allowed.

                            Preamble

  The GNU General Public License is a free, copyleft license for
software and other kinds of works.

  13. Use with the GNU Affero General Public License.

  Notwithstanding any other provision of this License, you have
permission to link or combine any covered work with a work licensed
under version 3 of the GNU Affero General Public License into a single
combined work, and to convey the resulting work.
"""

LGPL21 = """                  GNU LESSER GENERAL PUBLIC LICENSE
                       Version 2.1, February 1999

 Copyright (C) 1991, 1999 Free Software Foundation, Inc.
 51 Franklin Street, Fifth Floor, Boston, MA  02110-1301  USA
 Everyone is permitted to copy and distribute verbatim copies
 of this license document, but changing it is not allowed.

[This is the first released version of the Lesser GPL.  It also counts
 as the successor of the GNU Library Public License, version 2, hence
 the version number 2.1.]
"""

LGPL3 = """                   GNU LESSER GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
 Everyone is permitted to copy and distribute verbatim copies
 of this license document, but changing it is not allowed.


  This version of the GNU Lesser General Public License incorporates
the terms and conditions of version 3 of the GNU General Public
License, supplemented by the additional permissions listed below.
"""

AGPL3 = """                    GNU AFFERO GENERAL PUBLIC LICENSE
                       Version 3, 19 November 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
 Everyone is permitted to copy and distribute verbatim copies
 of this license document, but changing it is not allowed.

                            Preamble

  The GNU Affero General Public License is a free, copyleft license for
software and other kinds of works, specifically designed to ensure
cooperation with the community in the case of network server software.
"""

MPL2 = """Mozilla Public License Version 2.0
==================================

1. Definitions
--------------

1.1. "Contributor"
    means each individual or legal entity that creates, contributes to
    the creation of, or owns Covered Software.

1.5. "Incompatible With Secondary Licenses"
    means the GNU General Public License, Version 2.0, the GNU Lesser
    General Public License, Version 2.1, the GNU Affero General Public
    License, Version 3.0, or any later versions of those licenses.
"""

ISC = """ISC License

Copyright (c) 2024, Acme Corp.

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS.
"""

UNLICENSE = """This is free and unencumbered software released into the public domain.

Anyone is free to copy, modify, publish, use, compile, sell, or
distribute this software, either in source code form or as a compiled
binary, for any purpose, commercial or non-commercial, and by any
means.
"""

EPL2 = """Eclipse Public License - v 2.0

    THE ACCOMPANYING PROGRAM IS PROVIDED UNDER THE TERMS OF THIS ECLIPSE
    PUBLIC LICENSE ("AGREEMENT"). ANY USE, REPRODUCTION OR DISTRIBUTION
    OF THE PROGRAM CONSTITUTES RECIPIENT'S ACCEPTANCE OF THIS AGREEMENT.
"""

CC0 = """Creative Commons Legal Code

CC0 1.0 Universal

    CREATIVE COMMONS CORPORATION IS NOT A LAW FIRM AND DOES NOT PROVIDE
    LEGAL SERVICES. DISTRIBUTION OF THIS DOCUMENT DOES NOT CREATE AN
    ATTORNEY-CLIENT RELATIONSHIP.
"""

ZERO_BSD = """Copyright (C) 2024 by Acme Corp.

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
"""

BOOST = """Boost Software License - Version 1.0 - August 17th, 2003

Permission is hereby granted, free of charge, to any person or organization
obtaining a copy of the software and accompanying documentation covered by
this license (the "Software") to use, reproduce, display, distribute,
execute, and transmit the Software.
"""

PROPRIETARY = """Copyright (c) 2024 Acme Corp. All rights reserved.

This software is proprietary and confidential. Unauthorised copying, distribution or use
of this software, in whole or in part, is strictly prohibited.
"""


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (MIT, "MIT"),
        ("# MIT License\n\n" + MIT.replace("\n", " ").replace('"', "**"), "MIT"),  # Markdown, one line
        (APACHE, "Apache-2.0"),
        (
            'Copyright 2024 Acme\n\nLicensed under the Apache License, Version 2.0 (the "License");\n'
            "you may not use this file except in compliance with the License.\n",
            "Apache-2.0",
        ),
        (BSD2, "BSD-2-Clause"),
        (BSD3, "BSD-3-Clause"),
        (GPL2, "GPL-2.0"),
        (GPL3, "GPL-3.0"),  # mentions the Affero licence, and is not it
        (
            "This program is free software: you can redistribute it and/or modify\nit under the terms of the"
            " GNU General Public License as published by\nthe Free Software Foundation, either version 3 of"
            " the License, or\n(at your option) any later version.\n",
            "GPL-3.0",
        ),
        (
            "# Software License Agreement\n\nLicensed under the terms of [GNU General Public License Version 2"
            " or later](http://www.gnu.org/licenses/gpl.html).\n",
            "GPL-2.0",
        ),
        (LGPL21, "LGPL-2.1"),
        (LGPL3, "LGPL-3.0"),  # mentions the GPL, and is not it
        (AGPL3, "AGPL-3.0"),
        (MPL2, "MPL-2.0"),  # names three GNU licences as secondary ones
        (ISC, "ISC"),
        (UNLICENSE, "Unlicense"),
        (EPL2, "EPL-2.0"),
        (CC0, "CC0-1.0"),
        (ZERO_BSD, "0BSD"),
        (BOOST, "BSL-1.0"),  # "permission is hereby granted, free of charge" and still not MIT
        (PROPRIETARY, None),
        ("", None),
        ("See the LICENSE file of the parent project.", None),
        (
            MIT + "\nExcept as contained in this notice, the name of the X Consortium shall not be used\n",
            None,  # X11, not MIT
        ),
        (
            BSD3.replace(
                "3. Neither", "3. All advertising materials mentioning features or use of this software\n4. Neither"
            ),
            None,
        ),
    ],
)
def test_licence_told_from_its_text(text: str, spdx: str | None) -> None:
    assert detect_license(text) == spdx


def test_licence_table_is_well_formed() -> None:
    rows = json.loads(TABLE_PATH.read_text(encoding="utf-8"))["licenses"]
    ids = [row["spdx"] for row in rows]
    assert len(ids) == len(set(ids))
    required = {"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "GPL-2.0", "GPL-3.0", "LGPL-2.1"}
    required |= {"LGPL-3.0", "AGPL-3.0", "MPL-2.0", "ISC", "Unlicense", "EPL-2.0", "CC0-1.0"}
    assert required <= set(ids)
    for row in rows:
        assert set(row) <= {"spdx", "any", "none"}
        assert row["any"] and all(
            alternative and all(words(p).strip() for p in alternative) for alternative in row["any"]
        )
        normalised = [tuple(words(p) for p in alternative) for alternative in row["any"]]
        assert len(normalised) == len(set(normalised)), row["spdx"]  # no alternative twice


_SPDX_IDS = {row["spdx"] for row in json.loads(TABLE_PATH.read_text(encoding="utf-8"))["licenses"]}


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=400), st.sampled_from([MIT, APACHE, GPL3, BSD3]).map(lambda t: t[: len(t) // 2])))
def test_any_text_is_some_licence_or_none(text: str) -> None:
    assert detect_license(text) in {None} | _SPDX_IDS


# --- licence files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"LICENSE": MIT}, HygieneItem(True, "LICENSE", "MIT")),
        ({"LICENSE.md": APACHE}, HygieneItem(True, "LICENSE.md", "Apache-2.0")),
        ({"license.txt": ISC}, HygieneItem(True, "license.txt", "ISC")),
        ({"LICENCE": BSD3}, HygieneItem(True, "LICENCE", "BSD-3-Clause")),
        ({"COPYING": GPL3}, HygieneItem(True, "COPYING", "GPL-3.0")),
        ({"COPYING": GPL3, "COPYING.LESSER": LGPL3}, HygieneItem(True, "COPYING.LESSER", "LGPL-3.0")),
        ({"UNLICENSE": UNLICENSE}, HygieneItem(True, "UNLICENSE", "Unlicense")),
        ({"LICENSE": MIT, "LICENSE-THIRD-PARTY": APACHE + GPL2}, HygieneItem(True, "LICENSE", "MIT")),
        ({"LICENSE-MIT": MIT, "LICENSE-APACHE": APACHE}, HygieneItem(True, "LICENSE-MIT", "Apache-2.0 OR MIT")),
        (
            {
                "LICENSE": "This software is made available under the terms of *either* of the licenses\n"
                "found in LICENSE.APACHE or LICENSE.BSD.\n",
                "LICENSE.APACHE": APACHE,
                "LICENSE.BSD": BSD3,
            },
            HygieneItem(True, "LICENSE", "Apache-2.0 OR BSD-3-Clause"),
        ),
        ({"LICENSE": PROPRIETARY}, HygieneItem(True, "LICENSE", None)),
        ({"LICENSE": APACHE + "x" * 70_000 + MIT}, HygieneItem(True, "LICENSE", "Apache-2.0")),  # 64 KiB read
        ({"LICENSE": "x" * 70_000 + MIT}, HygieneItem(True, "LICENSE", None)),  # MIT lies past what is read
        ({"docs/LICENSE": MIT, "vendor/x/LICENSE": MIT}, HygieneItem(False)),  # the root's only
        ({"LICENSES/MIT.txt": MIT}, HygieneItem(False)),
    ],
)
def test_licence_file(tmp_path: Path, files: dict[str, str], expected: HygieneItem) -> None:
    facts = detect_in(tmp_path, files)
    assert facts.hygiene["license"] == expected
    assert facts.warnings == []


def test_binary_or_utf16_licence(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"LICENSE": b"\x00\x01\x02", "x/y": "z"})
    assert facts.hygiene["license"] == HygieneItem(True, "LICENSE", None)
    assert [(w.path, w.message) for w in facts.warnings] == [("LICENSE", "not readable as text (binary content)")]
    facts = detect_in(tmp_path / "2", {"LICENSE.txt": MIT.encode("utf-16")})
    assert facts.hygiene["license"] == HygieneItem(True, "LICENSE.txt", "MIT")


# --- files by name --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "paths", "expected"),
    [
        ("readme", ["README.md"], HygieneItem(True, "README.md")),
        ("readme", ["readme.rst"], HygieneItem(True, "readme.rst")),
        ("readme", ["README"], HygieneItem(True, "README")),
        ("readme", ["README.md", ".github/README.md", "docs/README.md"], HygieneItem(True, ".github/README.md")),
        ("readme", ["docs/README.md", "README.adoc"], HygieneItem(True, "README.adoc")),  # root before docs/
        ("readme", ["README.zh-CN.md", "README.md"], HygieneItem(True, "README.md")),
        ("readme", ["src/README.md", "READMEFIRST.txt"], HygieneItem(False)),
        ("codeowners", ["CODEOWNERS"], HygieneItem(True, "CODEOWNERS")),
        ("codeowners", ["docs/CODEOWNERS", ".github/CODEOWNERS"], HygieneItem(True, ".github/CODEOWNERS")),
        ("codeowners", [".gitlab/CODEOWNERS"], HygieneItem(False)),
        ("contributing", ["docs/CONTRIBUTING.md"], HygieneItem(True, "docs/CONTRIBUTING.md")),
        ("security", [".github/SECURITY.md"], HygieneItem(True, ".github/SECURITY.md")),
        ("security", ["src/security.py"], HygieneItem(False)),
        ("code_of_conduct", ["CODE_OF_CONDUCT.md"], HygieneItem(True, "CODE_OF_CONDUCT.md")),
        ("code_of_conduct", ["code-of-conduct.md"], HygieneItem(True, "code-of-conduct.md")),
        ("changelog", ["CHANGELOG.md"], HygieneItem(True, "CHANGELOG.md")),
        ("changelog", ["HISTORY.rst"], HygieneItem(True, "HISTORY.rst")),
        ("changelog", ["NEWS"], HygieneItem(True, "NEWS")),
        ("changelog", ["docs/changelog.md"], HygieneItem(True, "docs/changelog.md")),
        ("changelog", [".changeset/config.json"], HygieneItem(True, ".changeset/config.json", "changesets")),
        (
            "changelog",
            ["changelog.d/123.feature.md"],
            HygieneItem(True, "changelog.d/123.feature.md", "changelog fragments"),
        ),
        ("editorconfig", [".editorconfig"], HygieneItem(True, ".editorconfig")),
        ("editorconfig", ["web/.editorconfig"], HygieneItem(False)),
        ("dependabot", [".github/dependabot.yaml"], HygieneItem(True, ".github/dependabot.yaml")),
        ("dependabot", ["dependabot.yml"], HygieneItem(False)),
        ("renovate", ["renovate.json"], HygieneItem(True, "renovate.json")),
        ("renovate", [".renovaterc"], HygieneItem(True, ".renovaterc")),
        ("renovate", [".renovaterc.json"], HygieneItem(True, ".renovaterc.json")),
        ("renovate", [".github/renovate.json5"], HygieneItem(True, ".github/renovate.json5")),
        ("renovate", ["package.json"], HygieneItem(False)),
        ("pre_commit", [".pre-commit-config.yaml"], HygieneItem(True, ".pre-commit-config.yaml")),
        ("pre_commit", [".pre-commit-hooks.yaml"], HygieneItem(False)),  # a hook repository's, not a user's
        ("gitignore", [".gitignore"], HygieneItem(True, ".gitignore")),
        ("gitignore", ["src/.gitignore"], HygieneItem(False)),
    ],
)
def test_file_found_where_its_tool_looks(key: str, paths: list[str], expected: HygieneItem) -> None:
    assert find_file(key, [p for p in paths if p.count("/") <= 1]) == expected


def test_every_key_is_reported_when_nothing_is_there(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"src/main.py": "print('hi')\n"})
    assert facts.hygiene == {key: HygieneItem(False) for key in KEYS}
    assert list(facts.hygiene) == list(KEYS)
    assert facts.warnings == []


def test_a_well_kept_repository(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "README.md": "# svc\n",
            ".github/README.md": "# svc (GitHub)\n",
            "LICENSE": MIT,
            ".github/CODEOWNERS": "* @acme/payments\n",
            "docs/CODEOWNERS": "* @acme/other\n",
            "docs/CONTRIBUTING.md": "be kind\n",
            "SECURITY.md": "mail us\n",
            "CODE_OF_CONDUCT.md": "be kind\n",
            "CHANGELOG.md": "## 1.0\n",
            ".editorconfig": "root = true\n[*.{kt,kts}]\nktlint_standard_no-wildcard-imports = disabled\n",
            ".github/dependabot.yml": "version: 2\n",
            "renovate.json": "{}\n",
            ".pre-commit-config.yaml": "repos: []\n",
            ".gitignore": "*.pyc\n",
            "pyproject.toml": "[tool.ruff]\nline-length = 100\n[tool.mypy]\nstrict = true\n",
            "setup.cfg": "[metadata]\nname = x\n[flake8]\nmax-line-length = 100\n[mypy-foo.*]\nignore_missing_imports = True\n",
            "web/.eslintrc.json": "{}\n",
            "web/node_modules/x/.prettierrc": "{}\n",  # someone else's
            "tests/test_app.py": "def test(): pass\n",
            "web/src/App.test.tsx": "it('renders', () => {})\n",
        },
    )
    h = facts.hygiene
    assert h["readme"] == HygieneItem(True, ".github/README.md")
    assert h["license"] == HygieneItem(True, "LICENSE", "MIT")
    assert h["codeowners"] == HygieneItem(True, ".github/CODEOWNERS")
    assert h["contributing"] == HygieneItem(True, "docs/CONTRIBUTING.md")
    assert all(h[k].present for k in KEYS)
    assert h["linter"] == HygieneItem(True, ".editorconfig", "eslint, flake8, ktlint, mypy, ruff")
    assert h["tests"] == HygieneItem(
        True, "tests/test_app.py", "tests/ folder, *.test.js / *.spec.js, test_*.py / *_test.py / tests.py"
    )
    assert facts.warnings == []


# --- linters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"eslint.config.mjs": "export default []\n"}, HygieneItem(True, "eslint.config.mjs", "eslint")),
        (
            {".prettierrc.yaml": "semi: false\n", ".stylelintrc": "{}"},
            HygieneItem(True, ".prettierrc.yaml", "prettier, stylelint"),
        ),
        ({"biome.json": "{}"}, HygieneItem(True, "biome.json", "biome")),
        ({"ruff.toml": "line-length = 100\n"}, HygieneItem(True, "ruff.toml", "ruff")),
        ({"svc/.flake8": "[flake8]\n", "svc/.pylintrc": ""}, HygieneItem(True, "svc/.flake8", "flake8, pylint")),
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, HygieneItem(True, "pyproject.toml", "black")),
        ({"pyproject.toml": "[project]\nname = 'x'\n[tool.pytest.ini_options]\n"}, HygieneItem(False)),
        ({"pyproject.toml": "[tool.ruff\nbroken"}, HygieneItem(False)),  # the Python detector reports it
        ({"tox.ini": "[tox]\n[testenv]\n[tool:isort]\nprofile = black\n"}, HygieneItem(True, "tox.ini", "isort")),
        ({"setup.cfg": "[metadata]\n# [flake8] in a comment\n"}, HygieneItem(False)),
        ({".golangci.yml": "linters: {}\n"}, HygieneItem(True, ".golangci.yml", "golangci-lint")),
        ({".rubocop.yml": "AllCops: {}\n"}, HygieneItem(True, ".rubocop.yml", "rubocop")),
        (
            {"config/checkstyle/checkstyle.xml": "<module/>"},
            HygieneItem(True, "config/checkstyle/checkstyle.xml", "checkstyle"),
        ),
        ({".scalafmt.conf": "version = 3.7.17\n"}, HygieneItem(True, ".scalafmt.conf", "scalafmt")),
        ({"config/detekt/detekt.yml": "build: {}\n"}, HygieneItem(True, "config/detekt/detekt.yml", "detekt")),
        (
            {".editorconfig": "[*.kt]\nktlint_code_style = ktlint_official\n"},
            HygieneItem(True, ".editorconfig", "ktlint"),
        ),
        ({".editorconfig": "root = true\n"}, HygieneItem(False)),
        (
            {
                ".pre-commit-config.yaml": (
                    "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.9\n"
                    "    hooks:\n      - id: ruff\n        args: [--fix]\n      - id: ruff-format\n"
                    "  - repo: https://github.com/pre-commit/mirrors-prettier\n    rev: v3.1.0\n"
                    "    hooks:\n      - id: prettier\n"
                    "  - repo: local\n    hooks:\n      - {id: my-check, name: x, entry: x, language: system}\n"
                )
            },
            HygieneItem(True, ".pre-commit-config.yaml", "prettier, ruff"),
        ),
        ({".pre-commit-config.yaml": "repos:\n  - repo: x\n    hooks: [trailing-whitespace]\n"}, HygieneItem(False)),
        ({"node_modules/pkg/.eslintrc.js": "module.exports = {}\n"}, HygieneItem(False)),
    ],
)
def test_linters_from_their_configuration(tmp_path: Path, files: dict[str, str], expected: HygieneItem) -> None:
    facts = detect_in(tmp_path, files)
    assert facts.hygiene["linter"] == expected
    assert facts.warnings == []


def test_broken_pre_commit_config_is_a_warning_and_still_present(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {".pre-commit-config.yaml": "repos: [\n", ".flake8": "[flake8]\n"})
    assert facts.hygiene["pre_commit"] == HygieneItem(True, ".pre-commit-config.yaml")
    assert facts.hygiene["linter"] == HygieneItem(True, ".flake8", "flake8")
    assert [w.path for w in facts.warnings] == [".pre-commit-config.yaml"]
    assert facts.warnings[0].message.startswith("not valid YAML")


# --- tests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (
            ["tests/test_app.py"],
            HygieneItem(True, "tests/test_app.py", "tests/ folder, test_*.py / *_test.py / tests.py"),
        ),
        (["test/index.js"], HygieneItem(True, "test/index.js", "tests/ folder")),
        (["pkg/api/handler_test.go", "pkg/api/handler.go"], HygieneItem(True, "pkg/api/handler_test.go", "*_test.go")),
        (
            ["src/test/java/com/acme/AppTest.java"],
            HygieneItem(True, "src/test/java/com/acme/AppTest.java", "tests/ folder, src/test/"),
        ),
        (["web/src/App.spec.ts"], HygieneItem(True, "web/src/App.spec.ts", "*.test.js / *.spec.js")),
        (["src/__tests__/App.jsx"], HygieneItem(True, "src/__tests__/App.jsx", "__tests__/ folder")),
        (["spec/models/user_spec.rb"], HygieneItem(True, "spec/models/user_spec.rb", "*_spec.rb")),
        (["shop/tests.py"], HygieneItem(True, "shop/tests.py", "test_*.py / *_test.py / tests.py")),
        (["app/calc_test.py"], HygieneItem(True, "app/calc_test.py", "test_*.py / *_test.py / tests.py")),
        (["Tests/Unit/CartTest.php"], HygieneItem(True, "Tests/Unit/CartTest.php", "tests/ folder, *Test.php")),
        (["Shop.Tests/Shop.Tests.csproj"], HygieneItem(True, "Shop.Tests/Shop.Tests.csproj", ".NET test project")),
        (["phpunit.xml.dist"], HygieneItem(True, "phpunit.xml.dist", "phpunit.xml")),
        (["node_modules/lib/test/a.js", "vendor/x/tests/b.py"], HygieneItem(False)),  # someone else's
        (["docs/tests/howto.md"], HygieneItem(False)),  # documentation
        (["src/latest.py", "src/attest/x.py", "contest.go", "testing.md"], HygieneItem(False)),
    ],
)
def test_tests_recognised(paths: list[str], expected: HygieneItem) -> None:
    assert recognise_tests(paths) == expected


_PATHS = st.lists(
    st.lists(
        st.sampled_from(["tests", "test", "src", "a_test.go", "x.py", "test_x.py", "node_modules", "spec"]),
        min_size=1,
        max_size=4,
    ).map("/".join),
    max_size=10,
)


@settings(max_examples=200)
@given(_PATHS)
def test_tests_detail_lists_known_signs_and_the_path_is_one_of_the_files(paths: list[str]) -> None:
    item = recognise_tests(paths)
    labels = {label for label, _, _ in TEST_SIGNS}
    if item.present:
        assert item.path in paths
        assert item.detail and set(item.detail.split(", ")) <= labels
    else:
        assert item == HygieneItem(False)
