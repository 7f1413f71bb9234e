/** Options several commands share, and the usage error type (exit code 2). */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_LIMITS } from '../index.js';

/** A command-line mistake: exit code 2. */
export class UsageError extends Error {}

export interface LimitFlags {
  maxBytes: number;
  maxLayers: number;
  /** Python files that build several models: which one (by variable name). */
  model?: string;
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a positive integer.');
  return Number(value);
}

/** Adds the input limits (DESIGN.md: limits are stated and configurable). */
export function withLimitOptions(command: Command): Command {
  return command
    .addOption(new Option('--max-bytes <n>', 'largest model file read, in bytes').argParser(positiveInt).default(DEFAULT_LIMITS.maxBytes))
    .addOption(new Option('--max-layers <n>', 'most layers in one model').argParser(positiveInt).default(DEFAULT_LIMITS.maxLayers))
    .option('--model <name>', 'Python files that build several models: the variable name of the one to read (default: the last)');
}
