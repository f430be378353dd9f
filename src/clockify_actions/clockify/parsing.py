"""Clockify's answer read into a model: the light twin's fast parse for a valid answer,
else pydantic, which judges, coerces and explains (a contract error, naming the fields)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from clockify_actions.clockify.light import (
    Spec,
    WireObject,
    from_pydantic,
    parse_fast,
    parse_list_fast,
)
from clockify_actions.clockify.sending import Answer, contract_error, list_adapter

if TYPE_CHECKING:
    from pydantic import BaseModel

# A pydantic model of `clockify.models` (or a handler's own), or its light twin of
# `clockify.wire`, which parses valid answers without importing pydantic.
Model = TypeVar("Model", bound="BaseModel | WireObject")


def parsed(
    method: str, path: str, model: type[Model], answer: Answer, reports: bool = False
) -> Model:
    spec: Spec | None = getattr(model, "_wire", None)
    if spec is not None:
        parsed = parse_fast(spec, answer.body)
        if parsed is not None:
            return parsed  # type: ignore[no-any-return]
    # Not for the table (or not a light twin): pydantic judges, coerces, explains.
    from pydantic import ValidationError

    pydantic_model = cast("type[BaseModel]", model) if spec is None else spec.model()
    try:
        parsed = pydantic_model.model_validate(answer.body)
    except ValidationError as error:
        raise contract_error(method, path, error, answer.attempts, reports) from None
    return cast(Model, parsed if spec is None else from_pydantic(spec, parsed))


def parsed_list(method: str, path: str, model: type[Model], answer: Answer) -> list[Model]:
    spec: Spec | None = getattr(model, "_wire", None)
    if spec is not None:
        parsed = parse_list_fast(spec, answer.body)
        if parsed is not None:
            return parsed
    from pydantic import ValidationError

    pydantic_model = cast("type[BaseModel]", model) if spec is None else spec.model()
    try:
        items = list_adapter(pydantic_model).validate_python(answer.body)
    except ValidationError as error:
        raise contract_error(method, path, error, answer.attempts) from None
    return items if spec is None else [from_pydantic(spec, item) for item in items]
