"""Entry point of the Celery worker: `celery -A service.celery_worker worker`.

The Celery app is initialised from the Flask app (as in Flask's own Celery example), so
the worker and the web process read the same settings.
"""

from service.app import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
