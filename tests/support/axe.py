"""axe-core (bundled by axe-playwright-python) run on a page in a real browser, and its
violations described for a failing test.

axe is injected with Playwright's ``page.evaluate``, which runs through the DevTools protocol
and is not subject to the page's Content Security Policy: the pages are audited with their real
CSP in force, no bypass needed.
"""

#: Impacts that fail the build; "moderate" and "minor" ones are printed but allowed.
BLOCKING = {"serious", "critical"}


def audit(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.response["violations"]


def describe(name, url, violations):
    lines = [f"{name} ({url}):"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"      {' '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"        {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
