"""The local source: finding repositories, listing and reading them through git, never escaping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from collectors.repo_view import MAX_READ_BYTES, FileTooLarge, decode_text
from collectors.sources.local import LocalFolderView, LocalGitRepoView, find_repositories, iter_views
from tests.gitrepo import git, make_repo, open_repo


def test_finds_repositories_at_any_depth_without_descending_into_one(tmp_path: Path) -> None:
    make_repo(tmp_path / "a", {"x.py": "1"})
    make_repo(tmp_path / "team" / "deep" / "b", {"x.py": "1"})
    make_repo(tmp_path / "a" / "nested-clone", {"y.py": "2"})  # inside a: belongs to a
    make_repo(tmp_path / "team" / "node_modules" / "c", {"z.js": "3"})  # dependency folder
    (tmp_path / "plain").mkdir()
    found = [p.relative_to(tmp_path).as_posix() for p in find_repositories(tmp_path)]
    assert found == ["a", "team/deep/b"]


def test_symlinked_folder_is_not_followed_while_searching(tmp_path: Path) -> None:
    outside = make_repo(tmp_path / "outside" / "secret", {"s.py": "1"})
    root = tmp_path / "root"
    make_repo(root / "real", {"x.py": "1"})
    os.symlink(outside.parent, root / "link")
    assert [p.name for p in find_repositories(root)] == ["real"]


def test_root_that_is_itself_a_repository_is_the_only_one(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "solo", {"a.py": "1"})
    assert find_repositories(repo) == [repo.resolve()]


def test_lists_tracked_files_with_sizes_and_reads_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": "hello\n", "src/app.py": "print('hi')\n"})
    (repo / "untracked.py").write_text("not committed")
    view = open_repo(repo)
    try:
        assert view.files() == {"README.md": 6, "src/app.py": 12}
        assert view.read_text("src/app.py") == "print('hi')\n"
        assert view.read("README.md", limit=3) == b"hel"
        assert view.meta.default_branch == "main"
        assert view.meta.head == git(repo, "rev-parse", "HEAD").strip()
        assert view.meta.pushed_at == "2026-01-15T10:00:00+00:00"
    finally:
        view.close()


def test_reads_interleaved_with_large_and_cut_blobs_stay_in_step(tmp_path: Path) -> None:
    big = b"x" * 300_000
    repo = make_repo(tmp_path / "r", {"big.bin": big, "a.txt": "A", "b.txt": "B"})
    view = open_repo(repo)
    try:
        assert view.read("big.bin", limit=10) == b"x" * 10  # rest of the blob skipped
        assert view.read("a.txt") == b"A"
        assert view.read("big.bin") == big
        assert view.read("b.txt") == b"B"
    finally:
        view.close()


def test_symlink_escaping_the_repository_is_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    repo = make_repo(tmp_path / "r", {"a.py": "1"}, symlinks={"leak.txt": str(secret), "pkg/leak": "../../"})
    view = open_repo(repo)
    try:
        assert set(view.files()) == {"a.py"}
        with pytest.raises(FileNotFoundError):
            view.read("leak.txt")
        assert isinstance(view, LocalGitRepoView) and set(view.symlinks) == {"leak.txt", "pkg/leak"}
    finally:
        view.close()


def test_plain_folder_walk_skips_symlinks_and_dependency_folders(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    root = tmp_path / "folder"
    (root / "src").mkdir(parents=True)
    (root / "src" / "main.go").write_text("package main\n")
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "index.js").write_text("1")
    os.symlink(secret, root / "leak.txt")
    os.symlink(tmp_path, root / "loop")
    assert [p for p in iter_views(root)] == [root.resolve()]
    view = LocalFolderView(root, "folder")
    assert view.files() == {"src/main.go": 13}
    assert view.read_text("src/main.go") == "package main\n"


def test_empty_repository_has_no_head_and_no_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "empty", {})
    view = open_repo(repo)
    assert view.meta.head is None
    assert view.meta.default_branch == "main"
    assert view.files() == {}


def test_file_over_the_cap_is_refused_unless_a_limit_is_given(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"huge.json": b"[" + b"1," * (MAX_READ_BYTES // 2) + b"1]"})
    view = open_repo(repo)
    try:
        with pytest.raises(FileTooLarge):
            view.read("huge.json")
        assert view.read("huge.json", limit=4) == b"[1,1"
    finally:
        view.close()


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"plain", "plain"),
        (b'\xef\xbb\xbf{"a": 1}', '{"a": 1}'),
        ("name = 'x'".encode("utf-16"), "name = 'x'"),
        ("é".encode("utf-16-be").join([b"\xfe\xff", b""]), "é"),
        (b"caf\xe9", "café"),  # Latin-1, not UTF-8
        (b"\x89PNG\r\n\x1a\n\x00\x00", None),  # binary
    ],
)
def test_decode_text(raw: bytes, text: str | None) -> None:
    assert decode_text(raw) == text


def test_decode_text_drops_a_character_cut_by_a_read_limit() -> None:
    assert decode_text("ab€".encode()[:-1], truncated=True) == "ab"
    assert decode_text("ab€".encode()[:-1]) == "ab\xe2\x82"  # whole file: Latin-1 as it stands


def test_matching_by_name_anywhere_or_by_path(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "package.json": "{}",
            "web/package.json": "{}",
            "requirements-dev.txt": "",
            ".github/workflows/ci.yml": "",
            "docs/ci.yml": "",
        },
    )
    view = open_repo(repo)
    assert view.matching(["package.json"]) == ["package.json", "web/package.json"]
    assert view.matching(["requirements*.txt"]) == ["requirements-dev.txt"]
    assert view.matching([".github/workflows/*.yml"]) == [".github/workflows/ci.yml"]


def test_prefetched_blobs_read_the_same_as_one_by_one(tmp_path: Path) -> None:
    files = {f"pkg{i}/package.json": f'{{"name": "p{i}"}}' * (i + 1) for i in range(300)}
    files["big.bin"] = b"y" * (2 * 1024 * 1024)  # over the prefetch size: read on demand
    repo = make_repo(tmp_path / "r", files)
    one_by_one = open_repo(repo)
    ahead = open_repo(repo)
    try:
        ahead.prefetch(ahead.matching(["package.json", "big.bin"]))
        for path in files:
            assert ahead.read(path) == one_by_one.read(path)
        assert ahead.read("pkg7/package.json", limit=5) == b'{"nam'
    finally:
        one_by_one.close()
        ahead.close()
