"""Jobs of the page: errors come back as messages, never tracebacks."""

from __future__ import annotations

from planner.web.jobs import FailTask, InlineJob, Job, run_task


def test_job_errors_are_messages() -> None:
    bad = Job(FailTask("input"))
    assert bad.wait(30) and bad.state == "error" and bad.error is not None
    assert bad.error.problems[0].row == 3 and "输入有 1 处问题" in bad.error.render("zh")
    crash = Job(FailTask("crash"))
    assert crash.wait(30) and crash.state == "error" and crash.error is not None
    assert "boom" in crash.error.render("zh") and "Traceback" not in crash.error.render("zh")


def test_a_validator_rejection_is_an_internal_error() -> None:
    state, err = run_task(FailTask("bug"), lambda _: None)
    assert state == "error"
    assert err.render("zh").startswith("内部错误:独立校验未通过")
    assert "talk of L1/c1 on a Sunday" in err.render("en")
    job = InlineJob(FailTask("bug"))
    assert job.running and job.poll() and job.state == "error" and job.result is None
