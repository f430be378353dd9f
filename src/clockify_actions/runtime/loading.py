"""How the pack is loaded: the manifests read, checked against their meta-schemas and
resolved into one JSON document (the bundle), or that document taken from the bundle
built from them when it is current.

It knows actions and triggers only as folders described by manifests; nothing here
names one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clockify_actions.runtime.records import PackError

# What a command does not need is imported where it is used: a run from the bundle with
# valid input needs neither jsonschema, referencing nor yaml (together about as dear to
# import as httpx).
if TYPE_CHECKING:
    from referencing import Registry

# The pack's manifests, resolved and checked, as `scripts/generate.py` writes them.
BUNDLE = Path(__file__).with_name("pack.json")


def pack_root() -> Path:
    """Where manifest.yaml, actions/ and schemas/ are: inside the installed wheel, or
    the source checkout when running from it."""
    packaged = Path(__file__).parents[1] / "_pack"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3]


def _read_yaml(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _check(
    document: Any, meta: Mapping[str, Any], where: Path, registry: Registry[Any] | None = None
) -> None:
    from jsonschema import Draft202012Validator

    validator = (
        Draft202012Validator(meta)
        if registry is None
        else Draft202012Validator(meta, registry=registry)
    )
    problems = sorted(validator.iter_errors(document), key=lambda e: e.json_path)
    if problems:
        lines = "\n".join(f"  {p.json_path}: {p.message}" for p in problems)
        raise PackError(f"{where} does not match its meta-schema:\n{lines}")


def _inline(schema: Any, registry: Registry[Any], base: str = "") -> Any:
    """The schema with every `$ref` replaced by what it points at (sibling keywords such
    as a more specific `description` win), so that tools get one self-contained schema."""
    if isinstance(schema, list):
        return [_inline(item, registry, base) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        resolved = registry.resolver(base).lookup(schema["$ref"])
        target = _inline(resolved.contents, registry, schema["$ref"].split("#")[0] or base)
        siblings = {k: _inline(v, registry, base) for k, v in schema.items() if k != "$ref"}
        return {**target, **siblings}
    return {key: _inline(value, registry, base) for key, value in schema.items()}


def read_pack(base: Path) -> dict[str, Any]:
    """Read manifest.yaml and every action.yaml, check them against the meta-schemas in
    schemas/ and resolve their `$ref`s: the pack as one JSON document (the bundle), with
    the digest of the files it was read from."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schema_files = sorted((base / "schemas").glob("*.yaml"))
    schemas = {path.name: _read_yaml(path) for path in schema_files}
    registry: Registry[Any] = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
        for doc in schemas.values()
    )
    manifest_path = base / "manifest.yaml"
    manifest = _read_yaml(manifest_path)
    _check(manifest, schemas["manifest.schema.yaml"], manifest_path)
    actions: dict[str, dict[str, Any]] = {}
    for name in manifest["actions"]:
        folder = base / "actions" / name
        check_folder(folder, name)
        document = _read_yaml(folder / "action.yaml")
        _check(document, schemas["action.schema.yaml"], folder / "action.yaml")
        if document["name"] != name:
            raise PackError(
                f"{folder / 'action.yaml'} names itself {document['name']!r}, not {name!r}"
            )
        actions[name] = {
            "title": document["title"],
            "description": document["description"],
            "hints": document["hints"],
            "toolset": document["toolset"],
            "clockify": document.get("clockify", []),
            "feature": _feature(document.get("feature"), manifest, folder / "action.yaml"),
            "parameters": _inline(document["parameters"], registry),
            "response": _inline(document["response"], registry),
            "examples": document["examples"],
        }
    triggers: dict[str, dict[str, Any]] = {}
    for name in manifest.get("triggers", []):
        folder = base / "triggers" / name
        check_folder(folder, name, "trigger.yaml")
        document = _read_yaml(folder / "trigger.yaml")
        _check(document, schemas["trigger.schema.yaml"], folder / "trigger.yaml", registry)
        if document["name"] != name:
            raise PackError(
                f"{folder / 'trigger.yaml'} names itself {document['name']!r}, not {name!r}"
            )
        triggers[name] = {
            key: _inline(document[key], registry) for key in document if key != "name"
        }
    options = _options_from(manifest.get("options_from", {}), actions, manifest_path)
    for subject in (*actions.values(), *triggers.values()):
        subject["parameters"] = form_fields(subject["parameters"], options)
    return {
        "digest": _source_digest(base, manifest),
        "manifest": manifest,
        "actions": actions,
        "triggers": triggers,
    }


def _feature(name: str | None, manifest: dict[str, Any], path: Path) -> dict[str, str] | None:
    """The paid module an action names, with what it needs, from manifest.yaml's
    `features`; naming one that table lacks is a broken pack."""
    if name is None:
        return None
    features: dict[str, str] = manifest.get("features", {})
    if name not in features:
        raise PackError(f"{path} names feature {name!r}, which features: of manifest.yaml lacks")
    return {"name": name, "needs": features[name]}


# Words a parameter's derived title spells otherwise than capitalized.
_TITLE_WORDS = {"id": "ID", "ids": "IDs", "url": "URL"}


def title_for(name: str) -> str:
    """A form label derived from a parameter's name: `tag_ids` is "Tag IDs"."""
    words = [_TITLE_WORDS.get(word, word) for word in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def _options_from(
    table: Mapping[str, Mapping[str, str]], actions: Mapping[str, Any], where: Path
) -> dict[str, dict[str, Any]]:
    """The manifest's `options_from` rows, each checked against the action it names (its
    result's list and the items' value and label fields) and given that action's own
    required parameters, which a form passes on when it asks for the choices."""
    options: dict[str, dict[str, Any]] = {}
    for parameter, row in table.items():
        action = actions.get(row["action"])
        listed = action and action["response"]["properties"].get(row["items"], {})
        fields = (listed or {}).get("items", {}).get("properties", {})
        if not action or row["value"] not in fields or row["label"] not in fields:
            raise PackError(
                f"{where}: options_from.{parameter} names no action listing {row['items']} "
                f"with {row['value']} and {row['label']} fields"
            )
        unknown = [name for name in row.get("find", []) if name not in actions]
        if unknown:
            raise PackError(f"{where}: options_from.{parameter} finds with no action {unknown}")
        options[parameter] = {**row, "requires": action["parameters"].get("required", [])}
    return options


def form_fields(
    parameters: Mapping[str, Any], options: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The parameters with what a form needs on each: a `title` (the manifest's, else one
    derived from the name) and, for a parameter `options` names, `x-options-from`."""
    properties = {}
    for name, schema in parameters["properties"].items():
        field = {"title": title_for(name), **schema}
        if name in options and "x-options-from" not in schema:
            field["x-options-from"] = dict(options[name])
        properties[name] = field
    return {**parameters, "properties": properties}


def _bundled(base: Path) -> dict[str, Any] | None:
    """The bundle, if it was built from the files at `base` as they are now."""
    try:
        document: dict[str, Any] = json.loads(BUNDLE.read_bytes())
        current = _source_digest(base, document["manifest"])
    except (OSError, ValueError):
        return None
    return document if document["digest"] == current else None


def _source_digest(base: Path, manifest: Mapping[str, Any]) -> str:
    """A digest of every file the bundle is built from, names and bytes."""
    # Names relative to `base`, joined as strings: building a Path for each of the
    # files cost every start more than reading them (the manifest's names are plain
    # identifiers, per its meta-schema).
    names = [
        "manifest.yaml",
        *(f"schemas/{path.name}" for path in sorted((base / "schemas").glob("*.yaml"))),
        *(f"actions/{name}/action.yaml" for name in manifest["actions"]),
        *(f"triggers/{name}/trigger.yaml" for name in manifest.get("triggers", [])),
    ]
    root = os.fspath(base)
    digest = hashlib.sha256()
    for name in names:
        with open(os.path.join(root, name), "rb") as stream:
            content = stream.read()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def check_folder(folder: Path, name: str, manifest: str = "action.yaml") -> None:
    """Refuse a folder without its manifest or its handler."""
    kind = manifest.removesuffix(".yaml")
    for required in (manifest, "handler.py"):
        if not (folder / required).is_file():
            raise PackError(f"{kind} {name!r} has no {required} in {folder}")


def pack_document(base: Path) -> dict[str, Any]:
    """The pack at `base` as one document: from the bundle when it was built from exactly
    these files, which spares YAML parsing, meta-schema checks and `$ref` resolution;
    else read from the files."""
    return _bundled(base) or read_pack(base)
