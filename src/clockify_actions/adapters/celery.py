"""The pack on Celery: many workers on many machines, one rate limit per key, no write
sent twice.

    celery -A clockify_actions.adapters.celery worker          # a ready app, configured below
    register(app)                                     # or the tasks on your own app

One task, `clockify_actions.run_action(action, input, connection)`, runs an action and
returns its envelope; another, `clockify_actions.poll_trigger(trigger, input, state,
connection)`, polls a trigger once and returns its envelope (its events and the state to
hand to the next poll, which the caller keeps: the task keeps no state, so a poll whose
result was not stored advanced nothing, and the next one from the caller's state delivers
the same events). `connection` is what a `serve` request line may say (see
`runtime.connection.Choices`): the name of a `CLOCKIFY_*API_KEY` variable set on the workers, a
region, or the workers' own base URL; a key never travels through the broker.

- **One limit per key.** Every request, retries included, first takes a token from a
  bucket in Redis shared by every worker: the bucket holds `CLOCKIFY_RATE_LIMIT` tokens
  (`paid`, the default, is Clockify's 50 a second; `free` is the Free plan's 30 an hour;
  or `<n>/s`, `/m`, `/h`), and each token comes back one period after the request that
  took it is over, so that no period ever sees more requests than the limit, even at
  Clockify's end (see `SharedRateLimit`). The bucket is named by a digest of the key. A
  task that cannot get a token before the pack's deadline ends `rate_limited`, nothing
  sent.
- **Reads at least once, writes at most once.** Tasks are acknowledged late and given
  back when their worker dies, within the broker's visibility timeout
  (`CLOCKIFY_CELERY_VISIBILITY_TIMEOUT`, 60 s by default, for a Redis broker). Before a
  write is run, a marker named by the task id is set in Redis (SET NX, kept for a day);
  a delivery that finds it is a redelivery of a write that may have reached Clockify, and
  ends with an error whose outcome is `unknown` instead of sending it again.
- **Redis unreachable** (`CLOCKIFY_CELERY_REDIS_URL`, by default the broker's): the task
  ends with a `network_error` within seconds, nothing sent; a URL that cannot be used is a
  `config_error`.

Celery and Redis are the optional `celery` extra, imported only by this module.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clockify_actions.errors import ActionError, ErrorType, WriteOutcome
from clockify_actions.runtime import Choices, ClientPool, Pack, Redactor, load_pack

if TYPE_CHECKING:
    import redis
    from celery import Celery, Task

INSTALL = "pip install 'clockify-actions[celery]'"
RUN_ACTION = "clockify_actions.run_action"
POLL_TRIGGER = "clockify_actions.poll_trigger"
DEFAULT_BROKER_URL = "redis://localhost:6379/0"
DEFAULT_VISIBILITY_TIMEOUT = 60.0
# Redis is on the local network: an answer slower than this means it is not there.
REDIS_TIMEOUT = 2.0
# How long a write's marker outlives its first delivery; any redelivery comes far sooner.
WRITE_MARKER_TTL = 24 * 3600
_KEY_PREFIX = "clockify-actions"
_PERIODS = {"s": 1.0, "m": 60.0, "h": 3600.0}
_RATE = re.compile(r"(\d+)\s*/\s*([smh])")
RATE_MODES = {"paid": "50/s", "free": "30/h"}


@dataclass(frozen=True)
class RateLimit:
    """At most `requests` in any `period` seconds."""

    requests: int
    period: float

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """`paid`, `free`, or `<n>/s`, `<n>/m`, `<n>/h`; anything else is a `config_error`."""
        spec = RATE_MODES.get(text.strip().lower(), text.strip().lower())
        match = _RATE.fullmatch(spec)
        if match is None or int(match[1]) < 1:
            raise ActionError(
                ErrorType.CONFIG,
                f"CLOCKIFY_RATE_LIMIT must be paid, free or a rate such as 20/s, not {text!r}.",
            )
        return cls(int(match[1]), _PERIODS[match[2]])


@dataclass(frozen=True)
class Settings:
    """What the tasks need besides Celery's own configuration, from the environment."""

    redis_url: str
    rate_limit: RateLimit

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], broker_url: str | None) -> Settings:
        redis_url = environ.get("CLOCKIFY_CELERY_REDIS_URL") or broker_url or ""
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ActionError(
                ErrorType.CONFIG,
                "The shared rate limit and write markers need Redis: set "
                "CLOCKIFY_CELERY_REDIS_URL to a redis:// URL (by default the broker's is used).",
            )
        return cls(redis_url, RateLimit.parse(environ.get("CLOCKIFY_RATE_LIMIT") or "paid"))


def _redis_failure(error: Exception) -> ActionError:
    """A Redis failure as the envelope's error; the URL is never shown (it may hold a
    password)."""
    import redis

    if isinstance(error, redis.AuthenticationError | redis.ResponseError):
        return ActionError(
            ErrorType.CONFIG,
            f"Redis (CLOCKIFY_CELERY_REDIS_URL) refused the pack's commands: {error}.",
        )
    return ActionError(
        ErrorType.NETWORK,
        "Redis (CLOCKIFY_CELERY_REDIS_URL), which holds the shared rate limit and write "
        f"markers, cannot be reached ({type(error).__name__}); the request was not sent to "
        "Clockify.",
    )


def connect_redis(url: str) -> redis.Redis:
    """A Redis client that gives up within seconds instead of hanging a worker."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    try:
        return redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
            retry=Retry(NoBackoff(), 1),
        )
    except ValueError as error:
        raise ActionError(
            ErrorType.CONFIG, f"CLOCKIFY_CELERY_REDIS_URL cannot be used: {error}."
        ) from None


# A bucket of ARGV[1] tokens. A token taken is held (its score, until the request's
# deadline, ARGV[4] microseconds ahead) until `_HAND_BACK` stamps it with the moment the
# request was over, and comes back ARGV[2] microseconds after that. Time is Redis's own, so
# that workers whose clocks differ share one bucket. Returns 0 when a token was taken, the
# microseconds until one comes back, or minus ARGV[5] when every token is held by a request
# still on its way (ask again that soon).
_TAKE_TOKEN = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local period = tonumber(ARGV[2])
local hold = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil((hold + period) / 1000) + 1000)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if oldest > now then
  return -tonumber(ARGV[5])
end
return math.max(1, oldest + period - now)
"""
_HAND_BACK = """
local now = redis.call('TIME')
redis.call('ZADD', KEYS[1], 'XX', tonumber(now[1]) * 1000000 + tonumber(now[2]), ARGV[1])
"""
# How soon a worker asks again when every token is held by a request on its way.
_IN_FLIGHT_POLL = 0.01


def key_digest(api_key: str) -> str:
    """What names a key in Redis: never the key."""
    return hashlib.sha256(api_key.encode()).hexdigest()


class SharedRateLimit:
    """One key's token bucket in Redis, shared by every worker that uses the key: a
    `RequestLimiter` for `Pack.run`.

    A token comes back one period after the request that took it is over, not after it
    was sent: a request reaches Clockify between the two, so any two requests that share
    a token reach Clockify at least one period apart, however long each took on its way,
    and no period ever sees more requests than the limit at Clockify's end.
    """

    def __init__(
        self,
        client: redis.Redis,
        api_key: str,
        limit: RateLimit,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self._bucket = f"{_KEY_PREFIX}:rate:{key_digest(api_key)}"
        self._take = client.register_script(_TAKE_TOKEN)
        self._hand_back = client.register_script(_HAND_BACK)
        self._period_us = int(limit.period * 1_000_000)
        self._sleep = sleep
        self._clock = clock

    def acquire(self, deadline: float) -> Callable[[], None]:
        import redis

        token = uuid.uuid4().hex
        while True:
            left = deadline - self._clock()
            hold_us = max(1, int(left * 1_000_000))
            arguments: list[int | str] = [
                self.limit.requests,
                self._period_us,
                token,
                hold_us,
                int(_IN_FLIGHT_POLL * 1_000_000),
            ]
            try:
                wait_us = int(self._take([self._bucket], arguments))
            except redis.RedisError as error:
                raise _redis_failure(error) from None
            if wait_us == 0:
                return lambda: self._over(token)
            # Spread the waiters, so that they do not all ask again at the same moment.
            wait = abs(wait_us) / 1_000_000 + random.uniform(0, 0.005)
            if left <= 0 or (wait_us > 0 and wait >= left):
                raise ActionError(
                    ErrorType.RATE_LIMITED,
                    f"The key's shared limit of {self.limit.requests} requests per "
                    f"{self.limit.period:g} s (CLOCKIFY_RATE_LIMIT) leaves no room before the "
                    "deadline; nothing more was sent. Try again later.",
                )
            self._sleep(min(wait, left))

    def _over(self, token: str) -> None:
        import redis

        # Unreachable now, the token comes back anyway, one period after the deadline.
        with contextlib.suppress(redis.RedisError):
            self._hand_back([self._bucket], [token])


class WriteMarkers:
    """Which writes have been handed to the pack to send, by task id."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def first_delivery(self, task_id: str) -> bool:
        """Marks the task's write as on its way; False when an earlier delivery did."""
        import redis

        try:
            return bool(
                self._client.set(
                    f"{_KEY_PREFIX}:write:{task_id}", "1", nx=True, ex=WRITE_MARKER_TTL
                )
            )
        except redis.RedisError as error:
            raise _redis_failure(error).about_request(0, WriteOutcome.NOT_APPLIED) from None


def _redelivered_write(action: str) -> ActionError:
    return ActionError(
        ErrorType.NETWORK,
        f"The worker running this {action} stopped before it was acknowledged, after the "
        "write may have been sent to Clockify; it was not sent again: check Clockify for the "
        "record before retrying.",
        retryable=False,
    ).about_request(0, WriteOutcome.UNKNOWN)


class Runner:
    """Runs actions for one worker process: its pack, connection rules, limits and the
    Clockify clients it keeps open (one pool per thread)."""

    def __init__(self, pack: Pack, settings: Settings) -> None:
        self.pack = pack
        self.settings = settings
        self.connections = Choices(pack, {})
        self.redactor = pack.redactor()
        self._redis: redis.Redis | None = None
        self._limits: dict[str, SharedRateLimit] = {}
        self._lock = threading.Lock()
        self._pools = threading.local()

    def run(self, task_id: str, action: Any, params: Any, connection: Any = None) -> dict[str, Any]:
        """The action's envelope, redacted; never raises."""
        secrets = self.redactor
        try:
            if not isinstance(action, str):
                raise ActionError(ErrorType.VALIDATION, "action must be the name of an action.")
            options, limiter, secrets = self._connection(connection)
            read_only = self.pack.describe(action)["hints"]["read_only"]
            if not read_only and not WriteMarkers(self._client()).first_delivery(task_id):
                raise _redelivered_write(action)
            envelope = self.pack.run(
                action, params, clients=self._pool(), limiter=limiter, **options
            )
        except ActionError as error:
            envelope = error.envelope()
        redacted: dict[str, Any] = secrets.data(envelope)
        return redacted

    def poll(self, trigger: Any, params: Any, state: Any, connection: Any = None) -> dict[str, Any]:
        """The poll's envelope, redacted; never raises. A poll only reads: delivered again,
        it polls again from the same state, and the events' ids say what was seen."""
        secrets = self.redactor
        try:
            if not isinstance(trigger, str):
                raise ActionError(ErrorType.VALIDATION, "trigger must be the name of a trigger.")
            options, limiter, secrets = self._connection(connection)
            envelope = self.pack.poll(
                trigger, params, state, clients=self._pool(), limiter=limiter, **options
            )
        except ActionError as error:
            envelope = error.envelope()
        redacted: dict[str, Any] = secrets.data(envelope)
        return redacted

    def _connection(
        self, connection: Any
    ) -> tuple[dict[str, Any], SharedRateLimit | None, Redactor]:
        """`Pack.run` options for what a task's `connection` may choose (`serve`'s rules),
        the shared limit of its key, and the redactor that hides that key."""
        options = self.connections.options({"connection": connection})
        secrets = Redactor([*self.redactor.secrets, options.get("api_key")])
        api_key = self.pack.settings(api_key=options.get("api_key")).get("api_key")
        limiter = None if api_key is None else self._limit(api_key)
        return options, limiter, secrets

    def _client(self) -> redis.Redis:
        with self._lock:
            if self._redis is None:
                self._redis = connect_redis(self.settings.redis_url)
            return self._redis

    def _limit(self, api_key: str) -> SharedRateLimit:
        digest = key_digest(api_key)
        client = self._client()
        with self._lock:
            limit = self._limits.get(digest)
            if limit is None:
                limit = self._limits[digest] = SharedRateLimit(
                    client, api_key, self.settings.rate_limit
                )
            return limit

    def _pool(self) -> ClientPool:
        pool: ClientPool | None = getattr(self._pools, "pool", None)
        if pool is None:
            pool = self._pools.pool = ClientPool()
        return pool


def register(
    app: Celery, *, pack: Pack | None = None, environ: Mapping[str, str] | None = None
) -> Task:
    """Registers the pack's tasks (`run_action`, `poll_trigger`) on `app` and returns
    `run_action`. Nothing connects
    until a worker runs its first task; the settings are read then, from `environ`
    (default: the worker's environment)."""
    runners: list[Runner] = []
    lock = threading.Lock()

    def runner() -> Runner:
        with lock:
            if not runners:
                given = os.environ if environ is None else environ
                settings = Settings.from_environ(given, app.conf.broker_url)
                runners.append(Runner(pack or load_pack(), settings))
            return runners[0]

    def run_action(
        task: Task, action: str, input: Any = None, connection: Any = None
    ) -> dict[str, Any]:
        try:
            current = runner()
        except ActionError as error:
            return error.envelope()
        task_id: str = task.request.id
        return current.run(task_id, action, {} if input is None else input, connection)

    def poll_trigger(
        trigger: str, input: Any = None, state: Any = None, connection: Any = None
    ) -> dict[str, Any]:
        try:
            current = runner()
        except ActionError as error:
            return error.envelope()
        return current.poll(trigger, {} if input is None else input, state, connection)

    # Both are acknowledged late and given back when their worker dies: a poll only reads,
    # and a write is kept from running twice by its marker.
    delivery: dict[str, Any] = {
        # Only on `app`: a shared task would also appear on every app made after it.
        "shared": False,
        "acks_late": True,
        "reject_on_worker_lost": True,
    }
    # A poll's result is the only place its new state is kept: it is stored even on an app
    # that ignores results, and a poll whose result was not stored advanced nothing.
    app.task(name=POLL_TRIGGER, ignore_result=False, **delivery)(poll_trigger)
    return app.task(name=RUN_ACTION, bind=True, **delivery)(run_action)


def configure(app: Celery, environ: Mapping[str, str] | None = None) -> None:
    """Celery settings for the pack's delivery rules, from `environ` (default: the
    process's): broker and results from `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND`,
    JSON only, no prefetching, and lost tasks given back after the visibility timeout."""
    environ = os.environ if environ is None else environ
    broker = environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER_URL
    text = environ.get("CLOCKIFY_CELERY_VISIBILITY_TIMEOUT") or str(DEFAULT_VISIBILITY_TIMEOUT)
    try:
        visibility = float(text)
    except ValueError:
        visibility = -1.0
    if visibility <= 0:
        raise ValueError(
            f"CLOCKIFY_CELERY_VISIBILITY_TIMEOUT must be a number of seconds, not {text!r}."
        )
    app.conf.update(
        broker_url=broker,
        result_backend=environ.get("CELERY_RESULT_BACKEND") or broker,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # A worker holds only the tasks it is running: none waits behind another there
        # while its visibility timeout runs out.
        worker_prefetch_multiplier=1,
        worker_disable_prefetch=True,
        broker_transport_options={
            "visibility_timeout": visibility,
            # Look for lost tasks several times per timeout, not every 100 s.
            "unacked_restore_interval": max(1, int(visibility / 6)),
            "unacked_restore_throttle": 1,
        },
        result_backend_transport_options={"visibility_timeout": visibility},
        broker_connection_retry_on_startup=True,
    )


def make_app(environ: Mapping[str, str] | None = None) -> Celery:
    """A Celery app configured from the environment, with the pack's tasks."""
    try:
        from celery import Celery
    except ImportError:
        raise ActionError(
            ErrorType.CONFIG, f"Celery tasks need the optional celery extra: {INSTALL}"
        ) from None
    app = Celery("clockify_actions", set_as_current=False)
    configure(app, environ)
    register(app, environ=environ)
    return app


_ready: list[Celery] = []


def __getattr__(name: str) -> Any:
    # `celery -A clockify_actions.adapters.celery` looks for `app`: made only then, so that a module
    # that imports `register` for its own app gets no second one.
    if name == "app":
        if not _ready:
            _ready.append(make_app())
        return _ready[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
