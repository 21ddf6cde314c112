# One image for web and worker (see docker-compose.yml).
FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY asl/schema/ /app/asl/schema/
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STEPWRIGHT_VAR_DIR=/var/lib/stepwright
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=frontend /app/frontend/dist /app/frontend/dist
RUN useradd --create-home stepwright && mkdir -p /var/lib/stepwright && chown stepwright /var/lib/stepwright
USER stepwright
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "8", "--access-logfile", "-"]
