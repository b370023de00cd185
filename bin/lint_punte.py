"""punte's own lint: constructs that are dangerous here even when ruff and mypy accept them.

Each rule says what to write instead. Run by `make lint`."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE_RULES = [
    (re.compile(r"<script(?![^>]*\bsrc=)", re.I), "inline <script>: the CSP forbids it; put code in punte/static/punte/*.js"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler (onclick=...): bind it in punte/static/punte/punte.js"),
    (re.compile(r"\sstyle\s*=", re.I), 'style="...": the CSP forbids inline styles; add a class to punte.css'),
    (re.compile(r"\|\s*safe\b"), "|safe turns off escaping; render data as text"),
    (re.compile(r"{%\s*autoescape\s+off"), "autoescape off; render data as text"),
    (re.compile(r"https?://", re.I), "an external URL: serve every asset from punte itself"),
]
PYTHON_RULES = [
    (re.compile(r"\bmark_safe\("), "mark_safe(): let templates escape; format_html() if markup is needed"),
    (re.compile(r"\bcursor\(\)\.execute\(.*%"), "SQL built with %: pass parameters to execute()"),
    (re.compile(r"\bcsrf_exempt\b"), "csrf_exempt: pages use CSRF; the API uses bearer tokens instead of cookies"),
]
# Views and API endpoints read through selectors (visibility fails closed) and write through services.
EDGE_RULES = [
    (re.compile(r"\b[A-Z][A-Za-z]+\.objects\."), "Model.objects in a view or endpoint: call a selector or service"),
]
EDGE_FILES = ("views.py",)


def check(path: Path, rules: list[tuple[re.Pattern[str], str]]) -> list[str]:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "lint: allow" in line:
            continue
        for pattern, message in rules:
            if pattern.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {message}")
    return problems


def main() -> int:
    problems: list[str] = []
    for path in sorted((ROOT / "punte").rglob("*.html")):
        if path.name == "500.html":
            continue
        problems += check(path, TEMPLATE_RULES)
    for path in sorted((ROOT / "punte").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        problems += check(path, PYTHON_RULES)
        if path.name in EDGE_FILES or path.parent.name == "api":
            problems += check(path, EDGE_RULES)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
