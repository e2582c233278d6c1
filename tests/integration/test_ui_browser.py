"""The search page in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import DEMO_CORPUS

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.models]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def web_url(local_stack, pipeline_context):  # type: ignore[no-untyped-def]
    from service.local_services import LocalServices
    from workers.pipeline import ingest_refs

    from tests.integration.test_rebuttals import horizon_thread
    from tests.integration.test_trace_context import blog_document
    from tests.integration.test_trace_denials import review_document
    from workers.pipeline import ingest_document

    results = ingest_refs(sorted(str(p) for p in DEMO_CORPUS.glob("*.txt")), pipeline_context)
    assert all(r.status in ("ingested", "unchanged") for r in results)
    assert ingest_document(review_document(), pipeline_context, ref="thread:glow").status in ("ingested", "unchanged")
    assert ingest_document(blog_document(), pipeline_context, ref="blog:non-robust").status in ("ingested", "unchanged")
    assert ingest_document(horizon_thread("Authors"), pipeline_context, ref="thread:horizon").status in (
        "ingested", "unchanged")
    services = LocalServices(local_stack)
    services.start_web()
    yield services.web_url
    services.stop("web")


def test_trace_in_the_browser(web_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    from tests.integration.test_rebuttals import HORIZON_ANSWER

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(web_url + "/")
            expect(page.get_by_role("heading", name="claimgraph")).to_be_visible()
            page.get_by_label("Claim").fill("CoT adds depth")
            page.get_by_role("button", name="Trace").click()
            supports = page.locator("#supports li.statement")
            expect(supports.first).to_be_visible(timeout=120_000)
            svachalek = supports.filter(has_text="thought chains effectively act as additional layers")
            expect(svachalek.first).to_contain_text("svachalek")
            expect(page.locator("#claim-text")).not_to_be_empty()
            assert "q=CoT+adds+depth" in page.url or "q=CoT%20adds%20depth" in page.url
            page.screenshot(path=str(tmp_path / "trace.png"), full_page=True)

            # A newsletter's critique of a paper's finding is shown disputing it, and says why.
            page.get_by_label("Claim").fill("AIXI converges to optimal behavior")
            page.get_by_role("button", name="Trace").click()
            critique = page.locator("#disputes li.statement").filter(has_text="Potential critiques include")
            expect(critique.first).to_be_visible(timeout=120_000)
            expect(critique.first).to_contain_text("a critique of the finding its source reported")

            # A claim that denies the query says so, and its own words are listed as disputing it.
            page.get_by_label("Claim").fill("Glow is encouraged to increase sensitivity to input perturbations")
            page.get_by_role("button", name="Trace").click()
            denial = page.locator("#disputes li.statement").filter(has_text="I don't think Glow is encouraged")
            expect(denial.first).to_be_visible(timeout=120_000)
            expect(page.locator("#claim-meta")).to_contain_text("this claim denies your query")

            # A statement found through the sentences before it shows them.
            page.get_by_label("Claim").fill("useful non-robust features can be constructed")
            page.get_by_role("button", name="Trace").click()
            follow_up = page.locator("li.statement").filter(has_text="we can construct such patterns")
            expect(follow_up.first).to_be_visible(timeout=120_000)
            expect(follow_up.first.locator(".context")).to_contain_text("Useful non-robust features are patterns")
            expect(follow_up.first).to_contain_text("goes on in the stance of the sentences before it")

            # The paper's authors answering a critic are shown disputing the critic's point, and say why.
            page.get_by_label("Claim").fill("Dreamer is less effective with very long horizons")
            page.get_by_role("button", name="Trace").click()
            answer = page.locator("#disputes li.statement").filter(has_text=HORIZON_ANSWER)
            expect(answer.first).to_be_visible(timeout=120_000)
            expect(answer.first).to_contain_text("read as the paper's authors answering the critic")
            expect(answer.first.locator(".reply")).to_contain_text("in reply to AnonReviewer4")
        finally:
            browser.close()
