"""The Flask application factory.

`create_app(test_config=None)` builds everything: settings, the Celery app (initialised
from the Flask app), and the per-process services (Neo4j repository, encoder, method
catalogue, stance model), which are created lazily on first use so that a process that
only serves the health check never loads a model. They live in `app.extensions`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from celery import Celery, Task
from flask import Flask

from workers.settings import Settings

UI_DIR = Path(__file__).resolve().parent.parent / "ui"


class AppServices:
    """Clients shared by every request of one process, created once on first use."""

    def __init__(self, settings: Settings, overrides: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self._overrides = overrides or {}
        self._lock = threading.Lock()
        self._graph: Any = self._overrides.get("graph")
        self._trace_services: Any = None
        self._jobs: Any = None

    @property
    def graph(self) -> Any:
        with self._lock:
            if self._graph is None:
                from graph_schema import GraphRepository, create_driver

                settings = self.settings
                self._graph = GraphRepository(
                    create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password),
                    settings.neo4j_database,
                )
            return self._graph

    @property
    def jobs(self) -> Any:
        with self._lock:
            if self._jobs is None:
                from workers.jobs import JobStore

                self._jobs = JobStore.from_url(self.settings.redis_url)
            return self._jobs

    def trace_services(self) -> Any:
        graph = self.graph
        with self._lock:
            if self._trace_services is None:
                from workers.trace import TraceServices

                self._trace_services = TraceServices.create(self.settings, graph, self._overrides.get("encoder"))
            return self._trace_services


def celery_init_app(app: Flask, settings: Settings) -> Celery:
    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object({
        "broker_url": settings.redis_url,
        "result_backend": settings.redis_url,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_track_started": True,
        "worker_prefetch_multiplier": 1,
        "result_expires": 24 * 3600,
        "broker_connection_retry_on_startup": True,
        "imports": ("workers.tasks",),
    })
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    test_config = dict(test_config or {})
    settings = test_config.pop("SETTINGS", None) or Settings.from_env()
    overrides = test_config.pop("SERVICES", None)
    app = Flask(
        "claimgraph",
        template_folder=str(UI_DIR / "templates"),
        static_folder=str(UI_DIR / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(JSON_SORT_KEYS=False)
    app.config.update(test_config)
    app.extensions["claimgraph"] = AppServices(settings, overrides)
    celery_init_app(app, settings)

    from service.api import api, register_app_errors
    from service.views import views

    register_app_errors(app)
    app.register_blueprint(api)
    app.register_blueprint(views)
    return app
