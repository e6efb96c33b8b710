"""Job counters, registered in the registry of the process that runs the jobs (the app's
/metrics in the embedded default, the worker's own endpoint with RabbitMQ)."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter

OUTCOMES = ("succeeded", "failed")


@dataclass(frozen=True, slots=True)
class JobMetrics:
    finished: Counter
    retries: Counter
    dead_letters: Counter

    def declare(self, task: str) -> None:
        """Start the task's series at 0, so the first failure is an increase an alert's
        `increase()` sees (a series born at 1 shows none) and dashboards show 0, not nothing."""
        for outcome in OUTCOMES:
            self.finished.labels(task, outcome)
        self.retries.labels(task)
        self.dead_letters.labels(task)


def create_job_metrics(registry: CollectorRegistry) -> JobMetrics:
    return JobMetrics(
        finished=Counter(
            "rapat_jobs_finished",
            "Job runs by task and outcome (succeeded, failed).",
            ["task", "outcome"],
            registry=registry,
        ),
        retries=Counter(
            "rapat_job_retries",
            "Failed job runs queued again with a backoff delay.",
            ["task"],
            registry=registry,
        ),
        dead_letters=Counter(
            "rapat_job_dead_letters",
            "Jobs given up after their last try and moved to the dead-letter queue.",
            ["task"],
            registry=registry,
        ),
    )
