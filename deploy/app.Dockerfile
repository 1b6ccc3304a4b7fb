# The action server, the catalog indexer, the profile service and the handoff console
# (Python 3.11, torch CPU, offline embedding model). The chat widget is built with Node.js in a
# first stage and served by the console from widget/dist/.
FROM node:20-slim AS widget
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY widget widget
RUN node widget/build.mjs

FROM python:3.11-slim
WORKDIR /app
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir -r requirements/app.lock
# Every project package the services import (tests/unit/scripts/test_deploy.py checks the list).
COPY actions actions
COPY catalog_index catalog_index
COPY console console
COPY contracts contracts
COPY escalation escalation
COPY formats formats
COPY personalisation personalisation
COPY profiles profiles
COPY redact redact
COPY servicekit servicekit
COPY catalog catalog
COPY assistant/escalation.yml assistant/escalation.yml
COPY --from=widget /build/widget/dist widget/dist
ENV PYTHONPATH=/app HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
EXPOSE 5055
CMD ["python", "-m", "actions", "--port", "5055"]
