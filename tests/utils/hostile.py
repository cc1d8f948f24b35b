"""Helpers for the tests of hostile input: a loopback listener that records connections, and
query texts that hide a SERVICE call from a lexer that reads them in one way only."""

from __future__ import annotations

import socket
import threading

__all__ = ["HIDDEN_SERVICE", "Listener"]


class Listener:
    """A loopback TCP listener that records whether anyone connected."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(5)
        self.socket.settimeout(0.3)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.socket.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> int:
        self.running = False
        self.thread.join()
        self.socket.close()
        return self.connections


# Texts that bare pyoxigraph runs, calling the SERVICE, while a lexer that reads them in one way
# only sees no SERVICE keyword (relgraph's earlier keyword scan missed each of them).
HIDDEN_SERVICE = [
    # after an operand in parentheses "<" may be "less than": then #>''' is a comment, not an IRI
    # followed by a long string that would swallow the SERVICE
    "SELECT * WHERE {{ BIND(1<2#>'''\n AS ?x) SERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} BIND('''''' AS ?y) }}",
    # a ''' that never closes is the empty string '' followed by a string 'x'
    "SELECT * WHERE {{ VALUES (?m ?n) {{ ('''x') }} SERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}",
    # a prefixed name ends where its local part does: the quote right after it opens a string
    "SELECT * WHERE {{ ?s rdfs:label'x y' . SERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} FILTER(?s != 'z') }}",
    # a keyword needs no space before it
    "SELECT * WHERE {{ VALUES ?v {{ true }} ?s ?p true.SERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}",
]
