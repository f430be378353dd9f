"""How a validation problem is worded: one violation of a schema as a JSON pointer and a
sentence a person can act on, and a connection setting's problem as advice on setting it.

It knows schemas and values only; jsonschema's errors are read, never imported, so that
wording costs nothing until there is a problem to word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import ValidationError

_TYPE_NAMES = {
    "string": "a string",
    "boolean": "a boolean (true or false)",
    "integer": "an integer",
    "number": "a number",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def json_type(value: Any) -> str:
    """The JSON type of `value`, with its article, as a message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problem(error: ValidationError) -> dict[str, str]:
    """One violation as a JSON pointer and a sentence a person can act on."""
    path = "/" + "/".join(str(part) for part in error.absolute_path) if error.absolute_path else ""
    schema = error.schema if isinstance(error.schema, dict) else {}
    rule = schema.get("x-message")
    match error.validator:
        case "required":
            missing = error.message.split("'")[1]
            return {"path": f"{path}/{missing}", "message": "is required"}
        case "additionalProperties":
            extra = sorted(set(error.instance) - set(schema.get("properties", {})))  # type: ignore[arg-type]
            known = ", ".join(schema.get("properties", {})) or "none"
            return {
                "path": f"{path}/{extra[0]}" if len(extra) == 1 else path,
                "message": f"unknown parameter(s) {', '.join(extra)} (accepted: {known})",
            }
        case "type":
            expected = error.validator_value
            names = [expected] if isinstance(expected, str) else list(expected)  # type: ignore[arg-type]
            wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
            return {"path": path, "message": f"must be {wanted}, not {json_type(error.instance)}"}
        case "format":
            reason = f" ({error.cause})" if error.cause else ""
            return {"path": path, "message": f"{rule or 'is not valid'}{reason}"}
        case "pattern" | "minLength" | "maxLength" if rule:
            return {"path": path, "message": f"{rule} (got {_shown(error.instance)})"}
        case "minLength":
            return {
                "path": path,
                "message": f"must be at least {error.validator_value} characters long",
            }
        case "maxLength":
            return {
                "path": path,
                "message": f"must be at most {error.validator_value} characters long",
            }
        case "const":
            return {"path": path, "message": f"must be {error.validator_value!r}"}
        case "enum":
            choices = ", ".join(str(v) for v in error.validator_value)  # type: ignore[union-attr]
            return {"path": path, "message": f"must be one of: {choices}"}
    return {
        "path": path,
        "message": error.message if len(error.message) < 200 else error.message[:197] + "...",
    }


def connection_message(error: ValidationError, schema: Mapping[str, Any]) -> str:
    """A connection setting's problem, said as what to set; a secret's value never shows."""
    if error.validator == "required":
        missing = error.message.split("'")[1]
        setting = schema["properties"][missing]
        env = setting.get("x-env")
        hint = f" Set {env}, or pass it explicitly." if env else ""
        sandbox = " To try the pack without an account, use the sandbox (--sandbox)."
        return f"No Clockify {setting.get('title', missing)} is configured.{hint}{sandbox}"
    name = ".".join(str(p) for p in error.absolute_path)
    declared = schema["properties"].get(name, {})
    if declared.get("writeOnly"):
        # Never echo a secret's value, whatever form it came in.
        return f"Connection setting {name!r} is invalid: it must be a non-empty string."
    return f"Connection setting {name!r} is invalid: {problem(error)['message']}."
