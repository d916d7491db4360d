"""The one task runner: work runs off the UI thread and its answer comes back on it; tests run it inline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.tasks import InlineRunner, TaskRunner, TaskWorker, ThreadRunner

WAIT_MS = 5_000


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[ThreadRunner]:
    runner = ThreadRunner("test-runner", stop_wait_s=5)
    yield runner
    runner.close()


def test_a_task_runs_on_the_runner_thread_and_its_answer_comes_back_on_the_ui_thread(
    qtbot: QtBot, runner: ThreadRunner
) -> None:
    ran_on: list[str] = []
    answered_on: list[str] = []

    def work() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    def then(result: int) -> None:
        answered_on.append(threading.current_thread().name)
        assert result == 42

    runner.run(work, then)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert answered_on == [threading.main_thread().name]
    assert ran_on and ran_on != answered_on


def test_an_error_goes_to_on_error_and_the_thread_keeps_running(qtbot: QtBot, runner: ThreadRunner) -> None:
    errors: list[Exception] = []
    results: list[str] = []

    def fail() -> None:
        raise ValueError("the disk is full")

    runner.run(fail, lambda _r: results.append("wrong"), errors.append)
    runner.run(lambda: "after", results.append)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert [str(e) for e in errors] == ["the disk is full"] and results == ["after"]


def test_call_waits_for_the_result_and_raises_the_error_here(runner: ThreadRunner) -> None:
    assert runner.call(lambda: threading.current_thread().name) != threading.current_thread().name
    empty: dict[str, int] = {}
    with pytest.raises(KeyError):
        runner.call(lambda: empty["missing"])


def test_tasks_run_in_order_and_after_close_they_finish_but_answer_nobody(qtbot: QtBot) -> None:
    runner = ThreadRunner("test-close")
    order: list[int] = []
    answers: list[int] = []
    gate = threading.Event()
    runner.run(lambda: gate.wait(WAIT_MS / 1000), lambda _r: answers.append(0))
    for n in range(1, 4):
        runner.run(partial(order.append, n), lambda _r: answers.append(1))
    gate.set()
    runner.close()  # waits for the queued tasks
    qtbot.wait(50)
    assert order == [1, 2, 3] and answers == []
    assert not runner.qthread.isRunning()
    runner.run(lambda: order.append(9))  # dropped, with a warning in the log
    assert order == [1, 2, 3]


def test_a_worker_s_hooks_run_on_its_own_thread(qtbot: QtBot) -> None:
    class Worker(TaskWorker):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def thread_started(self) -> None:
            self.seen.append(threading.current_thread().name)

        def thread_stopping(self) -> None:
            self.seen.append(threading.current_thread().name)

    worker = Worker()
    runner = ThreadRunner("test-hooks", worker)
    runner.start()
    qtbot.waitUntil(lambda: len(worker.seen) == 1, timeout=WAIT_MS)
    runner.close()
    main = threading.main_thread().name
    assert len(worker.seen) == 2 and main not in worker.seen


def test_the_inline_runner_answers_before_run_returns() -> None:
    runner: TaskRunner = InlineRunner()
    answers: list[object] = []
    runner.run(lambda: 1, answers.append)
    runner.run(lambda: 1 / 0, answers.append, answers.append)
    assert answers[0] == 1 and isinstance(answers[1], ZeroDivisionError)
    assert runner.call(lambda: "now") == "now" and runner.pending == 0
    runner.close()
    runner.run(lambda: 2, answers.append)
    assert len(answers) == 2
