"""The watchdog's back-off: 1 s, 2 s, 4 s … at most 60 s, back to 1 s after ten good minutes."""

from __future__ import annotations

import signal

from kiosk.services.watchdog import RestartPolicy, describe_exit, kiosk_command


def test_delays_double_up_to_a_minute() -> None:
    policy = RestartPolicy()
    delays: list[float] = []
    delay = None
    for _ in range(9):
        delay = policy.next_delay(delay, ran_s=5)
        delays.append(delay)
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_ten_minutes_of_good_running_starts_the_back_off_again() -> None:
    policy = RestartPolicy()
    assert policy.next_delay(32, ran_s=599) == 60
    assert policy.next_delay(32, ran_s=600) == 1


def test_the_kiosk_is_started_again_the_way_it_was_started() -> None:
    command = kiosk_command(["--data", "d", "run"])
    assert command[-3:] == ["--data", "d", "run"]
    assert command[1:3] == ["-m", "kiosk"]


def test_exit_codes_are_told_in_words() -> None:
    assert describe_exit(3) == "exit 3"
    assert describe_exit(-signal.SIGSEGV) == "killed by SIGSEGV"
