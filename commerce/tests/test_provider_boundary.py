"""One provider package: only commerce/dodo/ knows Dodo; services never import it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DODO_LIBRARIES = ("dodopayments", "standardwebhooks")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _sources(*, exclude: tuple[str, ...]) -> list[Path]:
    skip = (".venv", "node_modules", "/tests/", "scripts/", *exclude)
    return [
        p
        for p in ROOT.rglob("*.py")
        if not any(part in str(p.relative_to(ROOT)) or part in f"/{p.relative_to(ROOT)}"
                   for part in skip)
    ]  # fmt: skip


def test_only_the_provider_package_uses_dodos_libraries():
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            n for n in _imports(p) if n.split(".")[0] in DODO_LIBRARIES
        )
        for p in _sources(exclude=("commerce/dodo/",))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_services_speak_only_our_types():
    """No cycle: commerce.dodo calls the services, never the other way round."""
    services = ROOT / "commerce" / "services"
    for path in services.glob("*.py"):
        for name in _imports(path):
            assert not name.startswith("commerce.dodo"), (path.name, name)
            assert name.split(".")[0] not in DODO_LIBRARIES, (path.name, name)


def test_the_client_module_holds_no_transport():
    source = (ROOT / "commerce" / "dodo" / "client.py").read_text(encoding="utf-8")
    assert "WSGITransport" not in source
    assert "MockTransport" not in source
