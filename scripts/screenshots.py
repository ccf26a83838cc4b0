"""Screenshots of every main page for each demo role, at desktop (1366×768) and phone
(390×844) width, into one folder, so a reviewer sees the whole portal in a minute.

    scripts/screenshots.sh [OUT_DIR]          (default: screenshots/)

A throwaway SQLite database gets the migrations and the demo data (`flask demo`, today pinned
to 10/06/2022), the app is served on a free loopback port, and headless Chromium
(PORTAL_CHROMIUM, default /usr/bin/chromium) logs in as each role. Files are named
<role>-<page>-<desktop|phone>.png; index.html shows them side by side.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Demo accounts per role (README's table) and their pages: app.ops.pages.UI_ACCOUNTS, ui_pages_for.
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="kstt-shots-")
    os.environ.setdefault("PORTAL_TODAY", "2022-06-10")
    from app import create_app
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/portal.sqlite",
                                "UPLOAD_FOLDER": f"{tmp}/uploads", "PORTAL_TODAY": os.environ["PORTAL_TODAY"]})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        from app.demo import load_demo
        load_demo(reset=True)
        from app.ops.pages import UI_ACCOUNTS, sample_ids, ui_pages_for
        ids = sample_ids()
    import logging
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    from playwright.sync_api import sync_playwright
    # SHOTS="head:task,staff" limits the run to some roles (and pages) while working on them.
    only = [x.split(":") for x in os.environ.get("SHOTS", "").split(",") if x]
    wanted = lambda role, name: not only or any(o[0] == role and (len(o) == 1 or o[1] == name) for o in only)
    shots = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"),
                                     args=["--no-sandbox", "--disable-gpu"])
        for role, (username, _) in UI_ACCOUNTS.items():
            if not any(wanted(role, spec.name) for spec in ui_pages_for(role)):
                continue
            for size, (w, h) in SIZES.items():
                page = browser.new_page(viewport={"width": w, "height": h}, locale="vi-VN")
                page.goto(f"{base}/login")
                page.fill("#username", username)
                page.fill("#password", "Demo@2022")
                page.click("button[type=submit]")
                page.wait_for_url(lambda url: "/login" not in url)
                for spec in ui_pages_for(role):
                    name = spec.name.replace(" ", "-")
                    if not wanted(role, spec.name):
                        continue
                    page.goto(base + spec.path.format(**ids))
                    page.wait_for_load_state("networkidle")
                    file = out / f"{role}-{name}-{size}.png"
                    page.screenshot(path=str(file), full_page=True)
                    shots.append((role, name, size, file.name))
                page.close()
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/login")
        page.screenshot(path=str(out / "login-phone.png"), full_page=True)
        browser.close()
    server.shutdown()
    _index(out, shots)
    print(f"{len(shots) + 1} screenshots in {out}/ (open {out}/index.html)")
    return 0


def _index(out: Path, shots: list) -> None:
    rows = []
    for role, name, size, file in shots:
        rows.append(f'<figure><figcaption>{role} · {name} · {size}</figcaption>'
                    f'<a href="{file}"><img src="{file}" loading="lazy" width="{390 if size == "phone" else 683}"></a></figure>')
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>KSTT screenshots</title>"
        "<style>body{font-family:sans-serif}figure{display:inline-block;vertical-align:top;margin:8px}"
        "img{border:1px solid #ccc}</style>" + "".join(rows), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
