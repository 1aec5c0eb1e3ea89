"""``prepbook new``: a skeleton that validates, and never overwrites."""

from __future__ import annotations

from pathlib import Path

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.rules import Severity


def test_new_writes_a_valid_skeleton_with_warnings(playbook, cli) -> None:
    root = playbook()
    (root / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\n")
    result = cli("new", "acme-insurance", cwd=root)
    assert result.code == 0, result.out + result.err
    created = root / "workshops" / "acme-insurance.yaml"
    assert "created workshops/acme-insurance.yaml" in result.err
    text = created.read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../content/schema/workshop.schema.json\n"
    )
    assert 'title: "Acme insurance"' in text
    checked = check(Project(Settings(), root))
    assert checked.report.ok
    assert checked.report.findings and all(
        f.severity == Severity.WARNING for f in checked.report.findings
    )
    assert "warning[PB301]: no team members yet" in result.out


def test_new_refuses_to_overwrite(playbook, cli) -> None:
    root = playbook({"taken.yaml": "id: taken\n"})
    result = cli("new", "taken", cwd=root)
    assert result.code == 2 and "already exists" in result.err
    assert (root / "workshops" / "taken.yaml").read_text() == "id: taken\n"


def test_new_refuses_an_invalid_id(tmp_path: Path, cli) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    for bad in ("Acme Insurance", "../escape", "a--b", ""):
        result = cli("new", bad, cwd=tmp_path)
        assert result.code == 2 and "is not a valid id" in result.err, bad
    assert not any(tmp_path.rglob("*.yaml"))


def test_new_in_another_folder(tmp_path: Path, cli) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    result = cli("new", "side-project", "--dir", "elsewhere", cwd=tmp_path)
    assert result.code == 0
    assert (tmp_path / "elsewhere" / "side-project.yaml").is_file()
