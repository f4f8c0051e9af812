"""JUnit XML of a regression run, so any CI shows it natively: one test case per (suite, problem).

A problem fails its test case when its item is not ``ok`` (``error`` items as <error>, the rest as
<failure>; skipped and missing items are failures too, never passes) or when it regressed against
the baseline (each regression named in the failure message).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from rtlgen.regress.api import RegressResult


def junit_xml(result: RegressResult) -> str:
    regressions = defaultdict(list)
    for change in result.regressions:
        regressions[(change.suite, change.problem)].append(str(change))
    root = ET.Element("testsuites", name=f"rtlgen regress {result.run.label()}")
    by_suite = defaultdict(list)
    for item in result.items:
        by_suite[item.suite].append(item)
    for suite, items in by_suite.items():
        node = ET.SubElement(root, "testsuite", name=suite, tests=str(len(items)),
                             timestamp=result.run.started, time=f"{sum(i.seconds for i in items):.3f}")
        failures = errors = 0
        for item in items:
            case = ET.SubElement(node, "testcase", classname=f"rtlgen.regress.{suite}", name=item.problem,
                                 time=f"{item.seconds:.3f}")
            rec = item.record
            named = regressions.get(item.key, [])
            if not item.ok or named:
                kind = "error" if item.status == "error" else "failure"
                errors, failures = errors + (kind == "error"), failures + (kind == "failure")
                lines = ([f"{item.status} ({rec.failure_class or rec.status}): {rec.message}"] if not item.ok else [])
                lines += named
                ET.SubElement(case, kind, message="; ".join(lines)[:500],
                              type="regression" if item.ok else (rec.failure_class or item.status)).text = "\n".join(lines)
            out = (f"status {item.status}; lint {rec.lint}, autotb {rec.autotb}, formal {rec.formal}, "
                   f"official {rec.official}; strength {rec.strength or '-'}; area_um2 {rec.area_um2}, "
                   f"delay_ns {rec.delay_ns}, power_w {rec.power_w}; candidate {item.candidate_hash}")
            ET.SubElement(case, "system-out").text = out
        node.set("failures", str(failures))
        node.set("errors", str(errors))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(result: RegressResult, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(junit_xml(result), encoding="utf-8")
    return out
