"""The JSON Schema of each record type, for editors (yaml-language-server) and schema checkers.

Rules: each schema is the record model's own (Pydantic's ``model_json_schema``: unknown fields
refused, the same patterns as ``validate``, written in ECMA-262 syntax as JSON Schema requires),
declared as draft 2020-12 (``$schema``) with an ``$id`` that names the type and this version.
``all_schema`` is one valid schema that holds every type's (as embedded resources) and accepts a
record of any type. A register made by ``secstatus init`` keeps them in ``schemas/<type>.schema.json``
beside ``data/`` (``secstatus schema --out schemas`` refreshes them after an upgrade); a new record
written there starts with the ``# yaml-language-server: $schema=`` line that points at its type's.
The schemas say what a record may hold, not every rule across records: ``validate`` stays the check.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..domain.diagnostics import Refusal
from ..domain.model import RECORD_FOLDERS
from .files import write_output

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FOLDER = "schemas"
"""The register repository's folder for the schemas, beside ``data/``."""
MODELINE = "# yaml-language-server: $schema="


class SchemaError(Refusal, ValueError):
    """The schemas could not be written; the message says why."""


def schema_names() -> tuple[str, ...]:
    """``modification``, ``release``, ``sec-version``, …: each record type's name (``RECORD_FOLDERS``)."""
    return tuple(t.name for t in RECORD_FOLDERS.values())


def schema_id(name: str) -> str:
    """The ``$id`` of a type's schema (or of ``all``): a name for this version's schema, not an address."""
    return f"urn:secstatus:{__version__}:schema:{name}"


def record_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the record type called ``name``."""
    [model] = [t.model for t in RECORD_FOLDERS.values() if t.name == name]
    return {"$schema": DIALECT, "$id": schema_id(name), **model.model_json_schema()}


def all_schema() -> dict[str, Any]:
    """One schema for a record of any type: each type's schema embedded under ``$defs``."""
    names = schema_names()
    return {
        "$schema": DIALECT,
        "$id": schema_id("all"),
        "title": "A secstatus record of any type",
        "anyOf": [{"$ref": schema_id(name)} for name in names],
        "$defs": {name: record_schema(name) for name in names},
    }


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_file(name: str) -> str:
    return f"{name}.schema.json"


def write_schemas(folder: Path) -> list[Path]:
    """Write every type's schema into ``folder`` (made if missing), atomically, file by file. A
    symlink at the folder or at a schema's path (a pull request could commit one) is refused
    before anything is written."""
    folder = Path(folder)
    targets = [folder / schema_file(name) for name in schema_names()]
    for path in (folder, *targets):
        if path.is_symlink() or (path != folder and path.exists() and not path.is_file()):
            raise SchemaError(
                f"{path}: is a symlink or not a regular file; the schemas are written only as "
                "regular files: remove it and run the command again; nothing was written"
            )
    if folder.exists() and not folder.is_dir():
        raise SchemaError(f"{folder}: not a folder; nothing was written")
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in zip(schema_names(), targets, strict=True):
        write_output(path, schema_text(record_schema(name)).encode("utf-8"))
    return targets


def editor_settings() -> dict[str, Any]:
    """The ``yaml.schemas`` setting (VS Code's YAML extension, yaml-language-server): each schema
    for its record folder's files, paths relative to the repository."""
    return {
        "yaml.schemas": {
            f"./{FOLDER}/{schema_file(t.name)}": f"data/{folder}/*.yaml" for folder, t in RECORD_FOLDERS.items()
        }
    }


def modeline(data_root: Path, folder: str) -> str:
    """The first line of a new record in ``folder``: it points editors at its type's schema,
    relative to the record, when the repository keeps that schema (``schemas/``); else nothing."""
    schema = Path(data_root).parent / FOLDER / schema_file(RECORD_FOLDERS[folder].name)
    if not schema.is_file():
        return ""
    relative = os.path.relpath(schema, Path(data_root) / folder)
    return f"{MODELINE}{Path(relative).as_posix()}\n"
