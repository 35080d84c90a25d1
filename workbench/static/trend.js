// The trend over every year opens at its latest years, as the six-year view shows them: the older ones scroll
// into view leftwards (the units' column stays where it is).
for (const box of document.querySelectorAll('.wide-table')) {
  box.scrollLeft = box.scrollWidth;
}
