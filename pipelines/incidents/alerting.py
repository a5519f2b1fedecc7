"""Start the alert dispatcher with the worker, and record what it cannot deliver."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust

from aitrail.settings import Settings
from pipelines.alerts.config import AlertConfig
from pipelines.alerts.dispatcher import AlertDispatcher
from pipelines.alerts.model import Alert
from sinks.incident_writer import IncidentWriter

log = logging.getLogger("aitrail.alerts")


def alert_config(settings: Settings) -> AlertConfig:
    return AlertConfig.from_settings(**{
        name: getattr(settings, name) for name in settings.model_fields
        if name.startswith("alert_")
    })


def install_alerts(app: faust.App, settings: Settings, holder: dict[str, Any],
                   writer: IncidentWriter) -> None:
    config = alert_config(settings)
    if not config.destinations():
        log.info("no alert destination configured (AITRAIL_ALERT_*): incidents are recorded, "
                 "nobody is paged")
        return

    async def dead_letter(alert: Alert, destination: str, reason: str, attempts: int) -> None:
        log.error("alert for incident %s (%s) could not be delivered to %s after %d attempts: "
                  "%s; recorded in alert_dead_letters", alert.incident_id, alert.action,
                  destination, attempts, reason)
        await asyncio.to_thread(writer.alert_dead_letter, alert.incident_id, alert.action,
                                alert.revision, destination, reason, attempts)

    dispatcher = AlertDispatcher.from_config(config, dead_letter)

    @app.task  # type: ignore[untyped-decorator]
    async def start_alerts() -> None:
        await dispatcher.start()
        holder["alerts"] = dispatcher
        log.info("alerts go to %s", ", ".join(dispatcher.destination_names))

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def drain_alerts(app: faust.App, **_: Any) -> None:
        # Alerts still queued get drain_timeout_s to go out before the worker exits.
        await dispatcher.stop(config.drain_timeout_s)
