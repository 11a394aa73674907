"""The Ruby detector: Gemfile, Gemfile.lock, *.gemspec, .ruby-version."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import ruby
from collectors.detectors.parsing import ParseError
from collectors.detectors.ruby import (
    group_scope,
    parse_gemfile,
    parse_gemfile_lock,
    parse_gemspec,
    parse_ruby_version,
)
from collectors.facts import Facts, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

detect_in = partial(detect_with, ruby.detect)


def deps_of(facts: Facts) -> set[tuple[str, str | None, str | None, str, str]]:
    return {(d.name, d.declared, d.resolved, d.scope, d.manifest) for d in facts.dependencies}


GEMFILE = """\
source "https://rubygems.org"
git_source(:github) { |repo| "https://github.com/#{repo}.git" }

ruby "3.2.2"

# Bundle edge Rails instead: gem "rails", github: "rails/rails", branch: "main"
gem "rails", "~> 7.1.2"
gem 'pg', '>= 0.18', '< 2.0'
gem "puma", ">= 5.0", require: false
gem("redis", "~> 5.0")
gem "sidekiq", github: "sidekiq/sidekiq", branch: "7-x"
gem "tzinfo-data", platforms: %i[ windows jruby ]
gem "bootsnap", require: false if ENV["BOOTSNAP"]
gem "importmap-rails", :require => false, :group => :assets
gem "engine", path: "engines/engine"
gem "rubocop-rails", group: :lint
gem "faker", groups: [:development, :test], require: false
gem "image_processing",
    "~> 1.2",
    require: false

%w[jbuilder turbo-rails].each do |name|
  gem name
end

group :development, :test do
  gem "debug", platforms: %i[ mri windows ]
  gem "rspec-rails", "~> 6.1"
end

group :development do
  gem "web-console"
  if RUBY_PLATFORM =~ /darwin/
    gem "terminal-notifier"
  end
end

group :test do
  gem "capybara"; gem "selenium-webdriver"
  group :ci do
    gem "simplecov", require: false
  end
end

group :ops, optional: true do
  gem "newrelic_rpm"
end

path "components" do
  gem "billing"
end

git "https://github.com/rails/rails.git", tag: "v7.1.3" do
  gem "activejob"
  gem "actioncable", "7.1.3"
end
"""


def test_gemfile_gems_with_constraints_and_group_scopes() -> None:
    parsed = parse_gemfile(GEMFILE, "Gemfile")
    assert {(d.name, d.declared, d.scope) for d in parsed.dependencies} == {
        ("rails", "~> 7.1.2", "runtime"),
        ("pg", ">= 0.18, < 2.0", "runtime"),
        ("puma", ">= 5.0", "runtime"),
        ("redis", "~> 5.0", "runtime"),
        ("sidekiq", "git+https://github.com/sidekiq/sidekiq.git@7-x", "runtime"),
        ("tzinfo-data", None, "runtime"),
        ("bootsnap", None, "runtime"),
        ("importmap-rails", None, "runtime"),  # assets: an unknown group is installed by default
        ("rubocop-rails", None, "dev"),
        ("faker", None, "dev"),
        ("image_processing", "~> 1.2", "runtime"),
        ("debug", None, "dev"),  # development + test: the broader one
        ("rspec-rails", "~> 6.1", "dev"),
        ("web-console", None, "dev"),
        ("terminal-notifier", None, "dev"),  # an `if` inside a group keeps the group
        ("capybara", None, "test"),
        ("selenium-webdriver", None, "test"),
        ("simplecov", None, "test"),
        ("newrelic_rpm", None, "optional"),
        ("activejob", "git+https://github.com/rails/rails.git@v7.1.3", "runtime"),
        ("actioncable", "7.1.3", "runtime"),
    }  # engine and billing are path gems: this repository's own code
    assert all(d.ecosystem == "rubygems" and d.manifest == "Gemfile" for d in parsed.dependencies)
    assert parsed.runtimes == [Runtime("ruby", "3.2.2", evidence="Gemfile")]
    assert parsed.warnings == ["line 23: gem: the name is not a string literal; not read"]


@pytest.mark.parametrize(
    ("groups", "scope"),
    [
        ((), "runtime"),
        (("test",), "test"),
        (("development",), "dev"),
        (("development", "test"), "dev"),
        (("test", "production"), "runtime"),
        (("jobs",), "runtime"),
        (("Test", "CI"), "test"),
        (("rubocop", "ci"), "dev"),
    ],
)
def test_group_scope_is_the_broadest_of_the_groups(groups: tuple[str, ...], scope: str) -> None:
    assert group_scope(groups) == scope


@pytest.mark.parametrize(
    ("line", "runtime", "files"),
    [
        ('ruby "~> 3.3.0"', "~> 3.3.0", []),
        ("ruby '3.1.4', engine: 'ruby', engine_version: '3.1.4'", "3.1.4", []),
        ('ruby file: ".ruby-version"', None, [".ruby-version"]),
        ('ruby File.read(".ruby-version").strip', None, [".ruby-version"]),
        ("ruby File.read(File.join(__dir__, '.ruby-version')).chomp", None, [".ruby-version"]),
    ],
)
def test_ruby_directive(line: str, runtime: str | None, files: list[str]) -> None:
    parsed = parse_gemfile(line + "\n", "app/Gemfile")
    assert parsed.runtimes == ([Runtime("ruby", runtime, evidence="app/Gemfile")] if runtime else [])
    assert parsed.ruby_files == files
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("end\n", "line 1: `end` without a block"),
        ("group :test do\n", "1 block(s) never closed with `end`"),
        ("gem ENV['GEM']\n", "line 1: gem: the name is not a string literal; not read"),
        ("gem :rails\n", "line 1: gem: the name is not a string literal; not read"),
        ("gem\n", "line 1: gem: the name is not a string literal; not read"),
        ('gem "#{prefix}-client"\n', "line 1: gem: the name is not a string literal; not read"),
        ("ruby RUBY_VERSION\n", "line 1: ruby: the version is computed, not written"),
    ],
)
def test_gemfile_problems_are_warnings_and_the_rest_counts(text: str, problem: str) -> None:
    parsed = parse_gemfile('gem "ok", "1.0"\n' + text.replace("line 1", "line 2"), "Gemfile")
    assert [(d.name, d.declared) for d in parsed.dependencies] == [("ok", "1.0")]
    assert parsed.warnings == [problem.replace("line 1", "line 2")]


def test_interpolated_version_is_left_out_but_the_gem_counts() -> None:
    parsed = parse_gemfile('gem "rails", "~> #{RAILS_VERSION}"\n', "Gemfile")
    assert [(d.name, d.declared) for d in parsed.dependencies] == [("rails", None)]


def test_absurdly_nested_brackets_are_a_parse_error() -> None:
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_gemfile('gem "x", ' + "[" * 1000 + "]" * 1000, "Gemfile")


LOCK = """\
GIT
  remote: https://github.com/sidekiq/sidekiq.git
  revision: 0123456789abcdef
  branch: 7-x
  specs:
    sidekiq (7.2.1)
      redis-client (>= 0.19.0)

PATH
  remote: engines/engine
  specs:
    engine (0.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.16.0-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.16.0-x86_64-linux)
      racc (~> 1.4)
    pg (1.5.4)
    puma (6.4.2)
      nio4r (~> 2.0)
    rails (7.1.3)
      actionpack (= 7.1.3)
    rspec-rails (6.1.1)
    rails-html-sanitizer (1.6.0.rc2)

PLATFORMS
  arm64-darwin-23
  x86_64-linux

DEPENDENCIES
  pg (>= 0.18, < 2.0)
  rails (~> 7.1.2)
  sidekiq!

RUBY VERSION
   ruby 3.2.2p53

BUNDLED WITH
   2.5.4
"""


def test_gemfile_lock_specs_without_platform_suffix() -> None:
    lock = parse_gemfile_lock(LOCK)
    assert lock.specs == {
        "sidekiq": {"7.2.1"},
        "engine": {"0.1.0"},
        "nokogiri": {"1.16.0"},
        "pg": {"1.5.4"},
        "puma": {"6.4.2"},
        "rails": {"7.1.3"},
        "rspec-rails": {"6.1.1"},
        "rails-html-sanitizer": {"1.6.0.rc2"},
    }  # "racc (~> 1.4)" and "actionpack (= 7.1.3)" are dependencies of specs, not specs
    assert lock.ruby == "3.2.2"
    assert lock.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("GEM\n  specs:\n    rails 7.1.3\n", "line 3: expected `    name (version)`, found 'rails 7.1.3'"),
        ("GEM\n  specs:\n    rails (7.1.3\n", "line 3: expected `    name (version)`"),
        ("GEM\n  remote: x\n    rails (7.1.3)\n", "line 3: a spec outside `specs:`"),
    ],
)
def test_broken_lock_lines_are_warnings(text: str, problem: str) -> None:
    lock = parse_gemfile_lock(text + "GEM\n  specs:\n    ok (1.0)\n")
    assert len(lock.warnings) == 1 and lock.warnings[0].startswith(problem)
    assert lock.specs["ok"] == {"1.0"}


@pytest.mark.parametrize("text", ["", "rails (7.1.3)\n", "PLATFORMS\n  ruby\n", "<<<<<<< HEAD\n"])
def test_a_file_without_sources_is_not_a_gemfile_lock(text: str) -> None:
    with pytest.raises(ParseError, match=r"not a Gemfile\.lock"):
        parse_gemfile_lock(text)


GEMSPEC = """\
# frozen_string_literal: true

require_relative "lib/acme/client/version"

Gem::Specification.new do |spec|
  spec.name = "acme-client"
  spec.version = Acme::Client::VERSION
  spec.required_ruby_version = ">= 3.0.0"

  spec.add_dependency "faraday", ">= 1.0", "< 3"
  spec.add_runtime_dependency(%q<zeitwerk>.freeze, ["~> 2.6"])
  spec.add_development_dependency "rspec", "~> 3.12"
  spec.add_development_dependency "rake"
end
"""


def test_gemspec_dependencies_and_required_ruby_version() -> None:
    parsed = parse_gemspec(GEMSPEC, "acme-client.gemspec")
    assert {(d.name, d.declared, d.scope) for d in parsed.dependencies} == {
        ("faraday", ">= 1.0, < 3", "runtime"),
        ("zeitwerk", "~> 2.6", "runtime"),
        ("rspec", "~> 3.12", "dev"),
        ("rake", None, "dev"),
    }
    assert parsed.runtimes == [Runtime("ruby", ">= 3.0.0", evidence="acme-client.gemspec")]


@pytest.mark.parametrize(
    ("path", "text", "version"),
    [
        (".ruby-version", "3.3.0\n", "3.3.0"),
        (".ruby-version", "ruby-3.2.2\n", "3.2.2"),
        (".ruby-version", "jruby-9.4.5.0", "jruby-9.4.5.0"),
        (".tool-versions", "nodejs 20.11.0\nruby 3.1.4 3.0.6\n", "3.1.4"),
    ],
)
def test_ruby_version_files(path: str, text: str, version: str) -> None:
    assert parse_ruby_version(text, path) == Runtime("ruby", version, evidence=path)


def test_gemfile_and_gemspec_resolved_from_their_lock(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "Gemfile": 'source "https://rubygems.org"\nruby file: ".ruby-version"\ngemspec\n'
            'gem "rails", "~> 7.1.2"\ngem "pg"\ngroup :test do\n  gem "rspec-rails"\nend\ngem "unlocked"\n',
            "Gemfile.lock": LOCK,
            ".ruby-version": "ruby-3.2.2\n",
            "acme.gemspec": 'Gem::Specification.new do |s|\n  s.add_dependency "puma", "~> 6.0"\nend\n',
            "tools/gems.rb": 'gem "nokogiri"\n',
            "tools/gems.locked": "GEM\n  specs:\n    nokogiri (1.15.5-x86_64-linux)\n",
            "vendor/bundle/ruby/3.2.0/gems/x/Gemfile": 'gem "ignored"\n',
        },
    )
    assert deps_of(facts) == {
        ("rails", "~> 7.1.2", "7.1.3", "runtime", "Gemfile"),
        ("pg", None, "1.5.4", "runtime", "Gemfile"),
        ("rspec-rails", None, "6.1.1", "test", "Gemfile"),
        ("unlocked", None, None, "runtime", "Gemfile"),
        ("puma", "~> 6.0", "6.4.2", "runtime", "acme.gemspec"),
        ("nokogiri", None, "1.15.5", "runtime", "tools/gems.rb"),
    }
    assert set(facts.runtimes) == {
        Runtime("ruby", "3.2.2", ".ruby-version"),  # read once though the Gemfile points at it
        Runtime("ruby", "3.2.2", "Gemfile.lock"),
    }
    assert len(facts.runtimes) == 2
    assert facts.warnings == []


@pytest.mark.parametrize(
    ("files", "warnings"),
    [
        ({"Gemfile": b"\x00\x01binary"}, {("Gemfile", "not readable as text (binary content)")}),
        (
            {"Gemfile": 'gem "a"\n', "Gemfile.lock": "not a lock\n"},
            {("Gemfile.lock", "no GEM, GIT or PATH section: not a Gemfile.lock")},
        ),
        (
            {"Gemfile": 'ruby file: ".ruby-version"\n'},
            {("Gemfile", "ruby file: .ruby-version is not in the repository")},
        ),
        ({"Gemfile": 'ruby file: "../../etc/v"\n'}, {("Gemfile", "ruby file: ../../etc/v is not in the repository")}),
        ({".ruby-version": "# nothing\n"}, {(".ruby-version", "names no Ruby version")}),
        ({"Gemfile": 'gem "x", ' + "(" * 500}, {("Gemfile", "line 1: brackets nested too deeply")}),
    ],
)
def test_broken_ruby_files_are_warnings(
    tmp_path: Path, files: dict[str, str | bytes], warnings: set[tuple[str, str]]
) -> None:
    facts = detect_in(tmp_path, files)
    assert {(w.path, w.message) for w in facts.warnings} == warnings


def test_utf16_gemfile_with_bom_is_read(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"Gemfile": 'gem "rack", "~> 3.0"\n'.encode("utf-16")})
    assert [(d.name, d.declared) for d in facts.dependencies] == [("rack", "~> 3.0")]


# --- never an exception -------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b"\"'%([{}]):#,; \n=>|", max_edits=12)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(GEMFILE.encode()), mutated(GEMSPEC.encode())))
def test_any_bytes_as_gemfile_or_gemspec_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    for parse in (parse_gemfile, parse_gemspec):
        try:
            parsed = parse(text, "Gemfile")
        except ParseError as err:
            assert "\n" not in str(err)
            continue
        assert all(isinstance(w, str) and "\n" not in w for w in parsed.warnings)
        assert all(d.name and type(d.name) is str for d in parsed.dependencies)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(LOCK.encode())))
def test_any_bytes_as_gemfile_lock_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    try:
        lock = parse_gemfile_lock(text)
    except ParseError:
        return
    assert all(w.startswith("line ") for w in lock.warnings)
    assert all(versions for versions in lock.specs.values())


def test_gemspec_dependency_with_a_blank_name_is_a_warning_not_a_nameless_gem() -> None:
    parsed = parse_gemspec(
        'Gem::Specification.new do |spec|\n  spec.add_dependency" "faraday", ">= 1.0"\nend\n', "x.gemspec"
    )
    assert parsed.dependencies == []
    assert parsed.warnings == ["line 2: add_dependency: expected a gem name as a string"]
