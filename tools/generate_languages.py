"""Regenerate `collectors/detectors/languages.json` from GitHub Linguist's language data.

The data comes from the npm package `linguist-languages` (MIT), which republishes Linguist's
`languages.yml` as one JavaScript module per language. This tool is run by hand when we want a
newer table; the project itself never needs npm or node at run time.

    python tools/generate_languages.py                      # npm pack the latest version
    python tools/generate_languages.py --version 9.5.0      # a given version
    python tools/generate_languages.py --package-dir DIR    # an already unpacked package

It needs `node` (to evaluate the package's modules) and, without --package-dir, `npm`. It writes
`languages.json` (one language per line, sorted, only the fields guildboard uses: type, colour,
extensions, file names, interpreters, aliases, group) and `LANGUAGES-LICENSE.txt` (the package's
licence, Linguist's notice and the version used).

The package carries no content heuristics; those are written by hand, as data, in
`collectors/detectors/linguist_heuristics.py`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "linguist-languages"
HERE = Path(__file__).resolve().parent
DETECTORS = HERE.parent / "collectors" / "detectors"
TYPES = ("programming", "markup", "data", "prose")

# node prints every language module as one JSON object: {name: {...}, ...}
_DUMP_JS = """
const mod = await import(process.argv[1]);
const out = {};
for (const [name, lang] of Object.entries(mod)) { if (name !== 'default') out[name] = lang; }
process.stdout.write(JSON.stringify(out));
"""


class GenerateError(Exception):
    """The package could not be fetched or does not look like linguist-languages."""


def fetch_package(version: str | None, workdir: Path) -> Path:
    """`npm pack` the package into workdir and unpack it; returns the package folder."""
    if shutil.which("npm") is None:
        raise GenerateError("npm is not on PATH (or pass --package-dir)")
    spec = f"{PACKAGE}@{version}" if version else PACKAGE
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise GenerateError(f"npm pack {spec} failed: {out.stderr.strip()}")
    tarballs = sorted(workdir.glob(f"{PACKAGE}-*.tgz"))
    if not tarballs:
        raise GenerateError(f"npm pack {spec} produced no tarball in {workdir}")
    with tarfile.open(tarballs[-1]) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def read_package(package_dir: Path) -> tuple[str, dict[str, dict]]:
    """The package's version and its raw language records (name -> record)."""
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE:
        raise GenerateError(f"{package_dir} holds {meta.get('name')!r}, not {PACKAGE}")
    if shutil.which("node") is None:
        raise GenerateError("node is not on PATH; it evaluates the package's modules")
    index = (package_dir / "index.js").resolve()
    out = subprocess.run(
        ["node", "--input-type=module", "-e", _DUMP_JS, index.as_uri()],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise GenerateError(f"node could not load {index}: {out.stderr.strip()}")
    return str(meta["version"]), json.loads(out.stdout)


def compact(raw: dict[str, dict]) -> dict[str, dict]:
    """Only the fields guildboard uses; empty ones left out; colours in lower case."""
    table: dict[str, dict] = {}
    for name in sorted(raw):
        lang = raw[name]
        kind = lang.get("type")
        if kind not in TYPES:
            raise GenerateError(f"{name}: unknown type {kind!r}")
        entry: dict[str, object] = {"type": kind}
        colour = lang.get("color")
        if colour:
            if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
                raise GenerateError(f"{name}: colour {colour!r} is not #rrggbb")
            entry["colour"] = colour.lower()
        # Linguist's order matters for extensions: the first one is the language's primary.
        for field in ("extensions", "filenames", "interpreters"):
            values = lang.get(field) or []
            if values:
                entry[field] = list(dict.fromkeys(values))
        # Aliases name a language in `linguist-language=`; the name itself in lower case, and with
        # dashes for spaces, is found without being listed (as Linguist's find_by_alias does).
        implied = {name.lower(), name.lower().replace(" ", "-")}
        aliases = [a for a in dict.fromkeys(lang.get("aliases") or []) if a.lower() not in implied]
        if aliases:
            entry["aliases"] = aliases
        if lang.get("group"):
            entry["group"] = lang["group"]
        table[name] = entry
    for name, entry in table.items():
        group = entry.get("group")
        if group is not None and group not in table:
            raise GenerateError(f"{name}: group {group!r} is not a language")
    return table


def render(version: str, table: dict[str, dict]) -> str:
    """One language per line: small diffs when the table is regenerated."""
    lines = [
        "{",
        f'"source": {json.dumps({"package": PACKAGE, "version": version, "license": "MIT"})},',
        '"languages": {',
    ]
    compact_json = json.JSONEncoder(separators=(",", ":")).encode
    items = [f"{json.dumps(name)}: {compact_json(entry)}" for name, entry in table.items()]
    lines.append(",\n".join(items))
    lines += ["}", "}", ""]
    return "\n".join(lines)


def licence_text(package_dir: Path, version: str) -> str:
    parts = [
        f"collectors/detectors/languages.json is generated by tools/generate_languages.py from the npm\n"
        f"package {PACKAGE} version {version}, which republishes the language data of GitHub\n"
        f"Linguist (https://github.com/github-linguist/linguist). Both are under the MIT licence;\n"
        f"their notices follow.\n",
    ]
    for name in ("LICENSE", "ThirdPartyNoticeText.txt"):
        path = package_dir / name
        if path.exists():
            parts.append("=" * 80 + f"\n{PACKAGE} {version}: {name}\n" + "=" * 80 + "\n")
            parts.append(path.read_text(encoding="utf-8").strip() + "\n")
    if len(parts) == 1:
        raise GenerateError(f"{package_dir} has no LICENSE; refusing to ship data without one")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", help=f"{PACKAGE} version to fetch (default: the latest)")
    parser.add_argument("--package-dir", type=Path, help="an unpacked package to use instead of npm")
    parser.add_argument("--out", type=Path, default=DETECTORS, help="folder to write into")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="linguist-") as tmp:
            package_dir = args.package_dir or fetch_package(args.version, Path(tmp))
            version, raw = read_package(package_dir)
            table = compact(raw)
            (args.out / "languages.json").write_text(render(version, table), encoding="utf-8")
            licence = licence_text(package_dir, version)
            (args.out / "LANGUAGES-LICENSE.txt").write_text(licence, encoding="utf-8")
    except (GenerateError, OSError, json.JSONDecodeError, tarfile.TarError) as err:
        print(f"generate_languages: {err}", file=sys.stderr)
        return 1
    size = (args.out / "languages.json").stat().st_size
    print(f"wrote {len(table)} languages from {PACKAGE} {version} ({size} bytes) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
