"""Descriptions name other actions and triggers as a caller calls them: by name (what an
agent sends as the tool's name, what `run` and `poll` take), never by title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from clockify_actions import Pack


def _descriptions(document: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every `description` in a described action or trigger, with its path."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "description" and isinstance(value, str):
                yield where, value
            else:
                yield from _descriptions(value, f"{where}/{key}")
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from _descriptions(item, f"{where}/{index}")


def _all_descriptions(pack: Pack) -> list[tuple[str, str]]:
    names = [*pack.actions, *pack.triggers]
    return [found for name in names for found in _descriptions(pack.describe(name), name)]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_no_description_names_an_action_or_trigger_by_its_title(pack: Pack) -> None:
    titles = [a.title for a in pack.actions.values()] + [t.title for t in pack.triggers.values()]
    by_title = re.compile("|".join(re.escape(title) for title in titles), re.IGNORECASE)
    found = [
        (where, hit)
        for where, text in _all_descriptions(pack)
        for hit in by_title.findall(_words(text))
    ]
    assert found == []


def _called(pack: Pack, text: str) -> list[str]:
    """The snake_case words of `text` that start like one of the pack's names (list_,
    get_, find_, new_, timer_, ...), as a call does; a parameter such as workspace_id never
    does."""
    prefixes = sorted({name.split("_")[0] for name in [*pack.actions, *pack.triggers]})
    return re.findall(rf"\b(?:{'|'.join(prefixes)})_[a-z_]*[a-z]\b", text)


def test_every_name_a_description_calls_is_an_action_or_a_trigger(pack: Pack) -> None:
    names = {*pack.actions, *pack.triggers}
    fields = {
        field
        for name in names
        for part in ("parameters", "response", "event", "state")
        for field in pack.describe(name).get(part, {}).get("properties", {})
    }
    unknown = [
        (where, word)
        for where, text in _all_descriptions(pack)
        for word in _called(pack, text)
        if word not in names and word not in fields
    ]
    assert unknown == []


def test_a_call_is_told_from_a_parameter(pack: Pack) -> None:
    text = "Use list_workspace (sic) or get_current_user to find its workspace_id."
    assert _called(pack, text) == ["list_workspace", "get_current_user"]
