"""Prometheus metrics on a private ``prometheus_client`` registry, one per server.

Hot-path counters are plain dict and int increments, read at scrape time by a
custom collector (``prometheus_client``'s own Counter takes a lock per ``inc``);
the handler-latency histogram keeps its own bucket counts.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

#: Upper bounds (seconds) of the handler-latency histogram.
LATENCY_BUCKETS: tuple[float, ...] = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
#: Help text of ``handler_duration_seconds``, the same as runtime/server's (``test/matrix/metric-families.test.ts``).
HANDLER_DURATION_HELP = (
    "Handler latency, from the frame's arrival (its clock reading, before its parse) to the last reply (or error, or timeout), "
    "by handler (the message type or the endpoint's label; the bundled app: its agent)."
)
#: Content type of the text exposition format 0.0.4.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _Series:
    __slots__ = ("counts", "sum")

    def __init__(self) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS) + 1)
        self.sum = 0.0


def _bump(m: dict[str, int], k: str) -> None:
    m[k] = m.get(k, 0) + 1


class ServerMetrics(Collector):
    """The metrics of one server: the names and label names of runtime/server's (its README, "Metrics"), so one
    dashboard reads both runtimes: ``connections{realm, endpoint}``, ``handler_duration_seconds{agent, outcome}``.

    ``connections()`` gives one ``(realm, endpoint key)`` pair per open connection (realm: the session's ``realm``
    attribute, empty without one)."""

    def __init__(self, connections: Callable[[], Iterable[tuple[str, str]]], prefix: str = "wsgen_") -> None:
        self._prefix = prefix
        self._connections = connections
        self.in_by_type: dict[str, int] = {}
        self.out_by_type: dict[str, int] = {}
        self.invalid_by_keyword: dict[str, int] = {}
        self.closes_by_code: dict[str, int] = {}
        self.refused_by_status: dict[str, int] = {}
        self.rate_limited = 0
        self.dropped = 0
        self.opened = 0
        self._latency: dict[tuple[str, str], _Series] = {}
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)

    def count_in(self, kind: str) -> None:
        """Counts one valid inbound message."""
        m = self.in_by_type  # inline: once per frame
        m[kind] = m.get(kind, 0) + 1

    def count_out(self, kind: str) -> None:
        """Counts one outbound message (``replay`` for replayed ones)."""
        m = self.out_by_type  # inline: once per frame
        m[kind] = m.get(kind, 0) + 1

    def count_invalid(self, keyword: str) -> None:
        """Counts one invalid frame by its first failing keyword (``json``, ``required``, ``binary``, ``size``...)."""
        _bump(self.invalid_by_keyword, keyword)

    def count_close(self, code: int) -> None:
        """Counts one close by code."""
        _bump(self.closes_by_code, str(code))

    def count_refused(self, status: int) -> None:
        """Counts one refused handshake by HTTP status."""
        _bump(self.refused_by_status, str(status))

    def observe(self, label: str, outcome: str, seconds: float) -> None:
        """Records one handler duration (outcome ``ok``, ``error`` or ``timeout``)."""
        s = self._latency.get((label, outcome))
        if s is None:
            s = self._latency[(label, outcome)] = _Series()
        s.counts[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
        s.sum += seconds

    def collect(self) -> Iterator[Metric]:
        """The metric families at scrape time (prometheus_client's Collector interface)."""
        p = self._prefix
        for name, help_text, label, table in (
            ("messages_in", "Valid inbound messages by type.", "type", self.in_by_type),
            ("messages_out", "Outbound messages by type.", "type", self.out_by_type),
            ("validation_failures", "Invalid inbound frames by first failing keyword.", "keyword", self.invalid_by_keyword),
            ("closes", "Closed connections by close code.", "code", self.closes_by_code),
            ("handshake_refusals", "Refused upgrades by HTTP status.", "status", self.refused_by_status),
        ):
            fam = CounterMetricFamily(p + name, help_text, labels=[label])
            for k, v in sorted(table.items()):
                fam.add_metric([k], v)
            yield fam
        for name, help_text, value in (
            ("rate_limited", "Frames refused by the per-connection rate limit.", self.rate_limited),
            ("dropped", "Low-priority messages dropped for backpressure.", self.dropped),
            ("connections_opened", "Connections accepted since start.", self.opened),
        ):
            yield CounterMetricFamily(p + name, help_text, value=value)
        gauge = GaugeMetricFamily(
            p + "connections",
            "Open connections by realm and endpoint (the endpoint key: name, then its path parameters).",
            labels=["realm", "endpoint"],
        )
        counts: dict[tuple[str, str], int] = {}
        for pair in self._connections():
            counts[pair] = counts.get(pair, 0) + 1
        for (realm, endpoint), v in sorted(counts.items()):
            gauge.add_metric([realm, endpoint], v)
        yield gauge
        hist = HistogramMetricFamily(
            p + "handler_duration_seconds",
            HANDLER_DURATION_HELP,
            labels=["agent", "outcome"],
        )
        for (label, outcome), s in sorted(self._latency.items()):
            acc = 0
            buckets: list[tuple[str, float]] = []
            for bound, n in zip((*map(str, LATENCY_BUCKETS), "+Inf"), s.counts, strict=True):
                acc += n
                buckets.append((bound, acc))
            hist.add_metric([label, outcome], buckets, s.sum)
        yield hist

    def text(self) -> bytes:
        """The Prometheus text exposition."""
        return generate_latest(self.registry)
