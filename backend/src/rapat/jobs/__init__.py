"""Background jobs on taskiq: the broker (in-process or RabbitMQ), retries with exponential
backoff, dead letters, metrics, the thin tasks that call services, and the worker."""
