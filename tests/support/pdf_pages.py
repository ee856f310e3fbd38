"""Pages for the PDF renderer's queue tests: the pack's structure (a shell with the markers
scorecard.pdf.split_pack looks for, and ``window.scorecardCharts.draw``) with a chart
drawing that takes a chosen time, so a job's length is known."""

SHELL = """<!DOCTYPE html><html lang="en-GB"><head><title>Queue test</title><script>
window.scorecardCharts = {draw: () => {
  const delay = Number(document.querySelector('[data-delay]').dataset.delay)
  return new Promise(resolve => setTimeout(resolve, delay))
}}
</script></head><body><main id="pack-main">{main}</main></body></html>"""


def page_with_delay(milliseconds, text="Queue test page"):
    main = (
        f'<!--pack-main-start--><h1 data-delay="{int(milliseconds)}">{text}</h1>'
        "<!--pack-main-end-->"
    )
    return SHELL.replace("{main}", main)
