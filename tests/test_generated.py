"""The committed schema and reference pages are exactly what the models generate."""

from __future__ import annotations

import json
import os
import shutil

import jsonschema
import pytest
import yaml

from prepbook.docs import reference as format_reference
from prepbook.docs import schema
from tests.conftest import EXAMPLE_IDS, EXAMPLES, REPO, minimal

CONTENT = REPO / "content"


def test_committed_schema_matches_the_models() -> None:
    committed = (CONTENT / schema.SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema.schema_text(), (
        "run: prepbook schema --out content/schema/workshop.schema.json"
    )


@pytest.mark.parametrize("page", sorted(format_reference.PAGES))
def test_committed_reference_pages_match_the_models(page: str) -> None:
    committed = (CONTENT / page).read_text(encoding="utf-8")
    assert committed == format_reference.PAGES[page](), "run: prepbook docs"


@pytest.mark.parametrize("path", sorted(schema.SCHEMAS))
def test_every_published_schema_matches_its_models(path: str) -> None:
    committed = (CONTENT / path).read_text(encoding="utf-8")
    name = schema.schema_name(path)
    assert committed == schema.schema_text(path), (
        f"run: prepbook schema {name} --out content/{path}"
    )
    document = json.loads(committed)
    assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in committed
    jsonschema.Draft7Validator.check_schema(document)


@pytest.mark.parametrize("path", sorted(schema.SCHEMAS))
def test_every_schema_printed_and_checked_by_the_cli(cli, tmp_path, path: str) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\n")
    name = schema.schema_name(path)
    printed = cli("schema", name, cwd=tmp_path)
    assert printed.code == 0 and json.loads(printed.out) == schema.schema_of(path)
    assert cli("schema", name, "--check", cwd=tmp_path).code == 1
    assert cli("schema", name, "--out", f"content/{path}", cwd=tmp_path).code == 0
    assert cli("schema", name, "--check", cwd=tmp_path).code == 0


def test_drift_check_command_fails_on_a_stale_copy(cli, tmp_path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\n")
    missing = cli("schema", "--check", cwd=tmp_path)
    assert missing.code == 1
    assert missing.err == (
        "content/schema/workshop.schema.json is missing: run 'prepbook schema workshop "
        "--output content/schema/workshop.schema.json' to write it\n"
    )
    assert cli("schema", "--out", "content/schema/workshop.schema.json", cwd=tmp_path).code == 0
    assert cli("schema", "--check", cwd=tmp_path).code == 0
    assert cli("docs", cwd=tmp_path).code == 0
    assert cli("docs", "--check", cwd=tmp_path).code == 0
    page = tmp_path / "content" / format_reference.FORMAT_PAGE
    page.write_text(page.read_text() + "edited by hand\n")
    stale = cli("docs", "--check", cwd=tmp_path)
    assert stale.code == 1 and "out of date: run 'prepbook docs' to regenerate it" in stale.err
    schema_file = tmp_path / "content" / "schema" / "workshop.schema.json"
    schema_file.write_text(schema_file.read_text().replace("workshop", "workshop!", 1))
    drifted = cli("schema", "--check", cwd=tmp_path)
    assert drifted.code == 1 and "is out of date: run 'prepbook schema workshop" in drifted.err


def test_schema_is_draft_07_and_valid() -> None:
    document = schema.workshop_schema()
    assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(document)
    jsonschema.Draft7Validator.check_schema(document)


def test_schema_printed_by_the_cli(cli, tmp_path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    result = cli("schema", cwd=tmp_path)
    assert result.code == 0 and json.loads(result.out) == schema.workshop_schema()


def _as_json_data(text: str) -> object:
    """What an editor's YAML plugin sees: dates as strings, like prepbook's loader."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)
    return yaml.load(text, Loader=Loader)


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_examples_validate_against_the_json_schema(name: str) -> None:
    document = _as_json_data((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema.workshop_schema()).validate(document)


def test_json_schema_rejects_what_the_models_reject() -> None:
    validator = jsonschema.Draft7Validator(schema.workshop_schema())
    good = _as_json_data(minimal())
    assert not list(validator.iter_errors(good))
    bad = _as_json_data(minimal().replace("readiness: ready", "readyness: ready"))
    assert list(validator.iter_errors(bad))


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_examples_point_editors_at_the_schema(name: str) -> None:
    path = EXAMPLES / f"{name}.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (path.parent / first.removeprefix(prefix)).resolve() == (
        CONTENT / schema.SCHEMA_FILE
    ).resolve()


def test_packaged_schema_matches_the_models() -> None:
    """The copy the wheel ships (and ``prepbook init`` writes) is the models' schema."""
    shipped = schema.PACKAGED_SCHEMA.read_text(encoding="utf-8")
    assert shipped == schema.schema_text(), (
        "run: prepbook schema workshop --out prepbook/docs/workshop.schema.json"
    )


def test_schema_check_names_a_drifted_packaged_copy(cli, tmp_path) -> None:
    """``schema --check`` checks the package's copy too: a stale one is named, with the
    command that rewrites it. The package is copied, so the repository's own is untouched."""
    package = tmp_path / "lib" / "prepbook"
    shutil.copytree(REPO / "prepbook", package, ignore=shutil.ignore_patterns("__pycache__"))
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "lib")}
    written = cli("schema", "--out", "content/schema/workshop.schema.json", cwd=project, env=env)
    assert written.code == 0
    assert cli("schema", "--check", cwd=project, env=env).code == 0
    shipped = (package / "docs" / "workshop.schema.json").resolve()
    shipped.write_text(shipped.read_text().replace("workshop", "workshop!", 1))
    drifted = cli("schema", "--check", cwd=project, env=env)
    assert drifted.code == 1
    assert f"{shipped} is out of date: run 'prepbook schema workshop --output {shipped}'" in (
        drifted.err
    )
    shipped.unlink()
    missing = cli("schema", "--check", cwd=project, env=env)
    assert missing.code == 1 and f"{shipped} is missing" in missing.err


@pytest.mark.parametrize("path", sorted(schema.SCHEMAS))
def test_every_schema_has_a_stable_absolute_id(path: str) -> None:
    document = schema.schema_of(path)
    name = schema.schema_name(path)
    assert document["$id"] == f"urn:prepbook:schema:{name}:1"
    committed = json.loads((CONTENT / path).read_text(encoding="utf-8"))
    assert committed["$id"] == document["$id"]


def test_references_resolve_under_the_schema_id() -> None:
    """With a URN as ``$id``, ``#/definitions/...`` still resolves inside the document: a
    nested mistake is found, so the definitions were reached."""
    validator = jsonschema.Draft7Validator(schema.workshop_schema())
    bad = _as_json_data(minimal().replace("likelihood: 2", "likelihood: 9"))
    errors = list(validator.iter_errors(bad))
    assert errors and any("likelihood" in list(e.absolute_path) for e in errors)
