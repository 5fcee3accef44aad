"""LocalArtifactRepository: logging, listing, reading, downloading and deleting artifacts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cairn.entities.file_info import FileInfo
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.artifacts import LocalArtifactRepository, SupportsDelete, local_path_to_uri


def _tree(directory: Path) -> dict[str, bytes | None]:
    """Relative path -> bytes (None for directories), to compare whole trees."""
    return {
        p.relative_to(directory).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in directory.rglob("*")
    }


@pytest.fixture
def local_tree(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    (source / "sub" / "deeper").mkdir(parents=True)
    (source / "empty").mkdir()
    (source / "top.txt").write_bytes(b"top")
    (source / "sub" / "mid.bin").write_bytes(b"\x00\x01\x02\x03")
    (source / "sub" / "deeper" / "leaf.json").write_bytes(b'{"a": 1}')
    return source


def test_constructor_does_not_touch_the_disk(artifact_root: Path) -> None:
    root = artifact_root / "not-yet"
    LocalArtifactRepository(str(root))
    assert not root.exists()


def test_first_write_creates_the_root(artifact_root: Path) -> None:
    repo = LocalArtifactRepository(local_path_to_uri(artifact_root / "new" / "root"))
    repo.log_bytes(b"x", "a.txt")
    assert (artifact_root / "new" / "root" / "a.txt").read_bytes() == b"x"


def test_log_bytes_then_read_bytes_round_trips(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"hello \xff", "dir/sub/blob.bin")
    assert repo.read_bytes("dir/sub/blob.bin") == b"hello \xff"


def test_log_bytes_to_the_root_itself_is_rejected(repo: LocalArtifactRepository) -> None:
    with pytest.raises(InvalidParameterValue, match="needs a name"):
        repo.log_bytes(b"x", "./")


def test_local_file_whose_name_decodes_to_the_root_is_rejected_without_writing_outside(
    repo: LocalArtifactRepository, tmp_path: Path, snapshot_outside: Callable[[], object]
) -> None:
    local = tmp_path / "src" / "%2e"
    local.parent.mkdir()
    local.write_bytes(b"x")
    before = snapshot_outside()
    with pytest.raises(InvalidParameterValue, match="needs a name"):
        repo.log_artifact(local)
    assert snapshot_outside() == before


def test_log_artifact_stores_basename_under_artifact_path(
    repo: LocalArtifactRepository, artifact_root: Path, tmp_path: Path
) -> None:
    local = tmp_path / "model.pkl"
    local.write_bytes(b"weights")
    repo.log_artifact(local, "models/v1")
    assert (artifact_root / "models" / "v1" / "model.pkl").read_bytes() == b"weights"


def test_log_artifact_without_path_lands_at_root(
    repo: LocalArtifactRepository, artifact_root: Path, tmp_path: Path
) -> None:
    local = tmp_path / "notes.txt"
    local.write_text("n")
    repo.log_artifact(str(local))
    assert (artifact_root / "notes.txt").read_text() == "n"


def test_log_artifact_of_missing_local_file_is_rejected(
    repo: LocalArtifactRepository, tmp_path: Path
) -> None:
    with pytest.raises(InvalidParameterValue, match="does not exist"):
        repo.log_artifact(tmp_path / "nope.txt")


def test_log_artifacts_copies_nested_tree_including_empty_dirs(
    repo: LocalArtifactRepository, artifact_root: Path, local_tree: Path
) -> None:
    repo.log_artifacts(local_tree, "run")
    assert _tree(artifact_root / "run") == _tree(local_tree)


def test_log_artifacts_without_path_copies_into_root(
    repo: LocalArtifactRepository, artifact_root: Path, local_tree: Path
) -> None:
    repo.log_artifacts(str(local_tree))
    assert _tree(artifact_root) == _tree(local_tree)


def test_log_artifacts_of_missing_local_dir_is_rejected(
    repo: LocalArtifactRepository, tmp_path: Path
) -> None:
    with pytest.raises(InvalidParameterValue, match="does not exist"):
        repo.log_artifacts(tmp_path / "nope")


def test_log_artifacts_writes_nothing_when_one_name_is_unsafe(
    repo: LocalArtifactRepository, artifact_root: Path, local_tree: Path
) -> None:
    (local_tree / "sub" / "deeper" / "bad#name.txt").write_text("x")
    with pytest.raises(InvalidParameterValue, match="'#'"):
        repo.log_artifacts(local_tree, "run")
    assert list(artifact_root.iterdir()) == []


def test_list_root_gives_immediate_children_sorted_with_sizes(
    repo: LocalArtifactRepository, local_tree: Path
) -> None:
    repo.log_artifacts(local_tree)
    assert repo.list_artifacts() == [
        FileInfo("empty", is_dir=True, file_size=None),
        FileInfo("sub", is_dir=True, file_size=None),
        FileInfo("top.txt", is_dir=False, file_size=3),
    ]
    assert repo.list_artifacts("") == repo.list_artifacts(".") == repo.list_artifacts()


def test_list_subdir_gives_paths_relative_to_repository_root(
    repo: LocalArtifactRepository, local_tree: Path
) -> None:
    repo.log_artifacts(local_tree)
    assert repo.list_artifacts("sub/") == [
        FileInfo("sub/deeper", is_dir=True, file_size=None),
        FileInfo("sub/mid.bin", is_dir=False, file_size=4),
    ]
    assert repo.list_artifacts("./sub//deeper") == [FileInfo("sub/deeper/leaf.json", False, 8)]


def test_list_empty_dir_is_empty(repo: LocalArtifactRepository, local_tree: Path) -> None:
    repo.log_artifacts(local_tree)
    assert repo.list_artifacts("empty") == []


def test_list_file_path_is_empty(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"abc", "a.txt")
    assert repo.list_artifacts("a.txt") == []


def test_list_missing_path_is_empty(repo: LocalArtifactRepository) -> None:
    assert repo.list_artifacts("missing/dir") == []


def test_list_of_missing_root_is_empty(artifact_root: Path) -> None:
    assert LocalArtifactRepository(str(artifact_root / "absent")).list_artifacts() == []


def test_list_hides_temporary_and_unaddressable_names(
    repo: LocalArtifactRepository, artifact_root: Path
) -> None:
    repo.log_bytes(b"x", "kept.txt")
    (artifact_root / ".cairn-tmp-0123").write_bytes(b"half")
    (artifact_root / "odd#name").write_bytes(b"made outside cairn")
    (artifact_root / "a%20b").write_bytes(b"would read as 'a b'")
    assert [info.path for info in repo.list_artifacts()] == ["kept.txt"]


def test_open_artifact_streams_a_file(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"0123456789", "data.bin")
    with repo.open_artifact("data.bin") as stream:
        assert stream.read(4) == b"0123"
        assert stream.read() == b"456789"


def test_read_of_missing_artifact_raises_resource_does_not_exist(
    repo: LocalArtifactRepository,
) -> None:
    with pytest.raises(ResourceDoesNotExist):
        repo.read_bytes("missing.txt")
    with pytest.raises(ResourceDoesNotExist):
        repo.open_artifact("dir/missing.txt")


def test_read_of_directory_is_rejected(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"x", "dir/a.txt")
    with pytest.raises(InvalidParameterValue, match="is a directory"):
        repo.read_bytes("dir")


def test_download_file_keeps_its_relative_path_under_destination(
    repo: LocalArtifactRepository, tmp_path: Path
) -> None:
    repo.log_bytes(b"payload", "sub/a.txt")
    local = repo.download_artifacts("sub/a.txt", tmp_path / "dst")
    assert local == tmp_path / "dst" / "sub" / "a.txt"
    assert local.read_bytes() == b"payload"


def test_download_directory_copies_equal_contents(
    repo: LocalArtifactRepository, local_tree: Path, tmp_path: Path
) -> None:
    repo.log_artifacts(local_tree, "run")
    local = repo.download_artifacts("run", tmp_path / "dst")
    assert local == tmp_path / "dst" / "run"
    assert _tree(local) == _tree(local_tree)


def test_download_root_copies_everything(
    repo: LocalArtifactRepository, local_tree: Path, tmp_path: Path
) -> None:
    repo.log_artifacts(local_tree)
    local = repo.download_artifacts("", tmp_path / "dst")
    assert local == tmp_path / "dst"
    assert _tree(local) == _tree(local_tree)


def test_download_defaults_to_a_new_temporary_directory(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"x", "a.txt")
    first = repo.download_artifacts("a.txt")
    second = repo.download_artifacts("a.txt")
    assert first.read_bytes() == b"x"
    assert first.parent != second.parent
    assert first.parent.name.startswith("cairn-artifacts-")


def test_download_of_missing_artifact_raises_resource_does_not_exist(
    repo: LocalArtifactRepository, tmp_path: Path
) -> None:
    with pytest.raises(ResourceDoesNotExist):
        repo.download_artifacts("missing", tmp_path / "dst")
    assert not (tmp_path / "dst").exists()


def test_overwrite_replaces_content_and_size(repo: LocalArtifactRepository, tmp_path: Path) -> None:
    repo.log_bytes(b"a long first version", "a.txt")
    repo.log_bytes(b"short", "a.txt")
    assert repo.read_bytes("a.txt") == b"short"
    local = tmp_path / "a.txt"
    local.write_bytes(b"third")
    repo.log_artifact(local)
    assert repo.list_artifacts() == [FileInfo("a.txt", is_dir=False, file_size=5)]


def test_failed_write_keeps_old_content_and_leaves_no_temporary_file(
    repo: LocalArtifactRepository, artifact_root: Path
) -> None:
    repo.log_bytes(b"old", "a.txt")
    with pytest.raises(TypeError):
        repo.log_bytes("not bytes", "a.txt")  # type: ignore[arg-type]
    assert repo.read_bytes("a.txt") == b"old"
    assert [p.name for p in artifact_root.iterdir()] == ["a.txt"]


def test_file_cannot_replace_a_directory(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"x", "dir/a.txt")
    with pytest.raises(InvalidParameterValue, match="directory cannot become a file"):
        repo.log_bytes(b"y", "dir")
    assert repo.read_bytes("dir/a.txt") == b"x"


def test_file_cannot_become_a_directory(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"x", "a.txt")
    with pytest.raises(InvalidParameterValue, match="file already exists"):
        repo.log_bytes(b"y", "a.txt/b.txt")
    assert repo.read_bytes("a.txt") == b"x"


def test_local_repository_supports_delete(repo: LocalArtifactRepository) -> None:
    assert isinstance(repo, SupportsDelete)


def test_delete_file_and_directory(repo: LocalArtifactRepository, local_tree: Path) -> None:
    repo.log_artifacts(local_tree)
    repo.delete_artifacts("top.txt")
    repo.delete_artifacts("sub")
    assert [info.path for info in repo.list_artifacts()] == ["empty"]


def test_delete_without_path_removes_the_whole_root(
    repo: LocalArtifactRepository, artifact_root: Path
) -> None:
    repo.log_bytes(b"x", "a/b.txt")
    repo.delete_artifacts()
    assert not artifact_root.exists()
    assert repo.list_artifacts() == []


def test_delete_of_missing_artifact_is_a_no_op(repo: LocalArtifactRepository) -> None:
    repo.delete_artifacts("missing/x.txt")
    repo.delete_artifacts()


UNSAFE = [
    "../escape.txt",
    "%2e%2e/escape.txt",
    "%252e%252e%252fescape.txt",
    "/abs.txt",
    "..\\escape.txt",
    "C:/escape.txt",
    "a\x00b",
    "//host/x",
    "a#b",
    "a;b",
    "a?b",
]


@pytest.mark.parametrize("path", UNSAFE)
def test_rejected_paths_leave_everything_outside_the_root_unchanged(
    repo: LocalArtifactRepository,
    artifact_root: Path,
    local_tree: Path,
    outside: Path,
    snapshot_outside: Callable[[], object],
    path: str,
) -> None:
    local_file = local_tree / "top.txt"
    before = snapshot_outside()
    calls: list[Callable[[], object]] = [
        lambda: repo.log_bytes(b"pwned", path),
        lambda: repo.log_bytes(b"pwned", f"{path}/x.txt"),
        lambda: repo.log_artifact(local_file, path),
        lambda: repo.log_artifacts(local_tree, path),
        lambda: repo.list_artifacts(path),
        lambda: repo.read_bytes(path),
        lambda: repo.download_artifacts(path, outside / "dst"),
        lambda: repo.delete_artifacts(path),
    ]
    for call in calls:
        with pytest.raises(InvalidParameterValue):
            call()
        assert snapshot_outside() == before
    assert list(artifact_root.iterdir()) == []
