"""Where the pack's requests go and with what: the one home of connection rules.

- The settings (the API key or its file, the region, the base URLs, the workspace, who
  retries) from arguments, else each setting's `x-env` variable, else its default, as the
  manifest's connection schema declares them; checked against that schema, and with the
  values it marks secret (`writeOnly`) hidden from every output.
- Clockify's API and reports roots per region, and the checks on a root given instead.
- What a caller may choose per request (a `serve` request line, an HTTP request, a Celery
  task): among Clockify's own hosts and the process's own, and only key variables by name.
- What the Clockify client is told of the pack: its user agent, and one attempt per
  request when the caller retries itself.

Nothing here sends a request: the Clockify client does, with what this module settles.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from clockify_actions import __version__
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.runtime.checks import compiled, validator
from clockify_actions.runtime.problems import connection_message
from clockify_actions.runtime.redact import Redactor, secret_settings
from clockify_actions.schemacheck import Check

if TYPE_CHECKING:
    from clockify_actions.clockify import ClientSettings

REGIONS: dict[str, str] = {
    "global": "https://api.clockify.me/api/v1",
    "euc1": "https://euc1.clockify.me/api/v1",
    "use2": "https://use2.clockify.me/api/v1",
    "euw2": "https://euw2.clockify.me/api/v1",
    "apse2": "https://apse2.clockify.me/api/v1",
}
DEFAULT_REGION = "global"
# Clockify's reports host per region (docs/clockify-api.md §1.1, §24.1): reports are served
# apart from the REST API, and a regional workspace reads its reports on its region's host.
REPORTS_REGIONS: dict[str, str] = {
    "global": "https://reports.api.clockify.me/v1",
    "euc1": "https://euc1.clockify.me/report/v1",
    "use2": "https://use2.clockify.me/report/v1",
    "euw2": "https://euw2.clockify.me/report/v1",
    "apse2": "https://apse2.clockify.me/report/v1",
}
USER_AGENT = f"clockify-actions/{__version__} (+https://pypi.org/project/clockify-actions/)"

# What a request line (or a Celery task) may say of its connection.
CONNECTION_FIELDS = frozenset(
    {"api_key_env", "region", "base_url", "reports_base_url", "workspace_id"}
)
KEY_ENV_NAME = re.compile(r"CLOCKIFY_[A-Z0-9_]*API_KEY")


def base_url_for(
    region: str | None = None, base_url: str | None = None, *, allow_insecure: bool = False
) -> str:
    """The API root for a region, or a validated override.

    Plain `http` is refused except on loopback (the sandbox) or when asked for, so that
    a mistyped URL never sends the API key unencrypted across a network.
    """
    if base_url:
        return _checked_root(base_url, "base_url", REGIONS[DEFAULT_REGION], allow_insecure)
    return REGIONS[_region(region)]


def reports_base_url_for(
    region: str | None = None,
    base_url: str | None = None,
    reports_base_url: str | None = None,
    *,
    allow_insecure: bool = False,
) -> str:
    """The reports root: the override when given; else, for a `base_url`, the reports host
    of the region it is the API root of, or `<scheme>://<host>[:port]/report/v1` on its own
    host (the form of Clockify's regional and subdomain hosts, and of the sandbox); else
    the region's reports host. The same rules as `base_url_for` apply to what is given."""
    if reports_base_url:
        return _checked_root(
            reports_base_url, "reports_base_url", REPORTS_REGIONS[DEFAULT_REGION], allow_insecure
        )
    if base_url:
        root = base_url_for(base_url=base_url, allow_insecure=allow_insecure)
        for name, api_root in REGIONS.items():
            if root.lower() == api_root:
                return REPORTS_REGIONS[name]
        parts = urlsplit(root)
        return f"{parts.scheme}://{parts.netloc}/report/v1"
    return REPORTS_REGIONS[_region(region)]


def _region(region: str | None) -> str:
    name = (region or DEFAULT_REGION).lower()
    if name not in REGIONS:
        raise ActionError(
            ErrorType.CONFIG,
            f"Unknown Clockify region {region!r}; use one of: {', '.join(REGIONS)}.",
        )
    return name


def _checked_root(url: str, setting: str, example: str, allow_insecure: bool) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ActionError(ErrorType.CONFIG, f"{setting} must be an http(s) URL such as {example}.")
    if "@" in parts.netloc:
        # Never echoed: what precedes the @ is a user name and often a password.
        raise ActionError(
            ErrorType.CONFIG,
            f"{setting} must not carry a user name or password (user:password@host): "
            "Clockify takes only the API key, which the pack sends in a header.",
        )
    # Imported here: the loopback rule needs httpx, which `list` and `describe` do not.
    from clockify_actions.loopback import is_loopback_host

    if parts.scheme == "http" and not (allow_insecure or is_loopback_host(host)):
        raise ActionError(
            ErrorType.CONFIG,
            f"{setting} must use https unless it points at this machine (the sandbox); "
            "pass allow_insecure to override.",
        )
    return url.rstrip("/")


class Connection:
    """The connection settings the manifest declares (`connection_schema`, with the
    setting that holds the key named by `auth`): read, checked, redacted and resolved to
    the roots a client is built for."""

    def __init__(self, schema: dict[str, Any], auth: Mapping[str, str]) -> None:
        self.schema = schema
        self.key_setting = auth["setting"]

    def settings(self, **given: Any) -> dict[str, Any]:
        """Connection settings from arguments, else each setting's `x-env` variable, else
        its default; not yet checked."""
        values: dict[str, Any] = {}
        environ = os.environ
        for setting, variable, has_default, default in self._sources:
            value = given.get(setting)
            if value is None and variable:
                value = environ.get(variable) or None
            if value is None and has_default:
                value = default
            if value is not None:
                values[setting] = value
        return values

    @cached_property
    def _sources(self) -> list[tuple[str, Any, bool, Any]]:
        # What `settings` reads of the connection schema, which never changes: looked up
        # once instead of on every run.
        return [
            (setting, schema.get("x-env"), "default" in schema, schema.get("default"))
            for setting, schema in self.schema["properties"].items()
        ]

    @cached_property
    def _check(self) -> Check:
        # Formats are not asserted in connection settings, as jsonschema's default.
        return compiled(self.schema, {})

    def checked(self, values: dict[str, Any]) -> dict[str, Any]:
        """`values` when they match the schema; else a `config_error` saying what is wrong."""
        if self._check(values):
            return values
        problems = list(validator(self.schema).iter_errors(values))
        if problems:
            raise ActionError(
                ErrorType.CONFIG,
                " ".join(connection_message(p, self.schema) for p in problems),
            )
        return values

    def redactor(self, values: Mapping[str, Any]) -> Redactor:
        """Hides the values of the settings the schema declares secret; built once per set
        of secrets (a redactor never changes), so that a run reuses it."""
        secrets = tuple([values.get(name) for name in self._secret_names])
        try:
            known = self._redactors.get(secrets)
        except TypeError:  # an unhashable secret: not a key of the cache
            known = None
        if known is not None:  # the cache holds only keys of strings and None
            return known
        if not all(isinstance(secret, str | None) for secret in secrets):
            return Redactor(secrets)  # not a key of the cache (such a value is refused later)
        redactor = self._redactors.get(secrets)
        if redactor is None:
            if len(self._redactors) >= 16:
                self._redactors.clear()
            redactor = self._redactors[secrets] = Redactor(secrets)
        return redactor

    @cached_property
    def _secret_names(self) -> list[str]:
        return secret_settings(self.schema)

    @cached_property
    def _redactors(self) -> dict[tuple[Any, ...], Redactor]:
        return {}

    def roots(self, values: dict[str, Any], allow_insecure: bool) -> tuple[str, str, str]:
        """The checked connection's API key, API root and reports root.

        They depend on nothing but the settings and `allow_insecure`, so a long-lived
        process checks each connection it meets once: only a connection that passed every
        check is kept, and one that fails is checked afresh (and refused) every time."""
        try:
            key = (tuple(values.items()), allow_insecure)
            roots = self._checked_roots.get(key)
        except TypeError:  # a value that is no key (it cannot be valid): checked below
            key, roots = None, None
        if roots is None:
            roots = self._resolve_roots(values, allow_insecure)
            if key is not None:
                if len(self._checked_roots) >= 64:
                    self._checked_roots.clear()
                self._checked_roots[key] = roots
        return roots

    @cached_property
    def _checked_roots(self) -> dict[tuple[Any, ...], tuple[str, str, str]]:
        return {}

    def _resolve_roots(self, values: dict[str, Any], allow_insecure: bool) -> tuple[str, str, str]:
        connection = self.checked(values)
        region, base_url = connection.get("region"), connection.get("base_url")
        return (
            connection[self.key_setting],
            base_url_for(region, base_url, allow_insecure=allow_insecure),
            reports_base_url_for(
                region,
                base_url,
                connection.get("reports_base_url"),
                allow_insecure=allow_insecure,
            ),
        )


PAGE_SIZE_ENV = "CLOCKIFY_PAGE_SIZE"
RETRY_ENV_PREFIX = "CLOCKIFY_RETRY_"
# Each retry setting's kind, as `CLOCKIFY_RETRY_<SETTING>` is read.
_RETRY_KINDS: dict[str, type[int] | type[float]] = {
    "max_attempts": int,
    "base_delay": float,
    "max_delay": float,
    "retry_after_cap": float,
    "deadline": float,
}


def page_size_from_environ(environ: Mapping[str, str] | None = None) -> int | None:
    """`CLOCKIFY_PAGE_SIZE` (1 to Clockify's largest page), or None when unset: a smaller
    page holds less in memory at once, and a replay of a list recorded page by page can be
    served as it was."""
    from clockify_actions.clockify.settings import PAGE_SIZE

    raw = (os.environ if environ is None else environ).get(PAGE_SIZE_ENV)
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= PAGE_SIZE:
        raise ActionError(
            ErrorType.CONFIG, f"{PAGE_SIZE_ENV} must be a whole number from 1 to {PAGE_SIZE}."
        )
    return int(raw)


def retry_from_environ(environ: Mapping[str, str] | None = None) -> dict[str, int | float]:
    """The retry settings `CLOCKIFY_RETRY_<SETTING>` sets (e.g.
    `CLOCKIFY_RETRY_MAX_ATTEMPTS=1` turns retries off), checked."""
    environ = os.environ if environ is None else environ
    values: dict[str, int | float] = {}
    for setting, kind in _RETRY_KINDS.items():
        name = f"{RETRY_ENV_PREFIX}{setting.upper()}"
        if environ.get(name):
            try:
                values[setting] = kind(environ[name])
            except ValueError:
                raise ActionError(
                    ErrorType.CONFIG, f"{name} must be a number, not {environ[name]!r}."
                ) from None
            if values[setting] < (1 if kind is int else 0):
                raise ActionError(ErrorType.CONFIG, f"{name} is out of range.")
    return values


def client_settings(settings: ClientSettings | None) -> ClientSettings:
    """The settings a run's client is built with: `settings` (else the client's defaults),
    with the environment's page size and retry settings where they leave the defaults as
    they are (settings given in code win), sending the pack's user agent unless they name
    one of their own. Read now, so that a changed environment counts."""
    retry = retry_from_environ()
    return _resolved(settings, page_size_from_environ(), tuple(sorted(retry.items())))


@lru_cache(maxsize=16)
def _resolved(
    settings: ClientSettings | None,
    page_size: int | None,
    retry: tuple[tuple[str, int | float], ...],
) -> ClientSettings:
    # The same object for the same settings and environment, so that the clients built
    # with it are reused.
    from clockify_actions.clockify import ClientSettings, RetrySettings
    from clockify_actions.clockify.settings import PAGE_SIZE

    given = settings or ClientSettings()
    fields = _fields(given)
    if given.user_agent == ClientSettings.user_agent_default:
        fields["user_agent"] = USER_AGENT
    if page_size is not None and given.page_size == PAGE_SIZE:
        fields["page_size"] = page_size
    if retry and given.retry == RetrySettings():
        fields["retry"] = RetrySettings(**{**_fields(given.retry), **dict(retry)})
    return ClientSettings(**fields)


@lru_cache(maxsize=16)
def single_attempt(settings: ClientSettings | None) -> ClientSettings:
    """`settings` (or the defaults) with one attempt per request: nothing is retried, for
    a caller (`retries: none`) whose own retry policy is the only one. The same object for
    the same settings, so that the clients built with it are reused."""
    from clockify_actions.clockify import ClientSettings, RetrySettings

    given = client_settings(settings)
    retry = RetrySettings(**{**_fields(given.retry), "max_attempts": 1})
    return ClientSettings(**{**_fields(given), "retry": retry})


def _fields(settings: Any) -> dict[str, Any]:
    return dict(zip(settings._FIELDS, settings._values(), strict=True))


class _Settled(Protocol):
    def settings(self, **given: Any) -> dict[str, Any]: ...


class Choices:
    """What a request's `connection` may choose (a `serve` request line, a Celery task),
    given the process's own settings: Clockify's own hosts and the process's, and only key
    variables by name, so that a request is never trusted with the process's key."""

    def __init__(self, pack: _Settled, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.allowed_base_urls = set(REGIONS.values())
        self.allowed_reports_base_urls = set(REPORTS_REGIONS.values())
        own = pack.settings(
            region=defaults.get("region"),
            base_url=defaults.get("base_url"),
            reports_base_url=defaults.get("reports_base_url"),
        )
        insecure = bool(defaults.get("allow_insecure"))
        # A bad setting of the process's own is reported by every run that relies on it.
        with contextlib.suppress(ActionError):
            self.allowed_base_urls.add(
                base_url_for(own.get("region"), own.get("base_url"), allow_insecure=insecure)
            )
        with contextlib.suppress(ActionError):
            self.allowed_reports_base_urls.add(
                reports_base_url_for(
                    own.get("region"),
                    own.get("base_url"),
                    own.get("reports_base_url"),
                    allow_insecure=insecure,
                )
            )

    def options(self, request: dict[str, Any]) -> dict[str, Any]:
        """`Pack.run` keyword arguments for this request; a choice the process does not
        allow is a `validation_error`, refused before anything is sent."""
        connection = request.get("connection")
        if connection is None:
            connection = {}
        if not isinstance(connection, dict) or set(connection) - CONNECTION_FIELDS:
            raise _invalid(
                f"connection must be an object with only: {', '.join(sorted(CONNECTION_FIELDS))}."
            )
        options = dict(self.defaults)
        if "region" in connection:
            options["base_url"] = self._region(connection["region"])
            options["reports_base_url"] = REPORTS_REGIONS[connection["region"].lower()]
        if "base_url" in connection:
            options["base_url"] = self._base_url(connection["base_url"])
            if options["base_url"] in REGIONS.values():
                # A region's API root reads its reports on that region's reports host.
                options["reports_base_url"] = reports_base_url_for(base_url=options["base_url"])
        if "reports_base_url" in connection:
            options["reports_base_url"] = self._reports_base_url(connection["reports_base_url"])
        if "api_key_env" in connection:
            options["api_key"] = _key(connection["api_key_env"])
        if "workspace_id" in connection:
            # Only where the process's key already goes: the pack checks it as a setting.
            options["workspace_id"] = connection["workspace_id"]
        return options

    @staticmethod
    def _region(region: Any) -> str:
        # The region's own root, so that it also wins over the process's base URL.
        if not isinstance(region, str) or region.lower() not in REGIONS:
            raise _invalid(f"connection.region must be one of: {', '.join(REGIONS)}.")
        return REGIONS[region.lower()]

    def _base_url(self, base_url: Any) -> str:
        # Any other host, this machine included, could be someone else's: the process's
        # key goes only where the process was told it may go.
        if not isinstance(base_url, str) or base_url.rstrip("/") not in self.allowed_base_urls:
            raise _invalid(
                "connection.base_url must be one of Clockify's regional API roots or the "
                f"process's own: {', '.join(sorted(self.allowed_base_urls))}."
            )
        return base_url.rstrip("/")

    def _reports_base_url(self, url: Any) -> str:
        # The same rule as for base_url: the key goes only to Clockify or the process's own host.
        if not isinstance(url, str) or url.rstrip("/") not in self.allowed_reports_base_urls:
            raise _invalid(
                "connection.reports_base_url must be one of Clockify's reports roots or the "
                f"process's own: {', '.join(sorted(self.allowed_reports_base_urls))}."
            )
        return url.rstrip("/")


def _key(name: Any) -> str:
    # Only key variables: otherwise a line could send any other value of the process's
    # environment (CLOCKIFY_SANDBOX_DB, say) as a key.
    if not isinstance(name, str) or not KEY_ENV_NAME.fullmatch(name):
        raise _invalid(
            "connection.api_key_env must name a variable of the form CLOCKIFY_*API_KEY, "
            "e.g. CLOCKIFY_EU_API_KEY."
        )
    key = os.environ.get(name)
    if not key:
        raise ActionError(ErrorType.CONFIG, f"The environment variable {name} is not set.")
    return key


def _invalid(message: str) -> ActionError:
    return ActionError(ErrorType.VALIDATION, message)


def unpaced_settings() -> ClientSettings:
    """The client settings for a local emulator, which emulates Clockify's rate limits
    itself when asked to: no pacing of our own."""
    from clockify_actions.clockify import ClientSettings

    return ClientSettings(requests_per_second=None)
