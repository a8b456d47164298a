export {
  BounceStrategy,
  HybridStrategy,
  PinStrategy,
  UnprotectedStrategy,
  createIoStrategy,
  type IoStrategyOptions,
} from './strategies.js';
