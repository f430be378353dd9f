"""The Celery adapter's pieces against a real `redis-server`: the shared token bucket, the
write markers, what a task message may name, and Redis being away."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery

import clockify_actions.adapters.celery as adapter
from celery_cluster import free_port, redis_server
from clockify_actions import Pack
from clockify_actions.adapters.celery import (
    POLL_TRIGGER,
    RUN_ACTION,
    RateLimit,
    Runner,
    Settings,
    SharedRateLimit,
    configure,
    register,
)
from clockify_actions.errors import ActionError
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_WORKSPACE_ID,
    OTHER_API_KEY,
    OTHER_USER_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

pytestmark = pytest.mark.xdist_group("celery-redis")

ENTRY = {
    "workspace_id": DEMO_WORKSPACE_ID,
    "project_id": SAMPLE_PROJECT_ID,
    "description": "From a task",
    "start": "2026-01-28T09:00:00Z",
    "end": "2026-01-28T10:00:00Z",
}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def store(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushall()
    yield client
    client.close()


class FakeTime:
    """A monotonic clock that only `sleep` moves."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def bucket(store: redis.Redis, limit: RateLimit, fake: FakeTime, key: str = DEMO_API_KEY) -> Any:
    return SharedRateLimit(store, key, limit, sleep=fake.sleep, clock=fake.clock)


@pytest.mark.parametrize(
    ("text", "limit"),
    [("paid", RateLimit(50, 1.0)), ("free", RateLimit(30, 3600.0)), ("20/s", RateLimit(20, 1.0))],
)
def test_rate_limits_by_mode_or_rate(text: str, limit: RateLimit) -> None:
    assert RateLimit.parse(text) == limit


@pytest.mark.parametrize("text", ["fast", "0/s", "20/d", ""])
def test_an_unusable_rate_limit_is_a_config_error(text: str) -> None:
    with pytest.raises(ActionError) as raised:
        RateLimit.parse(text)
    assert raised.value.type.value == "config_error"


def test_the_bucket_lends_its_tokens_then_refuses_without_waiting_past_the_deadline(
    store: redis.Redis,
) -> None:
    fake = FakeTime()
    limit = bucket(store, RateLimit(3, 60.0), fake)
    for _ in range(3):
        limit.acquire(fake.now + 45)()
    with pytest.raises(ActionError) as raised:
        limit.acquire(fake.now + 45)
    assert raised.value.type.value == "rate_limited"
    assert fake.sleeps == []


def test_the_free_plan_refuses_the_31st_request_of_the_hour_at_once(store: redis.Redis) -> None:
    fake = FakeTime()
    limit = bucket(store, RateLimit.parse("free"), fake)
    for _ in range(30):
        limit.acquire(fake.now + 45)()
    with pytest.raises(ActionError, match="30 requests per 3600 s"):
        limit.acquire(fake.now + 45)
    assert fake.sleeps == []


def test_a_token_comes_back_a_period_after_its_request_is_over(store: redis.Redis) -> None:
    fake = FakeTime()
    limit = bucket(store, RateLimit(1, 0.3), fake)
    over = limit.acquire(fake.now + 45)
    # Held by a request still on its way: asked for again and again until the deadline.
    with pytest.raises(ActionError):
        limit.acquire(fake.now + 0.5)
    assert len(fake.sleeps) > 1 and sum(fake.sleeps) == pytest.approx(0.5)
    over()
    fake.sleeps.clear()
    # Now it is known to come back in 0.3 s: a deadline before that is refused at once.
    with pytest.raises(ActionError):
        limit.acquire(fake.now + 0.1)
    assert fake.sleeps == []
    time.sleep(0.35)  # Redis's own clock, which the bucket keeps time by
    limit.acquire(fake.now + 0.1)()


def test_buckets_are_per_key_and_named_by_a_digest(store: redis.Redis) -> None:
    fake = FakeTime()
    bucket(store, RateLimit(1, 60.0), fake, DEMO_API_KEY).acquire(fake.now + 45)()
    bucket(store, RateLimit(1, 60.0), fake, OTHER_API_KEY).acquire(fake.now + 45)()
    names = [name.decode() for name in store.keys("*")]
    assert len(names) == 2
    assert not any(DEMO_API_KEY in name or OTHER_API_KEY in name for name in names)


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox, sandbox.serve() as server:
        monkeypatch.setenv("CLOCKIFY_BASE_URL", server.base_url)
        monkeypatch.setenv("CLOCKIFY_API_KEY", DEMO_API_KEY)
        monkeypatch.setenv("CLOCKIFY_OTHER_API_KEY", OTHER_API_KEY)
        yield sandbox


def runner(pack: Pack, redis_url: str, rate: str = "paid") -> Runner:
    return Runner(pack, Settings(redis_url, RateLimit.parse(rate)))


def test_a_write_delivered_again_is_not_sent_again(
    pack: Pack, sandbox: Sandbox, store: redis.Redis, redis_url: str
) -> None:
    tasks = runner(pack, redis_url)
    first = tasks.run("task-1", "create_time_entry", ENTRY)
    again = tasks.run("task-1", "create_time_entry", ENTRY)
    assert first["status"] == "success"
    assert again["error"]["details"] == [{"attempts": 0, "outcome": "unknown"}]
    assert again["error"]["retryable"] is False
    assert [e["description"] for e in sandbox.time_entries(DEMO_WORKSPACE_ID)].count(
        "From a task"
    ) == 1
    assert tasks.run("task-2", "create_time_entry", ENTRY)["status"] == "success"


def test_a_read_delivered_again_runs_again(
    pack: Pack, sandbox: Sandbox, store: redis.Redis, redis_url: str
) -> None:
    tasks = runner(pack, redis_url)
    for _ in range(2):
        assert tasks.run("task-1", "list_workspaces", {})["status"] == "success"
    assert len(sandbox.request_log()) == 2


def test_a_task_names_the_key_by_its_variable_on_the_worker(
    pack: Pack, sandbox: Sandbox, store: redis.Redis, redis_url: str
) -> None:
    tasks = runner(pack, redis_url)
    envelope = tasks.run("t", "get_current_user", {}, {"api_key_env": "CLOCKIFY_OTHER_API_KEY"})
    assert envelope["id"] == OTHER_USER_ID


@pytest.mark.parametrize(
    "connection",
    [
        {"api_key_env": "HOME"},
        {"api_key": OTHER_API_KEY},
        {"base_url": "https://clockify.example.com/api/v1"},
    ],
)
def test_a_task_cannot_carry_a_key_nor_send_one_elsewhere(
    pack: Pack, sandbox: Sandbox, store: redis.Redis, redis_url: str, connection: dict[str, str]
) -> None:
    envelope = runner(pack, redis_url).run("t", "get_current_user", {}, connection)
    assert envelope["error"]["type"] == "validation_error"
    assert sandbox.request_log() == []


@pytest.mark.parametrize(
    ("action", "params", "details"),
    [
        ("list_workspaces", {}, [{"attempts": 0}]),
        ("create_time_entry", ENTRY, [{"attempts": 0, "outcome": "not_applied"}]),
    ],
)
def test_redis_away_is_a_network_error_within_seconds_and_nothing_is_sent(
    pack: Pack, sandbox: Sandbox, action: str, params: dict[str, Any], details: list[Any]
) -> None:
    started = time.monotonic()
    envelope = runner(pack, f"redis://127.0.0.1:{free_port()}/0").run("t", action, params)
    assert time.monotonic() - started < 5
    assert envelope["error"]["type"] == "network_error"
    assert "cannot be reached" in envelope["error"]["message"]
    assert envelope["error"]["details"] == details
    assert sandbox.request_log() == []


def test_a_broker_that_is_not_redis_needs_a_redis_url() -> None:
    with pytest.raises(ActionError) as raised:
        Settings.from_environ({}, "amqp://localhost")
    assert raised.value.type.value == "config_error"


def test_registered_task_runs_an_action_and_returns_its_envelope(
    pack: Pack,
    sandbox: Sandbox,
    store: redis.Redis,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOCKIFY_CELERY_REDIS_URL", redis_url)
    app = Celery("user-app", set_as_current=False)
    app.conf.task_always_eager = True
    run_action = register(app, pack=pack)
    assert app.tasks[RUN_ACTION].name == run_action.name == RUN_ACTION
    assert run_action.acks_late and run_action.reject_on_worker_lost
    envelope = run_action.apply(args=["list_workspaces", {}]).get()
    assert envelope["status"] == "success"
    assert DEMO_API_KEY not in repr(envelope)


def test_registered_poll_task_delivers_what_is_new_since_the_state_it_is_given(
    pack: Pack,
    sandbox: Sandbox,
    store: redis.Redis,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOCKIFY_CELERY_REDIS_URL", redis_url)
    app = Celery("user-app", set_as_current=False)
    app.conf.task_always_eager = True
    register(app, pack=pack)
    poll = app.tasks[POLL_TRIGGER]
    assert poll.acks_late and poll.reject_on_worker_lost
    params = {"workspace_id": DEMO_WORKSPACE_ID}
    first = poll.apply(args=["new_project", params]).get()
    assert (first["status"], first["events"]) == ("success", []), first
    created = pack.run("create_project", {**params, "name": "Polled through Celery"})
    assert created["status"] == "success", created
    second = poll.apply(args=["new_project", params, first["state"]]).get()
    assert [event["id"] for event in second["events"]] == [created["id"]], second
    again = poll.apply(args=["new_project", params, second["state"]]).get()
    assert again["events"] == []
    assert DEMO_API_KEY not in repr([first, second, again])


def test_the_ready_app_takes_broker_results_and_visibility_timeout_from_the_environment(
    redis_url: str,
) -> None:
    app = Celery("x", set_as_current=False)
    configure(
        app,
        {
            "CELERY_BROKER_URL": redis_url,
            "CELERY_RESULT_BACKEND": redis_url.replace("/0", "/1"),
            "CLOCKIFY_CELERY_VISIBILITY_TIMEOUT": "30",
        },
    )
    assert app.conf.broker_url == redis_url
    assert app.conf.result_backend.endswith("/1")
    assert app.conf.broker_transport_options["visibility_timeout"] == 30
    assert app.conf.task_acks_late and app.conf.worker_disable_prefetch
    assert configure_default_timeout() == 60


def configure_default_timeout() -> float:
    app = Celery("y", set_as_current=False)
    configure(app, {})
    timeout: float = app.conf.broker_transport_options["visibility_timeout"]
    return timeout


def test_the_module_offers_a_ready_app_for_celery_dash_a() -> None:
    app = adapter.app
    assert RUN_ACTION in app.tasks
    assert adapter.app is app
    assert os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0") == app.conf.broker_url


def test_a_task_takes_the_workspace_from_its_connection_or_the_workers_environment(
    pack: Pack,
    sandbox: Sandbox,
    store: redis.Redis,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tasks = runner(pack, redis_url)
    started = tasks.run("task-1", "start_timer", {}, {"workspace_id": "auto"})
    assert started["status"] == "success", started
    monkeypatch.setenv("CLOCKIFY_WORKSPACE_ID", DEMO_WORKSPACE_ID)
    stopped = tasks.run("task-2", "stop_timer", {})
    assert stopped["id"] == started["id"], stopped
    # One look at the user's profile served both: the default workspace, then the user.
    assert [r.path for r in sandbox.request_log()].count("/api/v1/user") == 1


def test_a_poll_result_is_stored_even_on_an_app_that_ignores_results(
    pack: Pack,
    sandbox: Sandbox,
    store: redis.Redis,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The stored result is the only place a poll's new state is kept: a poll whose result
    # was not stored would leave the caller nothing to advance from.
    monkeypatch.setenv("CLOCKIFY_CELERY_REDIS_URL", redis_url)
    app = Celery("ignoring-app", set_as_current=False)
    app.conf.update(
        task_always_eager=True,
        task_store_eager_result=True,
        task_ignore_result=True,
        result_backend=redis_url,
    )
    register(app, pack=pack)
    poll = app.tasks[POLL_TRIGGER]
    assert poll.ignore_result is False
    sent = poll.apply(args=["new_project", {"workspace_id": DEMO_WORKSPACE_ID}])
    stored = app.AsyncResult(sent.id)
    assert stored.state == "SUCCESS"
    assert stored.result["state"]["trigger"] == "new_project"
