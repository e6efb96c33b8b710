"""The composition root: the one place that builds every adapter (database, bus, mail,
job broker, SFU) and every service from `Settings`, embedded or networked by
configuration alone. `rapat.app` (the web server), `rapat.worker` (the job worker) and
`rapat.cli` take what they need from here; nothing below imports this package (an
import-linter contract checks it)."""

from rapat.wiring.adapters import Resources
from rapat.wiring.runtime import Runtime
from rapat.wiring.services import Services

__all__ = ["Resources", "Runtime", "Services"]
