export { FlatBus } from './flat-bus.js';
