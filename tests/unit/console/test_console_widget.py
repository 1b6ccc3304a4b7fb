"""The console serves the built chat widget (widget/dist/) under /widget/, nothing else there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from console_helpers import Console

from console.settings import REPO_ROOT, Settings

BUNDLE = "/* widget */(()=>{})();\n"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A widget build folder with the bundle, its map, and things that must not be served."""
    folder = tmp_path / "widget" / "dist"
    folder.mkdir(parents=True)
    (folder / "widget.js").write_text(BUNDLE, encoding="utf-8")
    (folder / "widget.js.map").write_text('{"version":3}', encoding="utf-8")
    (folder / "index.html").write_text("<p>not served</p>", encoding="utf-8")
    (folder / "build.mjs").write_text("import x", encoding="utf-8")
    (folder / ".hidden.js").write_text("hidden", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "other.js").write_text("other", encoding="utf-8")
    outside = tmp_path / "widget" / "secret.js"
    outside.write_text("secret", encoding="utf-8")
    (folder / "link.js").symlink_to(outside)
    return folder


@pytest.fixture
def with_dist(sqlite_url: str, dist: Path) -> Iterator[Console]:
    app = Console(sqlite_url, widget_dir=dist)
    yield app
    app.close()


def test_the_bundle_is_served_to_any_origin(with_dist: Console) -> None:
    answer = with_dist.client().get("/widget/widget.js", headers={"Origin": "http://shop.test"})
    assert answer.status_code == 200
    assert answer.text == BUNDLE
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["cross-origin-resource-policy"] == "cross-origin"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-cache"
    source_map = with_dist.client().get("/widget/widget.js.map")
    assert source_map.status_code == 200
    assert source_map.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/widget",
        "/widget/",
        "/widget/index.html",
        "/widget/config.json",
        "/widget/chat.js",
        "/widget/build.mjs",
        "/widget/.hidden.js",
        "/widget/sub/other.js",
        "/widget/sub%2Fother.js",
        "/widget/link.js",
        "/widget/..%2Fsecret.js",
        "/widget/../secret.js",
        "/widget/missing.js",
    ],
)
def test_nothing_else_is_served_from_the_build_folder(with_dist: Console, path: str) -> None:
    answer = with_dist.client().get(path, follow_redirects=True)
    assert answer.status_code == 404, path
    assert "secret" not in answer.text and "not served" not in answer.text


def test_an_unbuilt_widget_says_how_to_build_it(sqlite_url: str, tmp_path: Path) -> None:
    app = Console(sqlite_url, widget_dir=tmp_path / "never-built")
    try:
        answer = app.client().get("/widget/widget.js")
        assert answer.status_code == 503
        assert "make setup" in answer.text
    finally:
        app.close()


def test_the_default_is_the_repo_s_build(console: Console) -> None:
    default = Settings.__dataclass_fields__["widget_dir"].default
    assert default == REPO_ROOT / "widget" / "dist"
    built = default / "widget.js"
    assert built.is_file(), "the widget is not built: run scripts/build-widget (make setup)"
    answer = console.client().get("/widget/widget.js")
    assert answer.status_code == 200
    assert answer.content == built.read_bytes()
    assert "ShopAssistant" in answer.text
