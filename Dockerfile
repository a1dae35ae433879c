# Study Circle: `docker build -t study-circle .` then
# `docker run --env DISCORD_TOKEN=... -v study-circle-data:/data study-circle`
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/study-circle.db

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY alembic.ini ./
COPY bot ./bot
COPY migrations ./migrations
COPY seeds ./seeds

RUN useradd --create-home --uid 10001 study \
    && mkdir -p /data \
    && chown study /data
USER study
VOLUME ["/data"]

# `run` upgrades the database before it connects; other commands: preview, migrate, sync, invite.
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
