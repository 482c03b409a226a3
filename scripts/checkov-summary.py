"""Summarizes one environment's checkov scans for scripts/checkov.sh.

Usage: checkov-summary.py ENVIRONMENT REPORT_WITH_SKIPS REPORT_WITHOUT_SKIPS CHECKOV_CONFIG

Prints passed / failed / skipped counts (skipped = findings that the config's skips hide, from
the scan without skips), every failed check, the hidden findings per skip, and the skips that
hide nothing in this environment (candidates for removal). Exits 1 when a check failed or a
file could not be parsed.
"""
import collections
import json
import re
import sys

import yaml


def load(path):
    report = json.load(open(path))
    # checkov writes a list when several frameworks ran and an object for one.
    reports = report if isinstance(report, list) else [report]
    failed, passed, parsing_errors = [], 0, 0
    for framework_report in reports:
        summary = framework_report.get("summary", {})
        passed += summary.get("passed", 0)
        parsing_errors += summary.get("parsing_errors", 0)
        failed += framework_report.get("results", {}).get("failed_checks", [])
    return passed, failed, parsing_errors


def key(check):
    return (check["check_id"], check["resource"], check["file_path"])


def skip_hides(skip, check):
    """Whether a `skip-check` entry (`CHECK_ID` or `CHECK_ID:<path regex>`) covers a finding."""
    check_id, _, path_pattern = skip.partition(":")
    return check["check_id"] == check_id and (not path_pattern or re.search(f"^/{path_pattern}", check["file_path"]))


def main(environment, with_skips, without_skips, config_path):
    skips = (yaml.safe_load(open(config_path)) or {}).get("skip-check", [])
    passed, failed, parsing_errors = load(with_skips)
    unskipped_passed, unskipped_failed, _ = load(without_skips)
    remaining = {key(check) for check in failed}
    hidden = [check for check in unskipped_failed if key(check) not in remaining]
    print(f"checkov {environment}: passed {passed}, failed {len(failed)}, skipped {len(hidden)}"
          + (f", parsing errors {parsing_errors}" if parsing_errors else "")
          + f" (without skips: passed {unskipped_passed}, failed {len(unskipped_failed)})")
    for check_id, resource, file_path in sorted(remaining):
        print(f"  FAILED  {check_id}  {resource}  ({file_path})")
    hidden_by_skip = collections.Counter(skip for check in hidden for skip in skips if skip_hides(skip, check))
    for skip in skips:
        count = hidden_by_skip[skip]
        print(f"  skipped {count:3d} by {skip}" + ("  <- hides nothing here" if count == 0 else ""))
    return 1 if failed or parsing_errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
