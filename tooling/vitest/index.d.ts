import type { UserConfig } from 'vitest/config';

export function defineUnitProject(name: string): UserConfig;
export function defineIntProject(
  name: string,
  opts?: { globalSetup?: string[]; testTimeout?: number },
): UserConfig;
