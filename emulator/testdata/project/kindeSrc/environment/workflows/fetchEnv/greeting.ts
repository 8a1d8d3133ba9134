// A sibling module: proves the entry point is bundled with its imports.
export function greeting(email: string): string {
  return `checking ${email}`;
}
