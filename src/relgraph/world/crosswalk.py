"""Which relgraph entity a data set's state code denotes on a day or in a year (one place for the
crosswalk's lookups; the table itself is built by :mod:`relgraph.world.states`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from relgraph.world.states import Override, Spell, first_day, last_day, slug

__all__ = ["Crosswalk"]


class Crosswalk:
    """Code → entity lookups for one code list (``cow-ccode`` or ``gw-code``).

    Args:
        code_list: ``cow-ccode`` or ``gw-code``.
        overrides: The crosswalk table's rows (all lists; those of *code_list* are used).
        spells: The list's own spells (for the default entity, named after the list's name).
        cow_spells: COW's spells: a GW code that COW also has at that time denotes COW's entity.
    """

    def __init__(self, code_list: str, overrides: Sequence[Override], spells: Sequence[Spell], cow_spells: Sequence[Spell]) -> None:
        self._own: dict[int, list[tuple[dt.date, dt.date, str]]] = {}
        for o in overrides:
            if o.code_list == code_list:
                start = first_day(o.start) if o.start else dt.date.min
                end = last_day(o.end) if o.end else dt.date.max
                self._own.setdefault(o.code, []).append((start, end, o.entity))
        self._cow = {s.code: slug(s.name) for s in cow_spells}
        self._names = {s.code: slug(s.name) for s in spells}
        self._gw = code_list == "gw-code"

    def _default(self, code: int) -> str:
        if self._gw and code in self._cow:
            return self._cow[code]
        return self._names.get(code) or f"state-{'gw' if self._gw else 'cow'}-{code}"

    def between(self, code: int, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, str]]:
        """The entities *code* denotes between two days, each with the part of the span it holds.

        Args:
            code: The list's code.
            start: The first day.
            end: The last day (inclusive).

        Returns:
            (first day, last day, entity local name) in date order; the list's default entity
            where the crosswalk says nothing about the code.
        """
        own = self._own.get(code)
        if not own:
            return [(start, end, self._default(code))]
        pieces = [(max(lo, start), min(hi, end), name) for lo, hi, name in own if lo <= end and start <= hi]
        return sorted(pieces)

    def in_year(self, code: int, year: int) -> list[str]:
        """The entities *code* denotes on some day of *year* (a year in which it changes entity
        belongs to both)."""
        return [name for _, _, name in self.between(code, dt.date(year, 1, 1), dt.date(year, 12, 31))]
