import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseBackend, renderVcl } from "./vcl.js";

describe("the Varnish configuration", () => {
  test("deploy/varnish/default.vcl is the generator's output for an origin at 127.0.0.1:3000", () => {
    const kept = readFileSync(new URL("../../deploy/varnish/default.vcl", import.meta.url), "utf8");
    expect(kept).toBe(renderVcl({ host: "127.0.0.1", port: 3000 }));
  });

  test("names the backend, and lets only its address purge", () => {
    const vcl = renderVcl(parseBackend("origin.internal:8080"));
    expect(vcl).toContain('.host = "origin.internal";');
    expect(vcl).toContain('.port = "8080";');
    expect(vcl).toMatch(/acl purgers \{\s+"origin\.internal";\s+\}/);
    expect(vcl).toContain("xkey.softpurge(");
  });

  test("--backend takes HOST:PORT and refuses anything else with a message naming the form", () => {
    expect(parseBackend("[::1]:3000")).toEqual({ host: "::1", port: 3000 });
    for (const bad of [undefined, "", "localhost", "localhost:0", "localhost:70000", 'a";b:80', "host:80/path"]) {
      expect(() => parseBackend(bad)).toThrow(/--backend must be HOST:PORT/);
    }
  });
});
