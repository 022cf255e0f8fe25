"""Recognise kind and platform from a header row (or, for headerless logs, from the content), with a confidence."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from shopdata.errors import RecogniseError
from shopdata.i18n import Message
from shopdata.ingest.clean import split_unit
from shopdata.ingest.layouts import KINDS, LAYOUTS, Layout
from shopdata.ingest.terms import FIELD_TERMS, match_terms, names_some_field_surely, normalise_term


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
    # field -> candidate columns (best first) the user must choose between; loading waits for the choice
    ambiguous: dict[str, list[int]] = field(default_factory=dict)
    by_terms: bool = False  # read by the term table (shopdata/ingest/terms.py), not by a platform's layout

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
    return name in names or any(p.match(name) for p in patterns) or _is_term(name)


@lru_cache(maxsize=4096)
def _is_term(name: str) -> bool:
    """A header some field's term names surely (an export no layout knows still has a header row)."""
    return names_some_field_surely(normalise_term(name))


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


def wide_columns(layout: Layout, headers: Sequence[Header]) -> list[int]:
    """The columns a wide layout unpivots (one per marketplace): loaded by unpivoting, not by the mapping."""
    if not layout.wide:
        return []
    pattern = re.compile(layout.wide[0])
    return [i for i, h in enumerate(headers) if pattern.match(h.name)]


def _score(layout: Layout, headers: Sequence[Header], mapping: dict[str, int]) -> tuple[float, float]:
    names = {h.name for h in headers if h.name}
    markers = sum(1 for m in layout.markers if m in names)
    wide = len(wide_columns(layout, headers))
    covered = len(set(mapping.values())) + wide
    total = max(1, len(names))
    confidence = min(1.0, (covered + 2 * markers) / total)
    if layout.generic:
        confidence *= 0.6
    # Rank: confidence first, then how much the layout explains, specific before generic.
    return confidence, covered + 2 * markers + wide - (5 if layout.generic else 0)


# A platform's layout that finds none of the platform's marker columns and explains less than this share of
# the columns only shares common names (order id, quantity) with the file: naming its platform would be a guess.
NAMED_PLATFORM_MIN_CONFIDENCE = 0.5


def _markers_found(layout: Layout, headers: Sequence[Header]) -> bool:
    names = {h.name for h in headers}
    return any(m in names for m in layout.markers)


def _names_platform_honestly(rec: Recognition, termed: Sequence[Recognition]) -> bool:
    """Without one of its platform's marker columns, a layout names its platform only when it explains most
    columns and the term table does not read more of the file's fields: a 快手 report whose 花费, 点击数 and
    计划名称 a JD layout also lists would otherwise load as JD with its 曝光数 and GMV left out."""
    if rec.layout.generic or _markers_found(rec.layout, rec.headers):
        return True
    read_more = any(t.kind == rec.kind and len(t.mapping) > len(rec.mapping) for t in termed)
    return rec.confidence >= NAMED_PLATFORM_MIN_CONFIDENCE and not read_more


def _generic_layout(kind: str) -> Layout | None:
    return next((layout for layout in LAYOUTS if layout.generic and layout.kind == kind), None)


def by_terms(headers: Sequence[Header], kind: str | None = None) -> list[Recognition]:
    """The kinds whose required fields the headers mean by the term table, best first, as that kind's generic
    export (platform `other`). Confidence: how surely the columns are understood, over all named columns,
    with the generic layouts' discount (a file no platform's layout knows is a guess until confirmed)."""
    raw = [h.raw for h in headers]
    named = max(1, sum(1 for h in raw if h.strip()))
    found = []
    for kind_name in [kind] if kind else list(KINDS):
        generic = _generic_layout(kind_name)
        if generic is None:
            continue
        needed = {f for group in generic.required for f in group}
        match = match_terms(raw, kind_name, needed)
        answered = set(match.mapping) | set(match.ambiguous)
        if not generic.required or not all(any(f in answered for f in group) for group in generic.required):
            continue
        understood = sum(match.scores.values()) + 0.5 * len(match.ratios)
        confidence = round(min(1.0, understood / named) * 0.6, 2)
        layout = dataclasses.replace(generic, fields=dict(FIELD_TERMS[kind_name]))
        matched = {f: headers[i].name for f, i in match.mapping.items()}
        rec = Recognition(layout, dict(match.mapping), list(headers), confidence, matched, False, match.ambiguous, True)
        found.append((len(match.mapping), confidence, rec))
    found.sort(key=lambda item: (item[1], item[0]), reverse=True)
    return [r for _, _, r in found]


def candidates(headers: Sequence[Header], kind: str | None = None) -> list[Recognition]:
    """Every layout whose required fields the headers satisfy, best first; when no platform's layout fits
    honestly, the kinds the term table reads the headers as (generic, platform `other`)."""
    by_layout = _layout_candidates(headers, kind)
    termed = by_terms(headers, kind)
    honest = [r for r in by_layout if _names_platform_honestly(r, termed)]
    if honest and not honest[0].layout.generic:
        return honest
    if honest and (not termed or len(termed[0].mapping) <= len(honest[0].mapping)):
        same_kind = next((r for r in termed if r.kind == honest[0].kind), None)
        best = _asking_for_competitors(honest[0], same_kind.ambiguous if same_kind else {})
        return [best, *honest[1:], *termed]
    return termed + honest if termed else by_layout


def _asking_for_competitors(rec: Recognition, competing: dict[str, list[int]]) -> Recognition:
    """A generic layout's field for which the term table finds other columns meaning it as surely (花费 and
    消耗, cost and spend) is asked, not taken by the order of the layout's names."""
    ambiguous = {f: columns for f, columns in competing.items() if rec.mapping.get(f) in columns and len(columns) > 1}
    if not ambiguous:
        return rec
    mapping = {f: i for f, i in rec.mapping.items() if f not in ambiguous}
    matched = {f: name for f, name in rec.matched_names.items() if f in mapping}
    return dataclasses.replace(rec, mapping=mapping, matched_names=matched, ambiguous=ambiguous)


def _layout_candidates(headers: Sequence[Header], kind: str | None = None) -> list[Recognition]:
    names = {h.name for h in headers}
    found = []
    for layout in LAYOUTS:
        if layout.headerless or (kind and layout.kind != kind):
            continue
        if any(f in names for f in layout.forbidden):
            continue
        mapping, matched = map_layout(layout, headers)
        if not _requirements_met(layout, mapping) or (layout.wide and not wide_columns(layout, headers)):
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


def ambiguity_error(rec: Recognition) -> RecogniseError:
    """Which columns compete for which field, and how to settle it (the Data page asks instead)."""
    choices = "; ".join(
        f"{f}: " + " / ".join(repr(rec.headers[i].raw.strip()) for i in columns) for f, columns in rec.ambiguous.items()
    )
    field_name, columns = next(iter(rec.ambiguous.items()))
    example = f"{field_name}={rec.headers[columns[0]].raw.strip()}"
    return RecogniseError(Message("recognise.ambiguous", choices=choices), Message("hint.map_field", example=example))


def settle(rec: Recognition, chosen: dict[str, str]) -> Recognition:
    """The recognition with fields the user named (field -> column header): each takes its column from any
    other field, and is no longer ambiguous. An unknown field or column is an error, not ignored."""
    known = set(rec.layout.fields) | set(FIELD_TERMS.get(rec.kind, {}))
    mapping = dict(rec.mapping)
    ambiguous = dict(rec.ambiguous)
    for field_name, column in chosen.items():
        if field_name not in known:
            raise RecogniseError(
                Message("recognise.unknown_field", field=field_name, kind=rec.kind),
                Message("hint.fields_of_kind", fields=", ".join(sorted(known))),
            )
        index = _column_index(rec.headers, column)
        if index is None:
            raise RecogniseError(
                Message("recognise.missing_column", column=column, field=field_name), Message("hint.pick_column")
            )
        mapping = {f: i for f, i in mapping.items() if i != index}
        mapping[field_name] = index
        ambiguous.pop(field_name, None)
    ambiguous = {f: columns for f, columns in ambiguous.items() if f not in mapping}
    matched = {f: rec.headers[i].name for f, i in mapping.items()}
    return dataclasses.replace(rec, mapping=mapping, matched_names=matched, ambiguous=ambiguous)


def _column_index(headers: Sequence[Header], column: str) -> int | None:
    """A header named as the file writes it, or as Shopdata normalises it."""
    for i, h in enumerate(headers):
        if h.raw == column:
            return i
    wanted = split_unit(column)[0]
    return next((i for i, h in enumerate(headers) if h.name == wanted or h.raw.strip() == column.strip()), None)


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
