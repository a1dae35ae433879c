from datetime import timedelta

from bot.scheduling.retry import backoff


def test_the_wait_doubles_after_each_failure_up_to_its_cap() -> None:
    waits = [
        backoff(failures, first=timedelta(seconds=15), cap=timedelta(minutes=1)).total_seconds()
        for failures in range(1, 6)
    ]
    assert waits == [15, 30, 60, 60, 60]


def test_a_count_below_one_waits_the_first_wait() -> None:
    assert backoff(0, first=timedelta(seconds=15), cap=timedelta(minutes=1)) == timedelta(
        seconds=15
    )
