"""Copy GOV.UK Frontend's compiled CSS and JS from node_modules into static/govuk/ (git-ignored).

This is a council's site, not GOV.UK: the GDS Transport font and the crown/crest images are removed, so pages use
Arial (Liberation Sans on Linux) and never request GOV.UK's brand assets.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
OUT = ROOT / "static" / "govuk"


def rebrand_css(css: str) -> str:
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
    css = css.replace("font-family:GDS Transport", "font-family:arial")
    css = css.replace("url(/assets/images/govuk-crest.svg)", "none")
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    if "GDS Transport" in css or "/assets/" in css:
        raise SystemExit("GOV.UK brand assets are still referenced in the CSS; update scripts/build_assets.py")
    return css


def main() -> int:
    if not DIST.exists():
        print("node_modules/govuk-frontend is missing: run `npm ci` first", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    css = (DIST / "govuk-frontend.min.css").read_text(encoding="utf-8")
    (OUT / "govuk-frontend.min.css").write_text(rebrand_css(css), encoding="utf-8")
    js = (DIST / "govuk-frontend.min.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=.*", "", js)
    (OUT / "govuk-frontend.min.js").write_text(js, encoding="utf-8")
    shutil.copyfile(ROOT / "node_modules" / "govuk-frontend" / "package.json", OUT / "VERSION.json")
    print(f"GOV.UK Frontend assets written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
