import { expect, test } from "vitest";
import { magicLinkEmail } from "./messages.js";

const brand = { title: "The <Post>", accentColor: "#1d4e6b", language: "en", publicUrl: "https://post.example" };

test("a message comes as branded HTML and plain text, both carrying the link", () => {
  const url = "https://post.example/signin/verify?token=abc&x=1";
  const email = magicLinkEmail(brand, { url, isNewMember: false, validMinutes: 15 });
  expect(email.subject).toBe("Sign in to The <Post>");
  expect(email.fromName).toBe("The <Post>");
  expect(email.html).toContain("The &lt;Post>");
  expect(email.html).toContain("border-top:4px solid #1d4e6b");
  expect(email.html).toContain('href="https://post.example/signin/verify?token=abc&amp;x=1"');
  expect(email.text).toContain(`Sign in:\n${url}\n`);
  expect(email.text).toContain("The link works once, for 15 minutes.");
});

test("an accent colour that is not a colour falls back to the default", () => {
  const email = magicLinkEmail(
    { ...brand, accentColor: "red;background:url(x)" },
    {
      url: "https://post.example/x",
      isNewMember: true,
      validMinutes: 15,
    },
  );
  expect(email.html).not.toContain("url(x)");
  expect(email.subject).toBe("Create your The <Post> account");
});
