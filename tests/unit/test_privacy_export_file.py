"""The export file holds everything about a person: only its owner can read it, whatever
was left at `<out>.partial`, and a symlink there is never followed."""

from __future__ import annotations

import os
import stat

import pytest

from socialcare_cli.privacy_cli import PrivacyCommandFailed, _write_private


def test_the_export_is_written_whole_and_readable_by_its_owner_only(tmp_path):
    out = tmp_path / "nuria.json"
    _write_private(out, '{"cases": []}')
    assert out.read_text() == '{"cases": []}\n'
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [out]


def test_a_leftover_partial_readable_by_others_is_refused_not_reused(tmp_path):
    # Given a partial left behind, readable by everyone
    out = tmp_path / "nuria.json"
    partial = tmp_path / "nuria.json.partial"
    partial.write_text("left over")
    partial.chmod(0o644)
    # When the export is written
    with pytest.raises(PrivacyCommandFailed) as refused:
        _write_private(out, '{"cases": []}')
    # Then it is refused in one line, and neither file holds her data
    assert "nuria.json.partial" in str(refused.value) and "\n" not in str(refused.value)
    assert not out.exists() and partial.read_text() == "left over"


def test_a_symlink_at_the_partial_is_never_followed(tmp_path):
    # Given a symlink where the partial goes, pointing at a file others can read
    target = tmp_path / "public.txt"
    target.write_text("")
    target.chmod(0o644)
    out = tmp_path / "nuria.json"
    os.symlink(target, tmp_path / "nuria.json.partial")
    # When the export is written
    with pytest.raises(PrivacyCommandFailed):
        _write_private(out, '{"cases": ["her texts"]}')
    # Then nothing was written through it
    assert target.read_text() == "" and not out.exists()
