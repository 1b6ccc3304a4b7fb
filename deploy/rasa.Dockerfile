# The rasa server with the project's custom NLU components and channels (Python 3.10, Rasa 3.6.21).
FROM python:3.10-slim
WORKDIR /app
COPY requirements/rasa.lock requirements/rasa.lock
RUN pip install --no-cache-dir -r requirements/rasa.lock
# Every project package rasa imports (tests/unit/scripts/test_deploy.py checks the list).
COPY assistant assistant
COPY catalog_index catalog_index
COPY formats formats
COPY redact redact
COPY catalog catalog
COPY nlu_data nlu_data
ENV PYTHONPATH=/app SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false \
    ASSISTANT_CATALOG=catalog/demo_catalog.jsonl
RUN rasa train --config assistant/config.yml --domain assistant/domain --data nlu_data \
      --out /app/models --fixed-model-name assistant
EXPOSE 5005
CMD ["rasa", "run", "--model", "/app/models", "--endpoints", "assistant/endpoints.production.yml", \
     "--credentials", "assistant/credentials.yml", "--enable-api", "--port", "5005"]
