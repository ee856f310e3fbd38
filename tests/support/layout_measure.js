// What tests/test_layout.py measures in a page, as Chromium draws it (see its docstring).
async (width) => {
  const problems = [];
  const scrollBox = (el) => el.matches('.table-container');
  const inScrollBox = (el) => el.parentElement && el.parentElement.closest('.table-container');
  const name = (el) => {
    const text = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ');
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} "${text.slice(0, 40)}"`;
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && el.checkVisibility({visibilityProperty: true});
  };
  // Text hidden on purpose (screen-reader text, the skip link) and the inside of a drawing.
  const skipped = (el) => el.closest('svg, .govuk-visually-hidden, .govuk-skip-link, .js-plotly-plot .svg-container');
  for (const el of document.body.querySelectorAll('*')) {
    if (skipped(el) || !shown(el)) continue;
    const style = getComputedStyle(el);
    if (style.position === 'fixed' || style.position === 'absolute') continue;
    const parent = el.parentElement;
    if (!inScrollBox(el) && parent && parent !== document.body) {
      const outer = parent.getBoundingClientRect();
      const edge = outer.right - parseFloat(getComputedStyle(parent).borderRightWidth);
      const right = el.getBoundingClientRect().right;
      // A negative right margin (GOV.UK's grid rows) is an intended bleed, not an overflow.
      if (parseFloat(style.marginRight) >= 0 && right > edge + 1) {
        problems.push(`overflow: ${name(el)} is ${Math.round(right - edge)}px wider than ${name(parent)}`);
      }
    }
    // Text wider than its own box (a long file name in a heading): the box's content
    // overflows while none of its child elements does.
    const box = el.getBoundingClientRect();
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText && !inScrollBox(el) && !el.matches('button, input, select, textarea')
        && style.display !== 'inline' && el.clientWidth
        && style.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1
        && ![...el.children].some((child) => child.getBoundingClientRect().right > box.right + 1)) {
      problems.push(`overflow: the text of ${name(el)} is ${el.scrollWidth - el.clientWidth}px wider than its box`);
    }
    const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    const cell = el.matches('td, th');
    if ((cell || hides) && !scrollBox(el) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`clipped: ${name(el)} holds ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
  }
  for (const box of document.querySelectorAll('.table-container')) {
    if (!shown(box) || box.scrollWidth <= box.clientWidth + 1) continue;
    if (width >= 1024) {
      problems.push(`cut off: ${name(box)} scrolls (${box.scrollWidth}px in ${box.clientWidth}px) at ${width}px`);
    }
    const start = box.scrollLeft;
    box.scrollLeft = box.scrollWidth;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const edges = box.getBoundingClientRect();
    for (const row of box.querySelectorAll('tbody > tr')) {
      const header = row.querySelector(':scope > th[scope="row"]') || row.firstElementChild;
      if (!header || !shown(header)) continue;
      // Where the name's text is drawn (a group's name may sit in a wide cell).
      const text = document.createRange();
      text.selectNodeContents(header);
      const r = text.getBoundingClientRect();
      if (r.left < edges.left - 1 || r.right > edges.right + 1) {
        problems.push(`name hidden: ${name(header)} is out of view once ${name(box)} is scrolled right`);
        break;
      }
    }
    box.scrollLeft = start;
  }
  if (width <= 640 && document.documentElement.scrollWidth > window.innerWidth) {
    problems.push(`page scroll: the page is ${document.documentElement.scrollWidth}px wide at ${width}px`);
  }
  return problems;
}
