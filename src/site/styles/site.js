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

// "Most read" under an article: one fragment for every article (site/most-read-routes.tsx), cached on its own so
// the article's page never depends on it; the article being read is left out. Readers without scripts go without.
const mostReadSlot = document.querySelector("[data-most-read]");
if (mostReadSlot && window.fetch) {
  fetch("/fragments/most-read", { credentials: "omit" })
    .then((res) => (res.ok ? res.text() : ""))
    .then((html) => {
      const template = document.createElement("template");
      template.innerHTML = html;
      const list = template.content.querySelector(".most-read");
      if (!list) return;
      const own = mostReadSlot.getAttribute("data-most-read");
      const shown = Number(list.getAttribute("data-shown")) || 5;
      const others = [...list.querySelectorAll("li[data-article-id]")].filter((li) => {
        if (li.getAttribute("data-article-id") !== own) return true;
        li.remove();
        return false;
      });
      for (const extra of others.slice(shown)) extra.remove();
      if (others.length > 0) mostReadSlot.append(list);
    })
    .catch(() => {});
}
