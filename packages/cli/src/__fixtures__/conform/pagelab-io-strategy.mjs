// pagelab's own hybrid I/O buffer strategy as an io-strategy part.
import { ioStrategy } from './pagelab-parts.mjs';

export default ioStrategy('hybrid');
