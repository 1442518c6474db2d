import { describe, expect, test } from "vitest";
import { checkNewPassword } from "./passwords.js";

const owner = { email: "marguerite.okonkwo@harbour-gazette.example", name: "Marguerite Okonkwo" };

async function refusal(password: string, who = owner) {
  try {
    await checkNewPassword(password, who);
  } catch (err) {
    return err as { code: string; property: string; message: string; status: number };
  }
  return undefined;
}

describe("a new staff password", () => {
  test("a common password or a common pattern is refused, saying what is weak", async () => {
    for (const password of ["password123", "correcthorse", "qwertyuiop123", "P@ssw0rd2024", "iloveyou2024"]) {
      const refused = await refusal(password);
      expect({ password, code: refused?.code, property: refused?.property, status: refused?.status }).toEqual({
        password,
        code: "PASSWORD_TOO_WEAK",
        property: "password",
        status: 400,
      });
      expect(refused?.message).toMatch(/^This password is too easy to guess\. .+/);
    }
    expect((await refusal("password123"))?.message).toContain("This is a commonly used password.");
    expect((await refusal("correcthorse"))?.message).toContain("Add more words that are less common.");
  });

  test("the account's own email address or name, or a part of them, is refused", async () => {
    for (const password of [owner.email, owner.name, "MargueriteOkonkwo", "marguerite.okonkwo", "harbour-gazette"]) {
      const refused = await refusal(password);
      expect({ password, code: refused?.code }).toEqual({ password, code: "PASSWORD_TOO_WEAK" });
      expect(refused?.message).toContain("There should not be any personal or page related data.");
    }
    // The same words are fine for someone whose address and name they are not.
    expect(await refusal("MargueriteOkonkwo", { email: "someone@else.example", name: "Someone Else" })).toBeUndefined();
  });

  test("a short password is refused for its length before anything else", async () => {
    expect((await refusal("x7#Qz!"))?.code).toBe("PASSWORD_TOO_SHORT");
  });

  test("a passphrase of unrelated words is accepted", async () => {
    expect(await refusal("tangerine marble orbit lighthouse")).toBeUndefined();
    expect(await refusal("quiet-harbour-lantern-47")).toBeUndefined();
  });
});
