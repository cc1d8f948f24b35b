"""What the endpoint client and the Graph Store client share: HTTP requests read in full within
limits, a time limit over a whole answer, authentication, and what a message may show of a URL
or an answer.

- :func:`fetch`: one request, read in full (at most :data:`MAX_ANSWER_BYTES`), every failure
  turned into one clear error;
- :func:`deadline`: a time limit over everything a block does (httpx's limits apply to each
  read only);
- :func:`make_auth`: HTTP Basic or Digest authentication (RFC 7617, RFC 7616), chosen from the
  server's challenge unless told;
- :func:`redact` (a URL without its password), :func:`summary` (the first line of an error
  page), :func:`nesting_ok` (RDF 1.2 triple terms nested at most :data:`MAX_TERM_NESTING` deep).

No proxy from the environment is used (``trust_env`` is off).
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading

import httpx

from relgraph.query.printing import printable

__all__ = [
    "MAX_ANSWER_BYTES",
    "MAX_TERM_NESTING",
    "Deadline",
    "deadline",
    "read_limited",
    "fetch",
    "redact",
    "summary",
    "nesting_ok",
    "make_auth",
    "AutoAuth",
]


MAX_ANSWER_BYTES = 1024**3
"""The most bytes relgraph reads of one answer (after decompression): 1 GiB."""


MAX_TERM_NESTING = 64


class Deadline(BaseException):
    """Raised by the alarm when the whole answer took longer than its time limit."""


@contextlib.contextmanager
def deadline(seconds: float | None):
    """Stop whatever the block does after *seconds* in all, with :class:`Deadline`.

    httpx's time limits apply to each read, so a server that sends one byte at a time would never
    trip them; on the main thread of a POSIX process, a real-time alarm (``setitimer``) stops the
    block however the time is spent. Elsewhere only httpx's own limits apply.

    Args:
        seconds: The limit, or ``None``/0 for none.
    """

    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise Deadline()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_limited(response, limit: int) -> bytes | None:
    """The whole body of a streamed ``httpx`` response, or ``None`` once it passes *limit* bytes
    (counted after decompression, so a compressed bomb stops as early as a plain one)."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(client, method: str, url: str, *, shown: str, timeout: float | None, limit: int, error, doing: str = "", hint: str = "", **request):
    """One HTTP request, read in full, with every way it can fail turned into one clear error.

    Used by ``relgraph query --endpoint`` and ``relgraph push``, so both read answers alike.

    Args:
        client: The ``httpx.Client``.
        method: The HTTP method.
        url: The URL.
        shown: How to name the server in messages (:func:`redact`-ed).
        timeout: The time limit, for the message.
        limit: The most bytes to read (:func:`read_limited`).
        error: The exception class to raise (``RemoteError``, ``PushError``), taking a message.
        doing: What the request does, for messages (`` to PUT of <graph>``).
        hint: Advice added to the message of an answer over *limit*.
        request: Further arguments for ``client.stream`` (``data``, ``content``, ``params``, ``headers``).

    Returns:
        ``(response, body)``: the ``httpx`` response (its headers and status) and its whole body.

    Raises:
        error: No complete answer in time (httpx's limits, or :func:`deadline`), an answer over
            *limit*, a failed connection, a malformed URL, or an authentication challenge
            httpx cannot answer.
    """

    try:
        with client.stream(method, url, **request) as response:
            body = read_limited(response, limit)
    except (httpx.TimeoutException, Deadline):
        raise error(f"{shown}: no complete answer{doing} within {timeout:g} s (--timeout); raise --timeout or ask the server's operator") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, KeyError, UnicodeError) as exc:
        # connection failures, a malformed URL or Link, an authentication challenge httpx cannot answer
        raise error(f"{shown}:{doing} {type(exc).__name__}: {redact(str(exc)) or 'the connection failed'}") from None
    if body is None:
        raise error(f"{shown}: the answer{doing} is larger than {limit // 1024**2} MiB{hint}")
    return response, body


def redact(url: str) -> str:
    """A URL without the password it may carry (``http://user:secret@host/`` → ``http://user:…@host/``)."""

    return re.sub(r"^(\w+://[^/:@]*):[^/@]*@", r"\1:…@", url)


def nesting_ok(body: bytes, opener: bytes, closer: bytes) -> bool:
    """Whether RDF 1.2 triple terms nest at most a few dozen deep (pyoxigraph 0.5 crashes the
    process on thousands). Reads only the two tokens, so a string that holds them can only make
    it stricter."""

    depth = 0
    for m in re.finditer(re.escape(opener) + b"|" + re.escape(closer), body):
        depth += 1 if m.group(0) == opener else -1
        if depth > MAX_TERM_NESTING:
            return False
    return True


def summary(body: bytes) -> str:

    text = body[:100_000].decode("utf-8", "replace")
    title = re.search(r"<title[^>]*>(.*?)</title>", text, flags=re.I | re.S)
    if title:
        text = title.group(1)
    text = re.sub(r"<[^>]+>", " ", text)
    line = printable(" ".join(text.split()))
    return (line[:200] + "…") if len(line) > 200 else line or "(empty body)"


def make_auth(user: str | None, password: str | None, scheme: str = "auto"):
    """Build the ``httpx`` authentication for a user, or ``None`` without one.

    Args:
        user: The user name, or ``None`` for no authentication.
        password: The password (``""`` when none was given).
        scheme: ``basic`` (RFC 7617), ``digest`` (RFC 7616), or ``auto``: whichever the
            server's first ``WWW-Authenticate`` challenge names.

    Returns:
        An ``httpx.Auth``, or ``None``.
    """

    if not user:
        return None
    if scheme == "basic":
        return httpx.BasicAuth(user, password or "")
    if scheme == "digest":
        return httpx.DigestAuth(user, password or "")
    return AutoAuth(user, password or "")


class AutoAuth(httpx.Auth):
    """HTTP authentication that answers the server's challenge with Basic or Digest, whichever it asks for.

    Args:
        user: The user name.
        password: The password.
    """

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self.basic = httpx.BasicAuth(user, password)
        self.digest = httpx.DigestAuth(user, password)
        self.chosen: httpx.Auth | None = None

    def auth_flow(self, request):
        """httpx's authentication flow: the request as it is, then again with the scheme the
        ``WWW-Authenticate`` challenge of a 401 names."""
        if self.chosen is not None:
            yield from self.chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ")[0].lower()
        self.chosen = self.digest if scheme == "digest" else self.basic
        yield from self.chosen.auth_flow(request)
