// The trend opens at its latest years, as the six-year view shows them: the older ones scroll into view leftwards
// (the units' column stays where it is, a shadow at its edge while years lie under it); when the table is wider
// than its card, a line above it says so.
for (const box of document.querySelectorAll('.wide-table')) {
  box.scrollLeft = box.scrollWidth;
  // no year half under the units' column on opening (a header read "019", a value ".67"): the table gets room at
  // its right for the part of that year still in view, and scrolls by it, that year wholly under the units
  const units = box.querySelector('th:first-child');
  const edge = units ? units.getBoundingClientRect().right : 0;
  const cut = [...box.querySelectorAll('thead th.num')].find(th => {
    const r = th.getBoundingClientRect();
    return r.left < edge - 0.5 && r.right > edge + 0.5;
  });
  if (cut) {
    box.querySelector('table').style.marginRight = `${Math.ceil(cut.getBoundingClientRect().right - edge)}px`;
    box.scrollLeft = box.scrollWidth;
  }
  const under = () => box.classList.toggle('scrolled', box.scrollLeft > 0);
  box.addEventListener('scroll', under, {passive: true});
  under();
  const hint = box.previousElementSibling;
  if (hint && hint.classList.contains('scroll-hint')) hint.hidden = box.scrollWidth <= box.clientWidth;
}
