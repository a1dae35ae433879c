"""Prometheus metrics, served on METRICS_PORT when it is set (off otherwise).

What an operator watches: interactions answered and how long after they were made, errors by
kind, jobs started, late, retried and failed, section posts made, and the gateway latency of
each shard. Each bot has its own registry (tests run several bots in one process).

The numbers come from where the events happen without the features knowing: interaction
answers from the HTTP client's trace (the callback request), jobs from the scheduler's
observer, errors from a logging handler (every error the bot logs, by exception type).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import aiohttp
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.scheduler import JobContext, JobEvent
from bot.services.schedules import POST_JOB, POST_NOW_JOB

# A job that starts later than this after its due time counts as late.
LATE_AFTER = timedelta(seconds=60)
POST_KINDS = frozenset({POST_JOB, POST_NOW_JOB})
_CALLBACK = re.compile(r"/interactions/(\d+)/[^/]+/callback$")
_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
_LATENESS_BUCKETS = (0.1, 1.0, 10.0, 60.0, 300.0, 3600.0, 86400.0)


# Discord ids carry their creation time: milliseconds since 2015 in the top 42 bits.
_DISCORD_EPOCH_MS = 1_420_070_400_000


def _snowflake_seconds(snowflake: int) -> float:
    """The Unix time at which Discord created the object with id `snowflake`."""
    return ((snowflake >> 22) + _DISCORD_EPOCH_MS) / 1000


class MetricsPortError(Exception):
    """The metrics port cannot be opened; the message names the settings."""


class _GatewayLatency(Collector):
    """Each shard's heartbeat latency, read when Prometheus scrapes."""

    def __init__(self, latencies: Callable[[], Iterable[tuple[int, float]]]) -> None:
        self._latencies = latencies

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "study_circle_gateway_latency_seconds",
            "Time between a gateway heartbeat and its acknowledgement, by shard",
            labels=["shard"],
        )
        for shard, latency in self._latencies():
            if latency == latency and latency != float("inf"):  # not NaN, not unconnected
                family.add_metric([str(shard)], latency)
        yield family


class _ErrorCounter(logging.Handler):
    """Counts every ERROR (and CRITICAL) record, by exception type or else by logger."""

    def __init__(self, counter: Counter) -> None:
        super().__init__(logging.ERROR)
        self._counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
        self._counter.labels(kind=kind or record.name).inc()


class Metrics:
    """The bot's metrics and the hooks that feed them."""

    def __init__(self, latencies: Callable[[], Iterable[tuple[int, float]]]) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.interactions = Counter(
            "study_circle_interactions_answered",
            "Interactions the bot answered (its first response to each)",
            registry=r,
        )
        self.interaction_latency = Histogram(
            "study_circle_interaction_answer_seconds",
            "From an interaction's creation to the bot's answer (Discord allows 3 s)",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.errors = Counter("study_circle_errors", "Errors logged, by kind", ["kind"], registry=r)
        self.jobs = Counter(
            "study_circle_jobs",
            "Scheduled jobs by what happened: started (it was due), done, retry, failed",
            ["kind", "event"],
            registry=r,
        )
        self.jobs_late = Counter(
            "study_circle_jobs_late",
            f"Jobs that started more than {int(LATE_AFTER.total_seconds())} s after due",
            ["kind"],
            registry=r,
        )
        self.job_lateness = Histogram(
            "study_circle_job_lateness_seconds",
            "How long after its due time each job started",
            buckets=_LATENESS_BUCKETS,
            registry=r,
        )
        self.posts = Counter(
            "study_circle_posts", "Scheduled section posts made (regular and post-now)", registry=r
        )
        self.rest_errors = Counter(
            "study_circle_discord_http_errors",
            "Discord REST answers with an error status, by status (429 included)",
            ["status"],
            registry=r,
        )
        r.register(_GatewayLatency(latencies))
        self._error_handler = _ErrorCounter(self.errors)
        self._server: Any = None

    # -- hooks ------------------------------------------------------------------------------

    def job_event(self, event: JobEvent, job: JobContext) -> None:
        """The scheduler's observer."""
        self.jobs.labels(kind=job.kind, event=event).inc()
        if event == JobEvent.STARTED:
            self.job_lateness.observe(job.late.total_seconds())
            if job.late > LATE_AFTER:
                self.jobs_late.labels(kind=job.kind).inc()
        elif event == JobEvent.DONE and job.kind in POST_KINDS:
            self.posts.inc()

    def http_trace(self) -> aiohttp.TraceConfig:
        """A trace for the bot's HTTP session: interaction answers and error statuses."""
        trace = aiohttp.TraceConfig()
        trace.on_request_end.append(self._request_end)
        return trace

    async def _request_end(
        self, _session: aiohttp.ClientSession, _context: SimpleNamespace, params: Any
    ) -> None:
        status = params.response.status
        if status >= 400:
            self.rest_errors.labels(status=str(status)).inc()
            return
        answered = _CALLBACK.search(params.url.path)
        if answered:
            created = _snowflake_seconds(int(answered.group(1)))
            self.interactions.inc()
            self.interaction_latency.observe(max(0.0, time.time() - created))

    # -- serving ----------------------------------------------------------------------------

    def start(self, port: int, host: str) -> None:
        """Serve /metrics on `host`:`port` and start counting logged errors."""
        try:
            self._server, _thread = start_http_server(port, addr=host, registry=self.registry)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise MetricsPortError(
                f"Cannot serve metrics on METRICS_HOST {host}, METRICS_PORT {port}: {reason}."
            ) from None
        logging.getLogger().addHandler(self._error_handler)

    def stop(self) -> None:
        logging.getLogger().removeHandler(self._error_handler)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
