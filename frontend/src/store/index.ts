export { useStore } from './use-store';
export * from './ui-store';
export * from './user-store';
export * from './room-store';
