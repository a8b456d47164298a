// The simple pager with one bug: it never writes a dirty victim back, so written pages come back as zeros.
import { makePagerFactory } from './simple-pager.mjs';

export default makePagerFactory({ writeBack: false });
