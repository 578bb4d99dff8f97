"""Issue 18 point 4: schemas editors can use. Every schema is valid against its metaschema
(draft 2020-12), and every shipped record validates against its type's schema with
check-jsonschema's default regular-expression engine (ECMA-262, as editors use): the patterns are
written in that syntax, and they still refuse what validate refuses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from secstatus.domain.model import RECORD_FOLDERS
from secstatus.output.schemas import DIALECT, MODELINE, editor_settings, schema_names

CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=os.path.dirname(sys.executable)) or "check-jsonschema"
NAMES = {t.name: folder for folder, t in RECORD_FOLDERS.items()}


def check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    """check-jsonschema, offline: the schemas are local files and the metaschemas are its own."""
    return subprocess.run([CHECK_JSONSCHEMA, "--no-cache", "--color", "never", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> Path:
    """``secstatus schema --out``, and ``--type all`` beside it as all.schema.json."""
    folder = tmp_path_factory.mktemp("schemas")
    from click.testing import CliRunner

    from secstatus.cli import main

    done = CliRunner().invoke(main, ["schema", "--out", str(folder)])
    assert done.exit_code == 0, done.output
    (folder / "all.schema.json").write_text(CliRunner().invoke(main, ["schema"]).stdout)
    return folder


def test_out_writes_one_file_per_type_the_same_as_printed(schemas: Path, cli):
    assert sorted(p.name for p in schemas.iterdir()) == sorted(
        [*(f"{n}.schema.json" for n in NAMES), "all.schema.json"]
    )
    for name in NAMES:
        printed = cli("schema", "--type", name).stdout
        assert (schemas / f"{name}.schema.json").read_text() == printed


def test_each_schema_names_its_dialect_and_itself(schemas: Path):
    ids = set()
    for path in schemas.iterdir():
        schema = json.loads(path.read_text())
        assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
        ids.add(schema["$id"])
    assert len(ids) == len(NAMES) + 1


@pytest.mark.slow
def test_every_schema_is_valid_against_its_metaschema(schemas: Path):
    files = sorted(str(p) for p in schemas.iterdir())
    done = check_jsonschema("--check-metaschema", *files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\\x{" not in "".join(Path(f).read_text() for f in files)  # PCRE's escape, not ECMA-262's


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_shipped_record_validates_against_its_schema(schemas: Path, name: str):
    records = sorted(str(p) for p in (DATA / NAMES[name]).glob("*.yaml"))
    assert records, name
    for schema in (f"{name}.schema.json", "all.schema.json"):
        done = check_jsonschema("--schemafile", str(schemas / schema), *records)
        assert done.returncode == 0, (schema, done.stdout + done.stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda text: text.replace("title: ", "titel: ", 1), "'titel' was unexpected"),
        (lambda text: text.replace("title: ", "title: '   ' #", 1), "does not match"),
        (lambda text: text.replace("title: ", 'title: "A\\u2028B" #', 1), "does not match"),
        (lambda text: text.replace("title: ", 'title: "A\\x85B" #', 1), "does not match"),
    ],
)
def test_the_schema_refuses_what_validate_refuses(schemas: Path, tmp_path: Path, change, why: str, cli):
    """The patterns are enforced by the ECMA-262 engine, not just accepted: a line separator or
    NEL in a one-line field, a title of spaces, an unknown field."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    record = data / "modifications" / "SECMP0046.yaml"
    record.write_text(change(record.read_text()))
    done = check_jsonschema("--schemafile", str(schemas / "modification.schema.json"), str(record))
    assert done.returncode == 1 and why in done.stdout, done.stdout + done.stderr
    assert cli("--data", str(data), "validate").exit_code == 1


def test_out_writes_no_file_through_a_symlink(tmp_path: Path, cli):
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("mine")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "release.schema.json").symlink_to(elsewhere)
    result = cli("schema", "--out", str(tmp_path / "schemas"))
    assert result.exit_code == 1 and "release.schema.json: is a symlink or not a regular file" in result.stderr
    assert elsewhere.read_text() == "mine" and sorted(os.listdir(tmp_path / "schemas")) == ["release.schema.json"]


def test_editor_settings_map_each_schema_to_its_folder():
    mapping = editor_settings()["yaml.schemas"]
    assert mapping == {f"./schemas/{name}.schema.json": f"data/{folder}/*.yaml" for name, folder in NAMES.items()}
    assert set(schema_names()) == set(NAMES)


@pytest.mark.slow
def test_init_wires_the_schemas_for_editors_and_new_records_point_at_theirs(tmp_path: Path, cli):
    repo = tmp_path / "register"
    assert cli("init", str(repo), "--requirement", "secstatus==0.1.0").exit_code == 0
    settings = json.loads((repo / ".vscode" / "settings.json").read_text())
    for schema, pattern in settings["yaml.schemas"].items():
        assert (repo / schema).is_file() and (repo / Path(pattern).parent).is_dir(), schema
    assert json.loads((repo / ".vscode" / "extensions.json").read_text())["recommendations"] == ["redhat.vscode-yaml"]
    data = repo / "data"
    made = [
        cli("--data", str(data), "new", "dp", "--title", "An idea", "--proposer", "Ann", "--raised", "2019-06-03"),
        cli("--data", str(data), "new", "meeting", "working-group", "2019-06-05"),
        cli("--data", str(data), "new", "report", "2019-06", "--author", "Ann"),
        cli("--data", str(data), "new", "sec-version", "6.13", "--effective", "2019-06-27", "--designation", "BEIS"),
    ]
    assert [r.exit_code for r in made] == [0, 0, 0, 0], [r.stderr for r in made]
    records = sorted(p for p in data.rglob("*.yaml"))
    assert len(records) == 4
    for record in records:
        first = record.read_text().splitlines()[0]
        assert first.startswith(MODELINE), record
        schema = (record.parent / first[len(MODELINE) :]).resolve()
        assert schema == (repo / "schemas" / f"{RECORD_FOLDERS[record.parent.name].name}.schema.json"), record
        done = check_jsonschema("--schemafile", str(schema), str(record))
        assert done.returncode == 0, done.stdout
    assert cli("--data", str(data), "validate", "--strict").exit_code == 0


def test_a_register_without_schemas_gets_no_schema_line(data_copy: Path, cli):
    assert not (data_copy.parent / "schemas").exists()
    made = cli("--data", str(data_copy), "new", "meeting", "working-group", "2019-06-12")
    assert made.exit_code == 0, made.stderr
    assert (data_copy / "meetings" / "2019-06-12-working-group.yaml").read_text().startswith("# A working-group")


def test_the_kit_readme_says_how_to_refresh_the_schemas():
    readme = (ROOT / "src" / "secstatus" / "kit" / "README.md").read_text()
    assert "secstatus schema --out schemas" in readme
