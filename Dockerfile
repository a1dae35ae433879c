# Study Circle: `docker build -t study-circle .` then
# `docker run --env DISCORD_TOKEN=... -v study-circle-data:/data study-circle`
#
# The base image is pinned to a patch release. The digest published for this tag (its
# multi-architecture index) is
#   sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d
# To build from exactly that image, check it with
# `docker buildx imagetools inspect python:3.11.14-slim-bookworm` and write it after the tag
# as `@sha256:…`.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/study-circle.db \
    HEALTH_FILE=/tmp/study-circle/heartbeat.json \
    STUDY_CIRCLE_IMAGE=1

# Every dependency, at the version and with the hash the tests ran with.
COPY requirements.txt /tmp/requirements.txt
RUN pip install --require-hashes -r /tmp/requirements.txt && rm /tmp/requirements.txt

# The bot itself, as the `study-circle` command (its migrations and readings inside).
COPY pyproject.toml setup.py requirements.in README.md /src/
COPY bot /src/bot
COPY migrations /src/migrations
COPY seeds /src/seeds
RUN pip install --no-deps /src && rm -rf /src

RUN useradd --create-home --uid 10001 study \
    && mkdir -p /data \
    && chown study /data
USER study
WORKDIR /data
VOLUME ["/data"]

# Healthy once connected to the gateway with the scheduler running (see `study-circle health`).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["study-circle", "health"]

# `run` upgrades the database before it connects; other commands: preview, migrate, sync,
# invite, health. Exit codes: 0 stopped, 1 failed (may pass), 2 a setting must change.
ENTRYPOINT ["study-circle"]
CMD ["run"]
