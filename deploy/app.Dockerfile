# The action server and the catalog indexer (Python 3.11, torch CPU, offline embedding model).
FROM python:3.11-slim
WORKDIR /app
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir -r requirements/app.lock
COPY catalog_index catalog_index
COPY catalog catalog
COPY actions actions
ENV PYTHONPATH=/app HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
EXPOSE 5055
CMD ["python", "-m", "actions", "--port", "5055"]
