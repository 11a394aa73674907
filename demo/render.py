"""Render one demo repository's files from its state and the spec.

Rendering is a pure function of (spec, repository state): history only edits the state and renders
again, so a repository's manifests, lock files, Dockerfile and CI always agree with each other.
The formats that templates cannot express well (lock files: JSON, TOML, YAML, go.sum, Gemfile.lock)
are written here; everything a reader would want to tweak is a template in `data/demo_org.yaml`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from demo.model import Repo
from demo.spec import Component, Spec, SpecError, Toolchain
from demo.templates import fill, is_placeholder, truthy

#: path -> (git file mode, bytes)
Files = dict[str, tuple[str, bytes]]

#: Files gofmt, make and Visual Studio want indented with tabs; their templates use four spaces.
_TAB_INDENTED = (".go", "go.mod", "Makefile", ".sln")

#: Per-toolchain CI snippets (`toolchains.X.ci`) and the variable each one fills.
_CI_SNIPPETS = {
    "image": "ci_image",
    "circle_image": "circle_image",
    "gha_setup": "gha_setup",
    "azure_setup": "azure_setup",
    "travis": "travis_setup",
}


@dataclass(frozen=True)
class Dep:
    name: str
    version: str | None  # None: managed by a parent POM or a BOM
    dev: bool = False
    fields: tuple[tuple[str, str], ...] = ()  # more than a version: Cargo features, a Helm repository


@dataclass
class _Part:
    """One component as rendered: its folder, its variables and its resolved dependencies."""

    component: Component
    toolchain: Toolchain
    vars: dict[str, Any]
    deps: list[Dep]


def render(spec: Spec, repo: Repo, team_names: Mapping[str, str]) -> Files:
    """Every file of `repo` at its current state, ready to commit."""
    stack = spec.stacks[repo.stack]
    texts: dict[str, tuple[str, str]] = {}
    parts: list[_Part] = []
    claimed_extras: set[str] = set()
    for component in stack.parts():
        part = _component(spec, repo, component, team_names, claimed_extras)
        _write_component(spec, repo, part, texts)
        parts.append(part)

    top = {**parts[0].vars, **_names(spec, repo, repo.name, team_names)}
    top["description"] = fill(stack.description, top, f"stacks.{stack.name}.description")
    top["component_type"] = stack.type
    top["catalog_tags"] = "\n".join(f"- {tag}" for tag in stack.tags)
    top["has_docker"] = "docker" in repo.items and any(spec.stacks[p.component.stack].docker for p in parts)
    top["docker_context"] = next((p.component.at or "." for p in parts if spec.stacks[p.component.stack].docker), ".")
    _write_ci(spec, repo, parts, top, texts)
    _write_hygiene(spec, repo, parts, top, texts)

    files: Files = {}
    for path, (mode, text) in texts.items():
        if path.endswith(_TAB_INDENTED):
            text = _tabs(text)
        files[path] = (mode, text.encode("utf-8"))
    return files


# --- variables ---------------------------------------------------------------------------------


def _names(spec: Spec, repo: Repo, name: str, team_names: Mapping[str, str]) -> dict[str, Any]:
    """The variables every template may use that come from names, not from versions."""
    words = name.split("-")
    pkg = name.replace("-", "_")
    plurals = [_plural(e) for e in repo.entities]
    java_pkg = f"com.{spec.org}.{pkg.replace('_', '')}"
    return {
        "org": spec.org,
        "org_title": spec.org_title,
        "repo": name,
        "pkg": pkg,
        "pkgdir": pkg.replace("_", ""),
        "Name": "".join(w.capitalize() for w in words),
        "Title": " ".join(w.capitalize() for w in words),
        "java_pkg": java_pkg,
        "java_path": java_pkg.replace(".", "/"),
        "guid_app": _guid(spec, name, "app"),
        "guid_tests": _guid(spec, name, "tests"),
        "team": repo.team,
        "team_name": team_names[repo.team],
        "team_pkg": repo.team.replace("-", ""),
        "owner": repo.team,
        "system": repo.team,
        "version": repo.version,
        "year": str(repo.year),
        "lifecycle": repo.lifecycle,
        "app": plurals[0],
        "entities_csv": ", ".join(plurals),
        "entity2s": plurals[1] if len(plurals) > 1 else "their history",
        **_entity(repo.entities[0], 1),
        "has_tests": "tests" in repo.items,
    }


def _guid(spec: Spec, name: str, project: str) -> str:
    """A Visual Studio project GUID, braces included, stable for a repository and project."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{spec.org}.example/{name}/{project}")).upper() + "}"


def _entity(word: str, index: int) -> dict[str, str]:
    plural = _plural(word)
    return {
        "entity": word,
        "entities": plural,
        "Entity": word.capitalize(),
        "Entities": plural.capitalize(),
        "i": str(index),
    }


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _component(
    spec: Spec, repo: Repo, component: Component, team_names: Mapping[str, str], claimed_extras: set[str]
) -> _Part:
    stack = spec.stacks[component.stack]
    assert stack.toolchain is not None
    tool = spec.toolchains[stack.toolchain]
    where = f"stacks.{stack.name}"
    name = repo.name if not component.at else f"{repo.name}-{component.at.rsplit('/', 1)[-1]}"
    v: dict[str, Any] = _names(spec, repo, name, team_names)
    v.update(tool.eras[repo.levels[stack.toolchain]])
    v.update(spec.toolchains["actions"].eras[repo.levels.get("actions", 0)])
    v["workdir"] = component.at or "."
    v["job"] = component.at.rsplit("/", 1)[-1] if component.at else "test"
    v["indent_size"] = str(tool.indent)

    kind = repo.choice(f"{stack.name}/manifest", stack.manifests)
    manifest = spec.manifests[kind]
    v["manifest_kind"] = kind
    for key, value in (manifest.get("vars") or {}).items():
        v[key] = fill(str(value), v, f"manifests.{kind}.vars.{key}")
    v["description"] = fill(stack.description, v, f"{where}.description")
    for key, value in stack.vars.items():
        v[key] = _var(value, v, repo, f"{where}.vars.{key}")

    deps = _deps(spec, repo, stack.name, stack.toolchain, v, claimed_extras)
    v["deps"] = _format(manifest, [d for d in deps if not d.dev], kind)
    v["dev_deps"] = _format(manifest, [d for d in deps if d.dev], kind)
    # Central version files (Directory.Packages.props) list every dependency once, by name.
    versions = manifest.get("versions")
    v["dep_versions"] = (
        "\n".join(versions.format(**_fields(d)) for d in sorted(deps, key=lambda d: d.name.lower())) if versions else ""
    )
    engines = repo.choice(f"{stack.name}/engines", {"yes": 1, "no": 1}) == "yes"
    v["engines"] = f">={v['node']}" if engines and "node" in v else ""
    v["engines_json"] = f',\n  "engines": {{\n    "node": "{v["engines"]}"\n  }}' if v["engines"] else ""
    for key, name in _CI_SNIPPETS.items():
        v[name] = fill(tool.ci.get(key, ""), v, f"toolchains.{tool.name}.ci.{key}")
    # Azure Pipelines: a toolchain with a setup task runs on the hosted agent, the others in their image.
    v["azure_container"] = "" if v["azure_setup"] else f"container: {v['ci_image']}"
    return _Part(component, tool, v, deps)


def _var(value: Any, v: Mapping[str, Any], repo: Repo, where: str) -> str:
    """A stack variable: a template, alternatives with `when`, or a loop over the entities."""
    if isinstance(value, str):
        return fill(value, v, where)
    if isinstance(value, list):
        for option in value:
            if "when" not in option or truthy(option["when"], v, where):
                return fill(option["text"], v, where)
        return ""
    if isinstance(value, dict) and value.get("each") == "entity":
        sep = value.get("sep", "\n")
        return sep.join(
            fill(value["text"], {**v, **_entity(word, i)}, where) for i, word in enumerate(repo.entities, 1)
        )
    raise SpecError(f"{where}: a variable is a string, a list of alternatives or an `each: entity` loop")


# --- dependencies ------------------------------------------------------------------------------


def _deps(
    spec: Spec, repo: Repo, stack_name: str, toolchain: str, v: Mapping[str, Any], claimed: set[str]
) -> list[Dep]:
    """The stack's dependencies at the repository's era, plus its extras for this toolchain."""
    stack = spec.stacks[stack_name]
    out: list[Dep] = []
    for group, dev in ((stack.deps, False), (stack.dev_deps, True)):
        for name, entry in group.items():
            where = f"stacks.{stack_name}.deps.{name}"
            version, fields = (
                (entry.get("version"), _dep_fields(entry, v, where)) if isinstance(entry, dict) else (entry, ())
            )
            if version is None:
                out.append(Dep(name, None, dev, fields))
                continue
            var = is_placeholder(version)
            resolved = v[var] if var else fill(version, v, where)
            if resolved is not None:  # null in this era: the dependency is not there yet, or no longer
                out.append(Dep(name, str(resolved), dev, fields))
    names = {d.name for d in out}
    for key in repo.extras:
        extra = spec.extras[key]
        if extra["toolchain"] != toolchain or key in claimed or extra["name"] in names:
            continue
        claimed.add(key)  # a monorepo carries an extra once, in its first component of that toolchain
        out.append(Dep(extra["name"], str(extra["version"]), extra.get("scope") == "dev"))
    return out


def _dep_fields(entry: Mapping[str, Any], v: Mapping[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    """The fields of a dependency given as a mapping, filled; a list becomes `"a", "b"` (features)."""
    out = []
    for key, value in entry.items():
        if key == "version":
            continue
        if isinstance(value, list):
            items = [fill(str(item), v, where) for item in value]
            out.append((key, ", ".join(f'"{item}"' for item in items if item)))
        else:
            out.append((key, fill(str(value), v, where)))
    return tuple(out)


def _format(manifest: Mapping[str, Any], deps: list[Dep], kind: str) -> str:
    """Dependencies written the way this manifest kind writes them.

    A dependency with fields (a mapping in the stack) is written with `dep_with` / `dev_with`
    when the manifest has them (`tokio = { version = "1", features = ["full"] }`).
    """
    lines = []
    for dep in sorted(deps, key=lambda d: d.name.lower()) if manifest.get("sort") else deps:
        keys = ("dev_managed", "managed") if dep.version is None else ("dev", "dep")
        if dep.fields and dep.version is not None:
            keys = ("dev_with", "dev", "dep_with", "dep")
        keys = keys if dep.dev else keys[len(keys) // 2 :]
        template = next((manifest[k] for k in keys if manifest.get(k)), None)
        if template is None:
            raise SpecError(f"manifests.{kind}: no format for {dep.name} (keys tried: {', '.join(keys)})")
        lines.append(template.format(**_fields(dep)))
    return manifest.get("join", "\n").join(lines)


def _fields(dep: Dep) -> dict[str, str]:
    name = dep.name
    if "::" in name:
        group, artifact, op = *name.split("::", 1), "%%"
    elif ":" in name:
        group, artifact, op = *name.split(":", 1), "%"
    else:
        group, artifact, op = "", name, "%"
    version = dep.version or ""
    return {
        "name": name,
        "version": version,
        "group": group,
        "artifact": artifact,
        "sbt_op": op,
        "tilde": ".".join(version.split(".")[:3]),
        "minor": ".".join(version.split(".")[:2]),
        "major": version.split(".")[0],
        **dict(dep.fields),
    }


# --- lock files --------------------------------------------------------------------------------


def _digest(kind: str, *parts: str) -> bytes:
    """Stand-in for a real artifact hash: stable, well-formed, obviously not downloadable."""
    return hashlib.new(kind, "\0".join(parts).encode()).digest()


def _npm_lock(part: _Part) -> tuple[str, str]:
    v = part.vars
    name = f"@acme/{v['repo']}"
    root: dict[str, Any] = {"name": name, "version": v["version"]}
    for key, dev in (("dependencies", False), ("devDependencies", True)):
        group = {d.name: f"^{d.version}" for d in sorted(part.deps, key=lambda d: d.name) if d.dev == dev}
        if group:
            root[key] = group
    if v["engines"]:
        root["engines"] = {"node": v["engines"]}
    packages: dict[str, Any] = {"": root}
    for dep in sorted(part.deps, key=lambda d: d.name):
        tarball = dep.name.rsplit("/", 1)[-1]
        entry: dict[str, Any] = {
            "version": dep.version,
            "resolved": f"https://registry.npmjs.org/{dep.name}/-/{tarball}-{dep.version}.tgz",
            "integrity": "sha512-" + base64.b64encode(_digest("sha512", dep.name, str(dep.version))).decode(),
        }
        if dep.dev:
            entry["dev"] = True
        packages[f"node_modules/{dep.name}"] = entry
    lock = {"name": name, "version": v["version"], "lockfileVersion": 3, "requires": True, "packages": packages}
    return "package-lock.json", json.dumps(lock, indent=2) + "\n"


def _poetry_lock(part: _Part) -> tuple[str, str]:
    v = part.vars
    blocks = []
    for dep in sorted(part.deps, key=lambda d: d.name.lower()):
        name = dep.name.lower()
        wheel = name.replace("-", "_")
        sha = _digest("sha256", name, str(dep.version)).hex()
        blocks.append(
            "[[package]]\n"
            f'name = "{name}"\n'
            f'version = "{dep.version}"\n'
            'description = ""\n'
            f"optional = {'true' if dep.dev else 'false'}\n"
            f'python-versions = ">={v["python"]}"\n'
            "files = [\n"
            f'    {{file = "{wheel}-{dep.version}-py3-none-any.whl", hash = "sha256:{sha}"}},\n'
            "]\n"
        )
    content_hash = _digest("sha256", *(f"{d.name}={d.version}" for d in part.deps)).hex()
    text = (
        f"# This file is automatically @generated by Poetry {v['poetry']} and should not be changed by hand.\n\n"
        + "\n".join(blocks)
        + f'\n[metadata]\nlock-version = "2.0"\npython-versions = "^{v["python"]}"\ncontent-hash = "{content_hash}"\n'
    )
    return "poetry.lock", text


def _go_sum(part: _Part) -> tuple[str, str]:
    lines = []
    for dep in sorted(part.deps, key=lambda d: d.name):
        for suffix in ("", "/go.mod"):
            h1 = base64.b64encode(_digest("sha256", dep.name, str(dep.version), suffix)).decode()
            lines.append(f"{dep.name} {dep.version}{suffix} h1:{h1}")
    return "go.sum", "\n".join(lines) + "\n"


def _gemfile_lock(part: _Part) -> tuple[str, str]:
    v = part.vars
    components = part.toolchain.lock_components
    specs: dict[str, list[str]] = {}
    for dep in part.deps:
        subs = components.get(dep.name, [])
        specs[f"{dep.name} ({dep.version})"] = [f"{s} (= {dep.version})" for s in subs]
        for sub in subs:
            specs.setdefault(f"{sub} ({dep.version})", [])
    lines = ["GEM", "  remote: https://rubygems.org/", "  specs:"]
    for spec_line in sorted(specs):
        lines.append(f"    {spec_line}")
        lines += [f"      {sub}" for sub in specs[spec_line]]
    lines += ["", "PLATFORMS", "  ruby", "  x86_64-linux", "", "DEPENDENCIES"]
    lines += [f"  {d.name} (~> {_fields(d)['tilde']})" for d in sorted(part.deps, key=lambda d: d.name)]
    lines += ["", "RUBY VERSION", f"   ruby {v['ruby']}", "", "BUNDLED WITH", f"   {v['bundler']}"]
    return "Gemfile.lock", "\n".join(lines) + "\n"


def _cargo_lock(part: _Part) -> tuple[str, str]:
    """Cargo.lock as Cargo 1.53 to 1.82 write it (version 3): the crate itself, then each crate it
    uses (only the direct ones: the demo has no dependency graph)."""
    v = part.vars
    deps = sorted(part.deps, key=lambda d: d.name)
    listed = "".join(f' "{d.name}",\n' for d in deps)
    blocks = {
        v["repo"]: f'[[package]]\nname = "{v["repo"]}"\nversion = "{v["version"]}"\ndependencies = [\n{listed}]\n'
    }
    for dep in deps:
        checksum = _digest("sha256", dep.name, str(dep.version)).hex()
        blocks[dep.name] = (
            "[[package]]\n"
            f'name = "{dep.name}"\n'
            f'version = "{dep.version}"\n'
            'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
            f'checksum = "{checksum}"\n'
        )
    header = (
        "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n\n"
    )
    return "Cargo.lock", header + "\n".join(blocks[name] for name in sorted(blocks))  # Cargo sorts by name


def _composer_lock(part: _Part) -> tuple[str, str]:
    v = part.vars

    def entry(dep: Dep) -> dict[str, Any]:
        tagged = any(dep.name.startswith(prefix) for prefix in part.toolchain.v_tagged)
        version = f"v{dep.version}" if tagged else str(dep.version)
        ref = _digest("sha1", dep.name, version).hex()
        return {
            "name": dep.name,
            "version": version,
            "source": {"type": "git", "url": f"https://github.com/{dep.name}.git", "reference": ref},
            "dist": {
                "type": "zip",
                "url": f"https://api.github.com/repos/{dep.name}/zipball/{ref}",
                "reference": ref,
                "shasum": "",
            },
            "type": "library",
        }

    deps = sorted(part.deps, key=lambda d: d.name)
    lock = {
        "_readme": [
            "This file locks the dependencies of your project to a known state",
            "Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies",
            "This file is @generated automatically",
        ],
        "content-hash": _digest("md5", *(f"{d.name}={d.version}" for d in deps)).hex(),
        "packages": [entry(d) for d in deps if not d.dev],
        "packages-dev": [entry(d) for d in deps if d.dev],
        "aliases": [],
        "minimum-stability": "stable",
        "stability-flags": [],
        "prefer-stable": True,
        "prefer-lowest": False,
        "platform": {"php": v["php_constraint"]},
        "platform-dev": [],
        "plugin-api-version": v["composer_plugin_api"],
    }
    return "composer.lock", json.dumps(lock, indent=4) + "\n"


def _chart_lock(part: _Part) -> tuple[str, str]:
    """Chart.lock as `helm dependency update` writes it: the charts in Chart.yaml's order."""
    lines = ["dependencies:"]
    for dep in part.deps:
        fields = dict(dep.fields)
        lines += [f"- name: {dep.name}", f"  repository: {fields['repository']}", f"  version: {dep.version}"]
    digest = _digest("sha256", *(f"{d.name}={d.version}" for d in part.deps)).hex()
    lines += [f"digest: sha256:{digest}", f'generated: "{part.vars["helm_generated"]}"']
    return "Chart.lock", "\n".join(lines) + "\n"


_LOCKS: dict[str, Callable[[_Part], tuple[str, str]]] = {
    "npm": _npm_lock,
    "poetry": _poetry_lock,
    "gosum": _go_sum,
    "bundler": _gemfile_lock,
    "cargo": _cargo_lock,
    "composer": _composer_lock,
    "helm": _chart_lock,
}


# --- files -------------------------------------------------------------------------------------


def _write_component(spec: Spec, repo: Repo, part: _Part, texts: dict[str, tuple[str, str]]) -> None:
    stack = spec.stacks[part.component.stack]
    v = part.vars
    prefix = f"{part.component.at}/" if part.component.at else ""
    kind = v["manifest_kind"]
    manifest = spec.manifests[kind]
    _write_templates(stack.files, v, repo, prefix, texts, f"stacks.{stack.name}.files")
    _write_templates(manifest.get("files") or (), v, repo, prefix, texts, f"manifests.{kind}.files")
    if manifest.get("lock"):
        path, text = _LOCKS[manifest["lock"]](part)
        texts[prefix + path] = ("100644", text)
    pins = {str(i): pin["weight"] for i, pin in enumerate(part.toolchain.pins)}
    if pins:
        pin = part.toolchain.pins[int(repo.choice(f"{stack.name}/pin", pins))]
        if pin.get("path"):
            texts[prefix + pin["path"]] = ("100644", fill(pin["text"], v, f"toolchains.{part.toolchain.name}.pins"))
    if "docker" in repo.items and stack.docker:
        variant = repo.choice(f"{stack.name}/docker", stack.docker)
        where = f"toolchains.{part.toolchain.name}.docker.{variant}"
        texts[prefix + "Dockerfile"] = ("100644", fill(part.toolchain.docker[variant], v, where))
    if stack.compose:
        kind = repo.choice(f"{stack.name}/compose", stack.compose)
        if kind != "none":
            # One tag per image and repository, the same in every component: local stacks drift too.
            tags = {f"{image}_tag": repo.choice(f"compose/{image}", w) for image, w in spec.compose["tags"].items()}
            _write_templates(spec.compose["files"][kind], {**v, **tags}, repo, prefix, texts, f"compose.files.{kind}")


def _write_templates(
    templates: Any, v: Mapping[str, Any], repo: Repo, prefix: str, texts: dict[str, tuple[str, str]], where: str
) -> None:
    for i, template in enumerate(templates):
        here = f"{where}[{i}]"
        if "when" in template and not truthy(template["when"], v, here):
            continue
        if template.get("each") == "entity":
            scopes = [{**v, **_entity(word, n)} for n, word in enumerate(repo.entities, 1)]
        else:
            scopes = [v]
        for scope in scopes:
            path = prefix + fill(template["path"], scope, here)
            texts[path] = (str(template.get("mode", "100644")), fill(template["text"], scope, f"{here} {path}"))


def _write_ci(
    spec: Spec, repo: Repo, parts: list[_Part], top: dict[str, Any], texts: dict[str, tuple[str, str]]
) -> None:
    provider = spec.ci[repo.ci]
    if not provider.get("path"):
        return
    where = f"ci.{repo.ci}"
    v = dict(top)
    for name, template in (provider.get("parts") or {}).items():
        v[name] = "\n".join(fill(template, p.vars, f"{where}.parts.{name}").rstrip("\n") for p in parts)
    for name, value in (provider.get("vars") or {}).items():
        v[name] = _var(value, v, repo, f"{where}.vars.{name}")
    texts[fill(provider["path"], v, where)] = ("100644", fill(provider["text"], v, where))
    _write_templates(provider.get("files") or (), v, repo, "", texts, f"{where}.files")


def _write_hygiene(
    spec: Spec, repo: Repo, parts: list[_Part], top: dict[str, Any], texts: dict[str, tuple[str, str]]
) -> None:
    v = dict(top)
    v["codeowners_path"] = repo.codeowners_path
    v["codeowners_extra"] = ""
    if (
        repo.ci == "github-actions"
        and repo.team != "platform"
        and repo.choice("codeowners-ci", {"y": 1, "n": 3}) == "y"
    ):
        v["codeowners_extra"] = "/.github/workflows/ @acme/platform"
    v["license_text"] = fill(spec.licenses[repo.license], v, f"licenses.{repo.license}")
    v["archived_banner"] = (
        "> **Archived.** Read-only; its successor is listed in the service catalog.\n" if repo.archived else ""
    )
    hooks: list[str] = []
    for part in parts:
        hook = fill(part.toolchain.precommit_hooks, v, f"toolchains.{part.toolchain.name}.precommit_hooks")
        if hook and hook not in hooks:
            hooks.append(hook)
    v["precommit_hooks"] = "\n".join(h.rstrip("\n") for h in hooks)
    v["dependabot_updates"] = _dependabot(spec, repo, parts, top)

    items = [item for item in spec.hygiene if item in repo.items and item != "readme"]
    for item in items:
        _write_templates(spec.hygiene[item], v, repo, "", texts, f"hygiene.{item}")
    if "readme" in repo.items:
        tops = sorted({p.split("/", 1)[0] + ("/" if "/" in p else "") for p in texts})
        v["layout"] = "\n".join(f"- `{name}`" for name in tops)
        _write_templates(spec.hygiene["readme"], v, repo, "", texts, "hygiene.readme")


def _dependabot(spec: Spec, repo: Repo, parts: list[_Part], top: Mapping[str, Any]) -> str:
    entries: list[tuple[str, str]] = []
    for part in parts:
        if part.toolchain.dependabot:
            entries.append((fill(part.toolchain.dependabot, part.vars), part.component.at))
    if repo.ci == "github-actions":
        entries.append(("github-actions", ""))
    if top["has_docker"]:
        entries += [("docker", p.component.at) for p in parts if spec.stacks[p.component.stack].docker]
    seen: list[tuple[str, str]] = []
    for entry in entries:
        if entry not in seen:
            seen.append(entry)
    return "\n".join(
        fill(spec.dependabot_update, {"ecosystem": eco, "directory": folder}).rstrip("\n") for eco, folder in seen
    )


def _tabs(text: str) -> str:
    """Four leading spaces become one tab, as gofmt and make expect."""
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 4
        out.append("\t" * depth + line[depth * 4 :])
    return "\n".join(out)
