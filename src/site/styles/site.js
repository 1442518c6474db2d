// Progressive enhancement only: every page reads completely without this script.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("[data-copy-link]") : null;
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.getAttribute("href") || location.href).then(() => {
    const label = link.textContent;
    link.textContent = "Link copied";
    setTimeout(() => {
      link.textContent = label;
    }, 2000);
  });
});
