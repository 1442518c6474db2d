/** The command line run in this process (no child, no TypeScript compile): its exit status and what it printed. */
import { runCommandLine } from "../../src/main.js";

export type CliRun = { code: number; output: string };

/** As `broadsheet ...args` with exactly `env` as its environment; stdout and stderr are read together. */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  let output = "";
  const sink = {
    write(text: string) {
      output += text;
      return true;
    },
  };
  const code = await runCommandLine(args, env, { stdout: sink, stderr: sink });
  return { code, output };
}
