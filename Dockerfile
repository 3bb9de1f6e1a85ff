# The app image: web workers and the projection worker run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm

# WeasyPrint's Pango and fonts; Amiri for the Arabic of notices.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      fonts-hosny-amiri fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY police police
COPY projections projections
COPY storage storage
COPY web web
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 --home /app police
USER police

ENV POLICE_ENV=production POLICE_DATA_DIR=/tmp/police
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["police", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
