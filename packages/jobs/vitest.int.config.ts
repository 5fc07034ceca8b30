import { defineIntProject } from '@repo/vitest-config';

export default defineIntProject('jobs');
