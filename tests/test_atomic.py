"""Files written whole: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import pytest

from nutrigap.atomic import TEMP_SUFFIX, replacing, sweep, write_atomic


def test_a_file_is_written_whole_with_its_folder_made(tmp_path):
    target = tmp_path / "out" / "report.json"
    write_atomic(target, "{}\n")
    write_atomic(target, b"[]\n")
    assert target.read_bytes() == b"[]\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_two_writers_of_one_file_each_have_their_own_temporary_file(tmp_path):
    target = tmp_path / "report.pdf"
    with replacing(target) as first, replacing(target) as second:
        assert first != second
        assert first.name.endswith(TEMP_SUFFIX) and second.name.endswith(TEMP_SUFFIX)
        first.write_bytes(b"the first report")
        second.write_bytes(b"the second, longer report")
    # the inner writer finished first; each rename put a whole file in place
    assert target.read_bytes() == b"the first report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "summary.csv"
    target.write_text("client\nana\n", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target) as temp:
        temp.write_text("client\n", encoding="utf-8")
        raise RuntimeError("killed half-way")
    assert target.read_text(encoding="utf-8") == "client\nana\n"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


def test_the_temporary_files_a_killed_writer_left_are_swept(tmp_path):
    (tmp_path / f".ana.pdf.1a2b3c4d{TEMP_SUFFIX}").write_bytes(b"%PDF-1.7\n1 0 obj")
    (tmp_path / "ana.pdf").write_bytes(b"%PDF-1.7 whole")
    assert sweep(tmp_path) == 1
    assert sweep(tmp_path / "missing") == 0
    assert [p.name for p in tmp_path.iterdir()] == ["ana.pdf"]
