// Tests that need a Debian tool run always: a missing tool fails them with one line saying what to install
// (.ci/run installs every one), rather than skipping them silently.
import { execFileSync } from 'node:child_process';

export function hasTool(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function requireTool(cmd: string, args: string[], debianPackage: string): void {
  if (!hasTool(cmd, args))
    throw new Error(`this test needs ${cmd}: apt-get install ${debianPackage} (.ci/run installs it)`);
}
