import { definePackageTests } from '../../vitest.shared.js';

export default definePackageTests('cpu-m68k');
