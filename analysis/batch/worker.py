"""Worker entry point: ``python -m analysis.batch.worker`` reads a Job as JSON on stdin,
executes it, and prints the JobResult as the last line of stdout."""

from __future__ import annotations

import logging
import sys

from .jobs import Job, execute_job


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    job = Job.from_json(sys.stdin.read())
    result = execute_job(job)
    sys.stdout.write("\n" + result.to_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
