import { defineUnitProject } from '@repo/vitest-config';

export default defineUnitProject('worker');
