"""Open a rendered dashboard in headless Chromium and check what a person would see.

Checks that every chart container (`<div class="chart">`) drew marks in its SVG (a container marked
`data-empty="true"` shows a "no data" message instead and is listed apart), that the page asked
for nothing outside file:// (or inline data), and that the browser console logged no error; writes a
full-page screenshot.

    python scripts/browser_check.py target/report/index.html --screenshot docs/images/dashboard.png

Needs Debian's `chromium` and `chromium-driver` (apt-get install -y chromium chromium-driver) and
the `selenium` Python package.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL_HINT = ("install it with `apt-get update && apt-get install -y chromium chromium-driver` "
                "(Debian packages; they provide /usr/bin/chromium and /usr/bin/chromedriver)")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage", "--hide-scrollbars",
)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome:", "devtools:")

# Per chart container: is an SVG there, and how many drawn marks (paths with an area, in a plot
# layer) does it hold. Plotly draws empty bars as "M0,0Z", so those do not count.
CHART_PROBE = """
return Array.from(document.querySelectorAll('.chart')).map(function (chart) {
  var svgs = chart.querySelectorAll('svg.main-svg');
  var marks = 0;
  chart.querySelectorAll('g.plot path, g.funnellayer path, g.barlayer path, g.scatterlayer path')
    .forEach(function (path) {
      var d = path.getAttribute('d') || '';
      if (d === '' || d === 'M0,0Z') { return; }
      var box = path.getBBox();
      if (box.width > 0 && box.height > 0) { marks += 1; }
    });
  return {key: chart.getAttribute('data-chart') || '(unnamed)', svgs: svgs.length,
          empty: chart.getAttribute('data-empty') === 'true',
          canvases: chart.querySelectorAll('canvas').length, marks: marks};
});
"""
READY_PROBE = """
var charts = document.querySelectorAll('.chart');
return charts.length > 0 && Array.from(charts).every(function (chart) {
  return chart.querySelector('.js-plotly-plot svg.main-svg') !== null;
});
"""


class BrowserMissing(Exception):
    """Chromium, chromedriver or selenium is not installed; the message says how to install it."""


@dataclass
class PageCheck:
    charts: dict[str, int] = field(default_factory=dict)
    empty_charts: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        found = [f"chart {key!r} drew no marks" for key, marks in self.charts.items()
                 if marks == 0 and key not in self.empty_charts]
        if not self.charts:
            found.append("the page has no chart container (<div class='chart'>)")
        found += [f"request outside file://: {url}" for url in self.remote_requests]
        found += [f"console error: {message}" for message in self.console_errors]
        return found


def require_browser(chromium: Path = CHROMIUM, chromedriver: Path = CHROMEDRIVER) -> None:
    for path, package in ((chromium, "chromium"), (chromedriver, "chromium-driver")):
        if not path.exists():
            raise BrowserMissing(f"{path} not found (Debian package {package}): {INSTALL_HINT}")
    try:
        import selenium  # noqa: F401
    except ImportError:
        raise BrowserMissing("the selenium package is missing: run `make venv` (it is pinned in "
                             "requirements-dev.txt)") from None


def start_driver(user_data_dir: Path, width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def take_full_page_screenshot(driver, path: Path, width: int) -> None:
    height = int(driver.execute_script(
        "return Math.ceil(document.documentElement.scrollHeight);"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    time.sleep(0.5)  # let plotly's responsive relayout settle
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))


def check_page(page: Path, screenshot: Path | None = None, width: int = 1400,
               timeout: float = 30.0) -> PageCheck:
    """Load `page` in headless Chromium and report what rendered, what it fetched, what it logged."""
    require_browser()
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    started = time.monotonic()
    result = PageCheck()
    with tempfile.TemporaryDirectory(prefix="report-chromium-") as profile:
        driver = start_driver(Path(profile), width, 1000)
        try:
            driver.get(page.resolve().as_uri())
            try:
                WebDriverWait(driver, timeout).until(lambda d: d.execute_script(READY_PROBE))
            except TimeoutException:
                pass  # charts that never drew show up as 0 marks below
            charts = driver.execute_script(CHART_PROBE)
            result.charts = {chart["key"]: chart["marks"] if chart["svgs"] or chart["canvases"] else 0
                             for chart in charts}
            result.empty_charts = [chart["key"] for chart in charts
                                   if chart["empty"] and chart["svgs"]]
            result.remote_requests = [url for url in requested_urls(driver)
                                      if not url.startswith(LOCAL_SCHEMES)]
            result.console_errors = [entry["message"] for entry in driver.get_log("browser")
                                     if entry["level"] == "SEVERE"]
            if screenshot is not None:
                take_full_page_screenshot(driver, screenshot, width)
                result.screenshot = screenshot
        finally:
            driver.quit()
    result.seconds = time.monotonic() - started
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Open a rendered dashboard in headless Chromium: check every chart drew, nothing "
                    "was fetched from the network, no console error; optionally save a screenshot.")
    parser.add_argument("page", type=Path, help="HTML file written by scripts/report.py")
    parser.add_argument("--screenshot", type=Path, help="PNG to write (full page)")
    parser.add_argument("--width", type=int, default=1400, help="viewport width in pixels (default 1400)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.page.is_file():
        print(f"browser_check: no file {args.page}: render it first with scripts/report.py",
              file=sys.stderr)
        return 2
    try:
        result = check_page(args.page, args.screenshot, args.width)
    except BrowserMissing as error:
        print(f"browser_check: {error}", file=sys.stderr)
        return 2
    for key, marks in result.charts.items():
        print(f"chart {key}: " + ("no data (empty state shown)" if key in result.empty_charts
                                  else f"{marks} marks"))
    if result.screenshot:
        print(f"screenshot: {result.screenshot}")
    for problem in result.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    print(f"checked in {result.seconds:.1f} s")
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
