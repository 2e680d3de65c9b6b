import type { Command } from 'commander';

/**
 * For an extra argument that is an option's name without its dashes (`plan dry-run`), the hint
 * "did you mean --dry-run?": such a typo must never run the command without the option.
 */
export function suggestOption(program: Command, argv: readonly string[]): string | undefined {
  const longs = new Set<string>();
  const walk = (c: Command) => {
    for (const o of c.options) if (o.long) longs.add(o.long);
    c.commands.forEach(walk);
  };
  walk(program);
  const word = argv.find((a) => !a.startsWith('-') && longs.has(`--${a.replace(/^-+/, '')}`));
  return word ? `did you mean --${word}? (options start with --)` : undefined;
}
