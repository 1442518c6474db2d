import { expect, test } from "vitest";
import { absoluteUrls } from "./html.js";

test("site-relative src, href and every srcset candidate become absolute; other addresses stay", () => {
  const html =
    '<a href="/politics/x">x</a><a href="https://other.example/y">y</a><a href="//cdn.example/z">z</a>' +
    '<picture><source type="image/webp" srcset="/media/a-480w.webp 480w, /media/a-800w.webp 800w">' +
    '<img src="/media/a-800w.jpg" srcset="/media/a-480w.jpg 480w, https://cdn.example/b.jpg 800w" alt="/not-a-link"></picture>';
  expect(absoluteUrls(html, "https://paper.example")).toBe(
    '<a href="https://paper.example/politics/x">x</a><a href="https://other.example/y">y</a><a href="//cdn.example/z">z</a>' +
      '<picture><source type="image/webp" srcset="https://paper.example/media/a-480w.webp 480w, https://paper.example/media/a-800w.webp 800w">' +
      '<img src="https://paper.example/media/a-800w.jpg" srcset="https://paper.example/media/a-480w.jpg 480w, https://cdn.example/b.jpg 800w" alt="/not-a-link"></picture>',
  );
});
