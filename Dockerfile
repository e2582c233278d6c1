# Image for the web app and the Celery worker (docker-compose.yml builds it for both).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY workers ./workers
COPY graph_schema ./graph_schema
COPY ui ./ui
COPY demo_corpus ./demo_corpus
RUN pip install --no-cache-dir . \
 && useradd --create-home claimgraph
USER claimgraph
EXPOSE 5000
CMD ["gunicorn", "service.wsgi:app", "--bind", "0.0.0.0:5000"]
