import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { api } from "./api.js";
import { useStaff } from "./session.js";
import { atLeast, type Role, type Staff } from "./types.js";

type NavItem = { href: string; label: string; role: Role };

/** Every screen of the app; a link shows only to the roles the server would let in. */
export const NAV: NavItem[] = [
  { href: "/admin/dashboard", label: "Today", role: "editor" },
  { href: "/admin/articles", label: "Articles", role: "contributor" },
  { href: "/admin/home", label: "Home page", role: "editor" },
  { href: "/admin/media", label: "Media", role: "contributor" },
  { href: "/admin/sections", label: "Sections", role: "editor" },
  { href: "/admin/readers", label: "Readers", role: "admin" },
  { href: "/admin/paywall", label: "Paywall", role: "editor" },
  { href: "/admin/plan", label: "Plan", role: "admin" },
  { href: "/admin/offers", label: "Offers", role: "admin" },
  { href: "/admin/newsletters", label: "Newsletters", role: "editor" },
  { href: "/admin/suppressions", label: "Suppressions", role: "admin" },
  { href: "/admin/staff", label: "Staff", role: "admin" },
  { href: "/admin/settings", label: "Settings", role: "admin" },
  { href: "/admin/outbox", label: "Outbox", role: "admin" },
];

/** Where `/admin` opens: the first screen of the menu the staff member may see (Today for editors and up). */
export function landingOf(staff: Staff): string {
  return NAV.find((item) => atLeast(staff, item.role))?.href ?? "/admin/account";
}

export function Shell({ children }: { children: ComponentChildren }) {
  const { staff, signedOut } = useStaff();
  const { path } = useLocation();
  const signOut = async () => {
    await api("DELETE", "/session").catch(() => undefined);
    signedOut();
  };
  const current = (href: string) =>
    path === href || path.startsWith(`${href}/`) || (path === "/admin" && href === landingOf(staff));
  return (
    <div class="shell">
      <a class="skip-link" href="#content">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/admin">
          Newsroom
        </a>
        <nav class="nav" aria-label="Newsroom">
          {NAV.filter((item) => atLeast(staff, item.role)).map((item) => (
            <a key={item.href} href={item.href} aria-current={current(item.href) ? "page" : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <div class="topbar-end">
          <a class="muted-link" href="/" target="_blank" rel="noopener">
            View site
          </a>
          <a class="who" href="/admin/account" title={`${staff.email}: your account`}>
            {staff.name} <span class="role">{staff.role}</span>
          </a>
          <button type="button" class="button button-quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" class="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
