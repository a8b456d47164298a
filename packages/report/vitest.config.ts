import { definePackageTests } from '../../vitest.shared.js';

export default definePackageTests('report');
