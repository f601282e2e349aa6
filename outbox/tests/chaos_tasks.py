"""A task for the killed-worker test, loaded by its worker with ``--include``."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="chaos.record_run")
def record_run(path: str, hold: float) -> None:
    """Write this run's pid; the first run then waits ``hold`` s (to be killed)."""
    log = Path(path)
    first = not log.exists()
    with log.open("a") as handle:
        handle.write(f"run {os.getpid()}\n")
    if first:
        time.sleep(hold)
    with log.open("a") as handle:
        handle.write("done\n")
