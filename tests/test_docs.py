"""Every citation of docs/clockify-api.md names a section the document has, so that a reader
following "docs/clockify-api.md §N" from code, a test or a fixture always lands somewhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "clockify-api.md"
CITING = ("README.md", "CONTRIBUTING.md", "docs", "src", "tests", "scripts", "actions", "schemas")
SECTION = re.compile(r"§(\d+(?:\.\d+)?)")
HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", re.MULTILINE)


def _sections() -> set[str]:
    return set(HEADING.findall(DOC.read_text(encoding="utf-8")))


def _citations() -> dict[str, set[str]]:
    """Section numbers cited, by `file:line`: every § on a line that names the document,
    and every § in the document itself."""
    found: dict[str, set[str]] = {}
    files = [DOC]
    for name in CITING:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*"))
    for path in files:
        if not path.is_file() or path.suffix not in (".py", ".md", ".yaml", ".yml", ".json"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if path == DOC or "docs/clockify-api.md" in line:
                cited = set(SECTION.findall(line))
                if cited:
                    found[f"{path.relative_to(ROOT)}:{number}"] = cited
    return found


def test_the_document_numbers_its_sections_as_the_citations_expect() -> None:
    sections = _sections()
    assert {"0", "1.1", "1.7", "10.3", "12.3", "19.4", "25.4", "28"} <= sections
    assert len(sections) == len(HEADING.findall(DOC.read_text(encoding="utf-8")))  # no twice


def test_every_citation_names_an_existing_section() -> None:
    sections = _sections()
    citations = _citations()
    assert any(not where.startswith("docs/") for where in citations)
    dangling = {where: sorted(cited - sections) for where, cited in citations.items()}
    assert not {where: cited for where, cited in dangling.items() if cited}
