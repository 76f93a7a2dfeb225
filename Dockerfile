# The unstuck sandbox image: bash, git, python3 and pytest, and a non-root user.
# BASE is the registry image where one can be pulled; elsewhere `unstuck sandbox build`
# bootstraps a Debian base with debootstrap and passes it here (no network inside RUN then,
# so everything must already be in the base; the apt/pip lines only run where it is missing).
ARG BASE=python:3.12-slim
FROM ${BASE}

# unstuck's pytest plugin: what a failing test reveals, read from the real objects (see the file).
COPY unstuck_facts.py /tmp/unstuck_facts.py
RUN set -eu; \
    if ! command -v git >/dev/null || ! command -v timeout >/dev/null; then \
        apt-get update && apt-get install -y --no-install-recommends git coreutils \
        && rm -rf /var/lib/apt/lists/*; \
    fi; \
    if ! python3 -c "import pytest" 2>/dev/null; then python3 -m pip install --no-cache-dir pytest; fi; \
    if ! command -v python >/dev/null; then ln -s "$(command -v python3)" /usr/local/bin/python; fi; \
    site="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"; \
    mkdir -p "$site" && install -m 0644 /tmp/unstuck_facts.py "$site/unstuck_facts.py" && rm /tmp/unstuck_facts.py; \
    useradd --create-home --uid 1000 --user-group --shell /bin/bash sandbox; \
    mkdir -p /workspace && chown sandbox:sandbox /workspace

ENV HOME=/tmp \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GIT_CONFIG_NOSYSTEM=1 \
    LANG=C.UTF-8
USER sandbox
WORKDIR /workspace
CMD ["sleep", "infinity"]
