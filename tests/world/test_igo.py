"""relgraph.world.igo: what the import reads from COW IGO v3's files beyond the claims (its names)."""

from __future__ import annotations

from tests.conftest import REPO


def test_a_name_in_mac_os_roman_bytes_is_read_as_cow_meant_it() -> None:
    from relgraph.world.igo import mac_roman_repaired

    assert mac_roman_repaired("Nordens V\x8alf\x8ardscenter") == "Nordens Välfärdscenter"
    assert mac_roman_repaired("Central Commission for the Navigation of the Rhine") == "Central Commission for the Navigation of the Rhine"
    rows = (REPO / "graph" / "tables" / "organisations.csv").read_text(encoding="utf-8")
    assert "(Nordens Välfärdscenter )" in rows
    assert not any("\x80" <= c <= "\x9f" for c in rows)  # no C1 control character in any label
