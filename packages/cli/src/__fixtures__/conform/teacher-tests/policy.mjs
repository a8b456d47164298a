// Extra tests for another seam: `pagelab conform restart-strategy` skips this file.
export const seam = 'replacement-policy';
export default [{ name: 'teacher: policy test', run() {} }];
