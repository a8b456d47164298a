export {
  BounceStrategy,
  HybridStrategy,
  PinStrategy,
  UnprotectedStrategy,
  createIoStrategy,
  type IoStrategyOptions,
} from './strategies.js';
export { Errno } from './errno.js';
