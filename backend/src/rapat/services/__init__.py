"""Use cases. Each service owns its transactions and names the Protocols it needs."""
