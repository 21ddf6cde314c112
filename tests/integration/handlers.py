"""Local task handlers the integration tests' workers load (STEPWRIGHT_TASK_HANDLERS)."""

import time


def slow_increment(parameters: dict, invocation: dict) -> dict:
    time.sleep(0.005)  # long enough that a kill lands mid-run, short enough for a quick test
    return {"n": parameters["n"] + 1}
