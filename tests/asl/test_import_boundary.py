"""asl/ is pure Python: it imports nothing from Django, Celery or boto3 (DESIGN.md, "Core vs shell")."""

import ast
import subprocess
import sys
from pathlib import Path

ASL = Path(__file__).parents[2] / "asl"
FORBIDDEN = ("django", "celery", "boto3", "botocore", "kombu")


def test_no_module_in_asl_imports_a_forbidden_package():
    offenders = []
    for path in ASL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ASL.parent)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_asl_loads_none_of_them():
    code = (
        "import sys, asl, asl.cli, asl.engine; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ASL.parent, check=True)
    assert out.stdout.strip() == "[]"
