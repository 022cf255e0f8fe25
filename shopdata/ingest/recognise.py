"""Recognise kind and platform from a header row (or, for headerless logs, from the content), with a confidence."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from shopdata.errors import RecogniseError
from shopdata.i18n import Message
from shopdata.ingest.clean import split_unit
from shopdata.ingest.layouts import KINDS, LAYOUTS, Layout


@dataclass
class Header:
    raw: str  # as in the file
    name: str  # normalised, unit removed
    unit: str | None  # (元) (₹) (USD) (#) …


@dataclass
class Recognition:
    layout: Layout
    mapping: dict[str, int]  # field -> column index
    headers: list[Header]
    confidence: float  # 0..1
    matched_names: dict[str, str] = field(default_factory=dict)  # field -> normalised header that matched
    headerless: bool = False

    @property
    def kind(self) -> str:
        return self.layout.kind

    @property
    def platform(self) -> str:
        return self.layout.platform

    def mapping_by_header(self) -> dict[str, str]:
        """Field -> the header text as the file has it (what the user sees and can change)."""
        return {f: (self.headers[i].raw if not self.headerless else f"column {i + 1}") for f, i in self.mapping.items()}


def parse_headers(cells: Sequence[object]) -> list[Header]:
    headers = []
    for cell in cells:
        raw = "" if cell is None else str(cell)
        name, unit = split_unit(raw)
        headers.append(Header(raw, name, unit))
    return headers


def header_signature(headers: Sequence[Header]) -> str:
    """Identifies a header layout, for remembering the mapping a user chose for it."""
    return hashlib.sha1("\x1f".join(h.name for h in headers).encode()).hexdigest()


@lru_cache(maxsize=1)
def _known_names() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    names, patterns = set(), []
    for layout in LAYOUTS:
        for synonyms in layout.fields.values():
            for synonym in synonyms:
                if synonym.startswith("re:"):
                    patterns.append(re.compile(synonym[3:]))
                else:
                    names.add(synonym)
        names.update(layout.markers)
    return frozenset(names), tuple(patterns)


def _is_known(name: str) -> bool:
    names, patterns = _known_names()
    return name in names or any(p.match(name) for p in patterns)


def score_header_row(cells: Sequence[object]) -> int:
    """How many cells of a row are header names some export uses."""
    seen = set()
    for cell in cells:
        if cell is None or not str(cell).strip():
            continue
        name, _ = split_unit(str(cell))
        if _is_known(name):
            seen.add(name)
    return len(seen)


def locate_header_row(rows: Sequence[Sequence[object]], minimum: int = 2) -> tuple[int, int] | None:
    """The row (index, score) with the most known header names among the first rows; earliest wins a tie."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows):
        score = score_header_row(row)
        if score >= minimum and (best is None or score > best[1]):
            best = (index, score)
    return best


def _match(synonym: str, name: str) -> re.Match[str] | None | bool:
    if synonym.startswith("re:"):
        return re.match(synonym[3:], name)
    return synonym == name


def map_layout(layout: Layout, headers: Sequence[Header]) -> tuple[dict[str, int], dict[str, str]]:
    mapping: dict[str, int] = {}
    matched: dict[str, str] = {}
    claimed: set[int] = set()
    for field_name, synonyms in layout.fields.items():
        for synonym in synonyms:
            index = next(
                (i for i, h in enumerate(headers) if i not in claimed and h.name and _match(synonym, h.name)), None
            )
            if index is not None:
                mapping[field_name] = index
                matched[field_name] = headers[index].name
                claimed.add(index)
                break
    return mapping, matched


def _requirements_met(layout: Layout, mapping: dict[str, int]) -> bool:
    return all(any(f in mapping for f in group) for group in layout.required)


def _wide_columns(layout: Layout, headers: Sequence[Header]) -> list[int]:
    if not layout.wide:
        return []
    pattern = re.compile(layout.wide[0])
    return [i for i, h in enumerate(headers) if pattern.match(h.name)]


def _score(layout: Layout, headers: Sequence[Header], mapping: dict[str, int]) -> tuple[float, float]:
    names = {h.name for h in headers if h.name}
    markers = sum(1 for m in layout.markers if m in names)
    wide = len(_wide_columns(layout, headers))
    covered = len(set(mapping.values())) + wide
    total = max(1, len(names))
    confidence = min(1.0, (covered + 2 * markers) / total)
    if layout.generic:
        confidence *= 0.6
    # Rank: confidence first, then how much the layout explains, specific before generic.
    return confidence, covered + 2 * markers + wide - (5 if layout.generic else 0)


def candidates(headers: Sequence[Header], kind: str | None = None) -> list[Recognition]:
    """Every layout whose required fields the headers satisfy, best first."""
    names = {h.name for h in headers}
    found = []
    for layout in LAYOUTS:
        if layout.headerless or (kind and layout.kind != kind):
            continue
        if any(f in names for f in layout.forbidden):
            continue
        mapping, matched = map_layout(layout, headers)
        if not _requirements_met(layout, mapping) or (layout.wide and not _wide_columns(layout, headers)):
            continue
        confidence, rank = _score(layout, headers, mapping)
        found.append((rank, confidence, Recognition(layout, mapping, list(headers), round(confidence, 2), matched)))
    found.sort(key=lambda item: (item[1], item[0]), reverse=True)
    return [r for _, _, r in found]


def recognise_headerless(rows: Sequence[Sequence[object]], kind: str | None = None) -> Recognition | None:
    """Logs that come without a header, recognised by what every sampled row looks like."""
    sample = [r for r in rows if any(c not in (None, "") for c in r)][:50]
    if not sample:
        return None
    for layout in LAYOUTS:
        if not layout.headerless or (kind and layout.kind != kind):
            continue
        patterns = [re.compile(p) for p in layout.headerless]
        fits = sum(
            1
            for row in sample
            if len(row) == len(patterns)
            and all(p.match(str(c).strip()) for p, c in zip(patterns, row, strict=False) if c is not None)
        )
        if fits == len(sample):
            mapping = {f: i for i, f in enumerate(layout.positional)}
            headers = [Header(f"column {i + 1}", name, None) for i, name in enumerate(layout.positional)]
            return Recognition(layout, mapping, headers, 0.9, {f: f for f in layout.positional}, headerless=True)
    return None


def recognise(headers: Sequence[Header], kind: str | None = None, platform: str | None = None) -> Recognition:
    if kind and kind not in KINDS:
        raise RecogniseError(
            Message("recognise.unknown_kind", kind=repr(kind)), Message("hint.use_kind", kinds=", ".join(KINDS))
        )
    found = candidates(headers, kind)
    if platform:
        found = [r for r in found if r.platform == platform] or found
    if found:
        return found[0]
    raise RecogniseError(*_explain_unrecognised(headers, kind))


def _explain_unrecognised(headers: Sequence[Header], kind: str | None) -> tuple[Message, Message]:
    shown = ", ".join(h.raw.strip() for h in headers if h.raw.strip())[:300]
    # Say which export it came closest to and what that one needs.
    best, best_hits = None, 0
    for layout in LAYOUTS:
        if layout.headerless or (kind and layout.kind != kind):
            continue
        mapping, _ = map_layout(layout, headers)
        if len(mapping) > best_hits:
            best, best_hits = layout, len(mapping)
    if best is not None and best_hits >= 1:
        missing = [
            " or ".join(group) for group in best.required if not any(f in map_layout(best, headers)[0] for f in group)
        ]
        return (
            Message("recognise.closest", columns=shown, layout=best.title, missing="; ".join(missing)),
            Message("hint.upload_as_exported"),
        )
    if kind:
        return Message("recognise.unknown_of_kind", columns=shown, kind=kind), Message("hint.supported_exports")
    return Message("recognise.unknown", columns=shown), Message("hint.supported_exports")
