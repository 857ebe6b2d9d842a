"""The browser check: open a run report in headless Chromium and report what a reader would see."""

from __future__ import annotations

from pathlib import Path

SCREENSHOT_NAME = "report-screenshot.png"


def browser_check(index: Path, *, screenshot: Path | None = None, timeout_ms: int = 30_000) -> dict:
    """Open ``index`` in headless Chromium (Playwright) and report what a reader would see.

    Returns ``{"console_errors": [...], "images": n, "broken_images": [alt, ...], "screenshot": path}``; raises
    ``RuntimeError`` saying why when Playwright or a Chromium binary is missing. Chromium is Debian's
    ``/usr/bin/chromium`` when present (``apt-get install chromium``), else Playwright's own download.
    """
    import shutil

    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise RuntimeError("the browser check needs the playwright package (pip install playwright)") from error
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
    index = Path(index).resolve()
    errors: list[str] = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=args, headless=True)
        except Exception as error:
            raise RuntimeError(f"no usable Chromium ({executable or 'none on PATH'}): {str(error)[:300]}") from None
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(index.as_uri(), wait_until="load", timeout=timeout_ms)
            images = page.evaluate("""() => Array.from(document.images).map(img => ({
                alt: img.alt, complete: img.complete, width: img.naturalWidth}))""")
            if screenshot is not None:
                screenshot = Path(screenshot)
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return {"console_errors": errors, "images": len(images),
            "broken_images": [i["alt"] for i in images if not i["complete"] or i["width"] == 0],
            "screenshot": screenshot}
