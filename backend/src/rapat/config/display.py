"""The effective configuration as `RAPAT_*=value` lines, secrets masked: what
`rapat check-config` prints, so an operator sees what the server will really use."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

from rapat.config import ENV_PREFIX, Settings
from rapat.config.processes import plan_for
from rapat.config.values import PACKAGED_FRONTEND_DIR

MASK = "***"


def mask_url_password(url: str) -> str:
    """`scheme://user:***@host/…`: the password never printed, the rest kept."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def _render(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, SecretStr):
        secret = value.get_secret_value()
        if "://" in secret:  # a URL: only its password is secret
            return mask_url_password(secret)
        return f"{MASK} ({len(secret)} characters)" if secret else ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    text = str(value)
    return mask_url_password(text) if "://" in text else text


def describe_processes(settings: Settings) -> str:
    """Where each of several processes listens and what it announces, or why they
    cannot be divided (`check-config` reports that as an error too)."""
    try:
        plans = plan_for(settings)
    except ValueError as error:
        return f"cannot be divided: {error}"
    return "; ".join(
        f"{plan.index}: port {plan.port}, {plan.node_url}"
        + (f", media {plan.media_ports[0]}-{plan.media_ports[1]}" if plan.media_ports else "")
        for plan in plans
    )


def _derived_processes(settings: Settings, name: str) -> tuple[object, str] | None:
    if name == "processes" and settings.processes > 1:
        origin = "set" if name in settings.model_fields_set else "default"
        return settings.processes, f"{origin}; {describe_processes(settings)}"
    if name == "node_url" and settings.node_url is None:
        if settings.processes > 1:
            return "", "unset: each process's own port on the public URL's host"
        return "", "unset: the page's own origin"
    return None


def _derived(settings: Settings, name: str) -> tuple[object, str] | None:
    """The value a setting left unset takes, and where it comes from."""
    if name == "public_url" and settings.public_url is None:
        return settings.links_url, "from RAPAT_HOST and RAPAT_PORT"
    if name == "frontend_dir" and settings.frontend_dir is None:
        where = settings.http.frontend_dir
        packaged = where == PACKAGED_FRONTEND_DIR
        return where, "the web app in the package" if packaged else "the checkout's build"
    if name == "webhook_allow_private" and settings.webhook_allow_private is None:
        return settings.notifications.webhook_allow_private, f"default for {settings.env}"
    if name == "secret_key" and settings.secret_key is None:
        if settings.env == "development":
            return "", f"unset: generated once into {settings.data_dir / 'secret.key'}"
        return "", "unset: a new random key at each start"
    return None


def effective_lines(settings: Settings) -> list[str]:
    """One `RAPAT_NAME=value  # note` line per setting, in declaration order."""
    lines = []
    for name in type(settings).model_fields:
        derived = _derived(settings, name) or _derived_processes(settings, name)
        if derived is not None:
            value, note = derived
        else:
            value = getattr(settings, name)
            note = "set" if name in settings.model_fields_set else "default"
        lines.append(f"{ENV_PREFIX}{name.upper()}={_render(value)}  # {note}")
    return lines
